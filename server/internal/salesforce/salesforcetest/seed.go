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
	r, aerr := o.data.save(obj, nil, fields, fromSeed, nil)
	if aerr != nil {
		return "", fmt.Errorf("salesforcetest: Insert %s: %w", obj.name, aerr)
	}
	return r.id, nil
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
	if _, aerr := o.data.save(obj, r, fields, fromSeed, nil); aerr != nil {
		return fmt.Errorf("salesforcetest: Update %s: %w", obj.name, aerr)
	}
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

// Delete moves a record to the recycle bin, as a user deleting it in
// Salesforce would (an Account takes its Contacts, Opportunities and
// Cases along). Writes to it then get ENTITY_IS_DELETED, lookups to it
// too, and getDeleted lists it.
func (o *Org) Delete(sobject, id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	r := o.data.lookup(id)
	if obj == nil || r == nil || r.obj != obj || obj.system {
		return fmt.Errorf("salesforcetest: Delete: no live %s record %q", sobject, id)
	}
	o.data.remove(r)
	return nil
}

// Purge empties a deleted record from the recycle bin: its id is then
// unknown, so a lookup to it gets INVALID_CROSS_REFERENCE_KEY and
// getDeleted no longer lists it.
func (o *Org) Purge(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.data.records[normalizeID(id)]
	if r == nil || !r.deleted {
		return fmt.Errorf("salesforcetest: Purge: %q is not in the recycle bin", id)
	}
	o.data.unindex(r)
	delete(o.data.records, r.id)
	if r.deletedAt.After(o.data.purged[r.obj.name]) {
		o.data.purged[r.obj.name] = r.deletedAt
	}
	kept := o.data.byObject[r.obj.name][:0]
	for _, x := range o.data.byObject[r.obj.name] {
		if x != r {
			kept = append(kept, x)
		}
	}
	o.data.byObject[r.obj.name] = kept
	return nil
}
