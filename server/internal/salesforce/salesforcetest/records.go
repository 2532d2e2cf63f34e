package salesforcetest

import (
	"fmt"
	"strings"
	"time"
)

// record is one stored row. vals maps canonical field names to string,
// bool, int64, float64 or time.Time; a missing key is null.
type record struct {
	obj     *sobject
	id      string
	vals    map[string]any
	deleted bool
	// deletedAt is when the record went to the recycle bin.
	deletedAt time.Time
	shared    map[string]bool // user ids the record is shared with
}

func (r *record) str(field string) string {
	s, _ := r.vals[field].(string)
	return s
}

// orgData is everything an org stores. The Org's mutex guards it.
type orgData struct {
	schema    *schema
	records   map[string]*record   // by 18-character id
	byObject  map[string][]*record // by canonical object name, in insertion order
	users     map[string]*User     // by id
	firstUser string               // owner of seeded records without OwnerId
	profiles  map[string]string    // lower profile name → profile id
	caseSeq   int
	newID     func(prefix string) string
	now       func() time.Time
	// access holds field-level security that differs from editable, by
	// accessKey.
	access map[string]FieldAccess
	rules  []ValidationRule
	// purged is, by object, the deletion time of the last record purged
	// from the recycle bin: getDeleted's earliestDateAvailable.
	purged map[string]time.Time
	// txns are the open transactions, innermost last (see txn.go).
	txns []*txn
	// index finds records by external id and unique values.
	index keyIndex
}

func newOrgData(s *schema, newID func(string) string, now func() time.Time) *orgData {
	return &orgData{
		schema:   s,
		records:  map[string]*record{},
		byObject: map[string][]*record{},
		users:    map[string]*User{},
		profiles: map[string]string{},
		access:   map[string]FieldAccess{},
		purged:   map[string]time.Time{},
		index:    keyIndex{},
		caseSeq:  1000,
		newID:    newID,
		now:      now,
	}
}

// canSee applies the emulator's sharing model: system objects are public;
// otherwise the user sees a record when they see all data (View All Data or
// Modify All Data), own it, or it was shared with them.
func (d *orgData) canSee(u *User, r *record) bool {
	if r.obj.system || u.SeeAllData || u.Perms.ModifyAllData {
		return true
	}
	if r.obj.field("OwnerId") == nil {
		// Detail records (CaseComment) share their parent's visibility.
		parent := d.records[r.str("ParentId")]
		return parent != nil && d.canSee(u, parent)
	}
	return r.str("OwnerId") == u.ID || r.shared[u.ID]
}

// lookup finds a live record by any form of its id.
func (d *orgData) lookup(id string) *record {
	r := d.records[normalizeID(id)]
	if r == nil || r.deleted {
		return nil
	}
	return r
}

// create stores a new record of obj with prepared values; actor is the
// acting user's id ("" for seeds).
func (d *orgData) create(obj *sobject, vals map[string]any, actor string) *record {
	r := &record{obj: obj, id: d.newID(obj.keyPrefix), vals: map[string]any{}, shared: map[string]bool{}}
	for _, f := range obj.fields {
		if f.def != nil {
			r.vals[f.name] = f.def
		}
	}
	for k, v := range vals {
		setVal(r, k, v)
	}
	r.vals["Id"] = r.id
	if obj.field("OwnerId") != nil && r.vals["OwnerId"] == nil {
		owner := actor
		if owner == "" {
			owner = d.firstUser
		}
		setVal(r, "OwnerId", nilIfEmpty(owner))
	}
	if obj.name == "Case" {
		d.caseSeq++
		r.vals["CaseNumber"] = fmt.Sprintf("%08d", d.caseSeq)
	}
	now := d.now().UTC().Truncate(time.Second)
	by := actor
	if by == "" {
		by = r.str("OwnerId")
	}
	if by == "" {
		by = d.firstUser
	}
	for _, name := range []string{"CreatedDate", "LastModifiedDate", "SystemModstamp"} {
		if obj.field(name) != nil && r.vals[name] == nil {
			r.vals[name] = now
		}
	}
	for _, name := range []string{"CreatedById", "LastModifiedById"} {
		if obj.field(name) != nil {
			setVal(r, name, nilIfEmpty(by))
		}
	}
	derive(r, now)
	d.records[r.id] = r
	d.byObject[obj.name] = append(d.byObject[obj.name], r)
	d.reindex(r, nil)
	d.noteCreated(r)
	return r
}

// update applies prepared values to r.
func (d *orgData) update(r *record, vals map[string]any, actor string, src writeSource) {
	d.touch(r)
	old := indexedValues(r)
	for k, v := range vals {
		setVal(r, k, v)
	}
	d.reindex(r, old)
	now := d.now().UTC().Truncate(time.Second)
	if _, ok := vals["LastModifiedDate"]; !ok || src == fromJSON {
		setIfField(r, "LastModifiedDate", now)
	}
	if _, ok := vals["SystemModstamp"]; !ok || src == fromJSON {
		setIfField(r, "SystemModstamp", now)
	}
	if actor != "" {
		setIfField(r, "LastModifiedById", actor)
	}
	derive(r, now)
}

// remove moves r to the recycle bin; an Account takes its children along,
// as in Salesforce.
func (d *orgData) remove(r *record) {
	d.touch(r)
	now := d.now().UTC().Truncate(time.Second)
	r.deleted, r.deletedAt = true, now
	r.vals["IsDeleted"] = true
	setIfField(r, "SystemModstamp", now)
	for _, c := range r.obj.children {
		if c.object == "Case" && r.obj.name == "Contact" {
			continue
		}
		for _, child := range d.byObject[c.object] {
			if !child.deleted && child.str(c.field) == r.id {
				d.remove(child)
			}
		}
	}
}

func setVal(r *record, name string, v any) {
	if v == nil {
		delete(r.vals, name)
		return
	}
	r.vals[name] = v
}

func setIfField(r *record, name string, v any) {
	if r.obj.field(name) != nil {
		r.vals[name] = v
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// derive recomputes the fields Salesforce computes: Name from first and
// last name, IsClosed/IsWon from the stage, IsClosed/ClosedDate from the
// case status.
func derive(r *record, now time.Time) {
	switch r.obj.name {
	case "Contact", "Lead", "User":
		name := strings.TrimSpace(r.str("FirstName") + " " + r.str("LastName"))
		setVal(r, "Name", nilIfEmpty(name))
	case "Opportunity":
		stage := r.str("StageName")
		won := strings.EqualFold(stage, "Closed Won")
		r.vals["IsClosed"] = won || strings.EqualFold(stage, "Closed Lost")
		r.vals["IsWon"] = won
	case "Case":
		closed := strings.EqualFold(r.str("Status"), "Closed")
		r.vals["IsClosed"] = closed
		switch {
		case closed && r.vals["ClosedDate"] == nil:
			r.vals["ClosedDate"] = now
		case !closed:
			delete(r.vals, "ClosedDate")
		}
	}
}
