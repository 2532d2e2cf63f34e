package salesforcetest

import (
	"fmt"
	"net/http"
	"sort"
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
	shared  map[string]bool // user ids the record is shared with
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
}

func newOrgData(newID func(string) string, now func() time.Time) *orgData {
	return &orgData{
		schema:   newStandardSchema(),
		records:  map[string]*record{},
		byObject: map[string][]*record{},
		users:    map[string]*User{},
		profiles: map[string]string{},
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

// prepare validates raw field values for obj and returns them coerced and
// keyed by canonical name. creating selects the insert rules.
func (d *orgData) prepare(obj *sobject, raw map[string]any, src writeSource, creating bool) (map[string]any, *apiError) {
	out := map[string]any{}
	var readOnly []string
	for name, v := range raw {
		if strings.EqualFold(name, "attributes") && src == fromJSON {
			continue
		}
		f := obj.field(name)
		if f == nil {
			return nil, errNoSuchColumn(name, obj.name)
		}
		if f.readOnly && !(src == fromSeed && f.auditField) {
			readOnly = append(readOnly, f.name)
			continue
		}
		val, err := coerce(f, v, src)
		if err != nil {
			return nil, err
		}
		if id, ok := val.(string); ok && f.typ == typeReference {
			if err := d.checkReference(f, id); err != nil {
				return nil, err
			}
		}
		out[f.name] = val
	}
	if len(readOnly) > 0 {
		sort.Strings(readOnly)
		return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
			"Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
			strings.Join(readOnly, ", ")).withFields(readOnly...)
	}
	var missing []string
	for _, f := range obj.fields {
		v, given := out[f.name]
		if f.required && ((creating && v == nil) || (given && v == nil)) {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, newAPIError(http.StatusBadRequest, "REQUIRED_FIELD_MISSING",
			"Required fields are missing: [%s]", strings.Join(missing, ", ")).withFields(missing...)
	}
	return out, nil
}

func (d *orgData) checkReference(f *field, id string) *apiError {
	target := d.schema.object(f.refTo)
	if target != nil && id[:3] != target.keyPrefix {
		return newAPIError(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
			"%s: id value of incorrect type: %s", f.label, id).withFields(f.name)
	}
	if d.lookup(id) == nil {
		return newAPIError(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY",
			"invalid cross reference id").withFields(f.name)
	}
	return nil
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
	return r
}

// update applies prepared values to r.
func (d *orgData) update(r *record, vals map[string]any, actor string, src writeSource) {
	for k, v := range vals {
		setVal(r, k, v)
	}
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
	r.deleted = true
	r.vals["IsDeleted"] = true
	setIfField(r, "SystemModstamp", d.now().UTC().Truncate(time.Second))
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
