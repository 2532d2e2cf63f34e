package salesforcetest

import "fmt"

// Insert seeds a record of sobject and returns its new 18-character id. It
// checks field names and types against the schema like the API does, fills
// CreatedDate, LastModifiedDate and SystemModstamp (unless given, so tests
// can seed old records) and defaults OwnerId to the org's first user.
func (o *Org) Insert(sobject string, fields map[string]any) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	if obj == nil || obj.system {
		return "", fmt.Errorf("salesforcetest: Insert: cannot insert %q records", sobject)
	}
	vals, aerr := o.data.prepare(obj, fields, fromSeed, true)
	if aerr != nil {
		return "", fmt.Errorf("salesforcetest: Insert %s: %w", obj.name, aerr)
	}
	return o.data.create(obj, vals, "").id, nil
}

// Update changes fields of a seeded record, as a PATCH would.
func (o *Org) Update(sobject, id string, fields map[string]any) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	r := o.data.lookup(id)
	if obj == nil || r == nil || r.obj != obj || obj.system {
		return fmt.Errorf("salesforcetest: Update: no %s record %q", sobject, id)
	}
	vals, aerr := o.data.prepare(obj, fields, fromSeed, false)
	if aerr != nil {
		return fmt.Errorf("salesforcetest: Update %s: %w", obj.name, aerr)
	}
	o.data.update(r, vals, "", fromSeed)
	return nil
}

// Get returns a copy of a record's fields and whether it exists. Values
// are string, bool, int64, float64 or time.Time (UTC; dates at midnight);
// null fields are absent. Deleted records come back with IsDeleted true.
func (o *Org) Get(sobject, id string) (map[string]any, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	r := o.data.records[normalizeID(id)]
	if obj == nil || r == nil || r.obj != obj {
		return nil, false
	}
	out := make(map[string]any, len(r.vals))
	for k, v := range r.vals {
		out[k] = v
	}
	return out, true
}

// Share makes a record visible to users who neither own it nor see all
// data. Child records (Opportunities, Cases) follow the same rule on their
// own: sharing an Account shares none of them.
func (o *Org) Share(recordID string, userIDs ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.data.records[normalizeID(recordID)]
	if r == nil {
		panic(fmt.Sprintf("salesforcetest: Share: no record %q", recordID))
	}
	for _, u := range userIDs {
		r.shared[normalizeID(u)] = true
	}
}

// DefineField adds a custom field (Name__c) to a standard object. Types:
// id, string, email, phone, url, picklist, textarea, boolean, int, double,
// currency, date, datetime, reference. Custom string, email, int and double
// fields count as External ID fields for upserts.
func (o *Org) DefineField(sobject, field, fieldType string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.data.schema.defineField(sobject, field, fieldType)
}
