package salesforcetest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
)

// save validates raw values and creates a record of obj (r == nil) or
// updates r, in the order Salesforce checks: the body (unknown, read-only
// and mistyped fields, lengths, picklists, references), required fields,
// validation rules, then unique values. u is the acting user; nil for
// seeds, which skip field-level security and validation rules.
func (d *orgData) save(obj *sobject, r *record, raw map[string]any, src writeSource, u *User) (*record, *apiError) {
	vals, aerr := d.prepare(obj, raw, src, r == nil, u)
	if aerr != nil {
		return nil, aerr
	}
	return d.commit(obj, r, vals, src, u)
}

// commit checks prepared values against the record they produce and
// stores them.
func (d *orgData) commit(obj *sobject, r *record, vals map[string]any, src writeSource, u *User) (*record, *apiError) {
	merged := map[string]any{}
	if r != nil {
		for k, v := range r.vals {
			merged[k] = v
		}
	} else {
		for _, f := range obj.fields {
			if f.def != nil {
				merged[f.name] = f.def
			}
		}
	}
	for k, v := range vals {
		if v == nil {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	if u != nil {
		if aerr := d.checkRules(obj, merged); aerr != nil {
			return nil, aerr
		}
	}
	if aerr := d.checkUnique(obj, r, merged); aerr != nil {
		return nil, aerr
	}
	actor := ""
	if u != nil {
		actor = u.ID
	}
	if r == nil {
		r = d.create(obj, vals, actor)
		d.followPrimaryAccount(r, "", true)
		return r, nil
	}
	prev := r.str("AccountId")
	d.update(r, vals, actor, src)
	d.followPrimaryAccount(r, prev, false)
	return r, nil
}

// prepare validates raw field values for obj and returns them coerced and
// keyed by canonical name. creating selects the insert rules.
func (d *orgData) prepare(obj *sobject, raw map[string]any, src writeSource, creating bool, u *User) (map[string]any, *apiError) {
	out := map[string]any{}
	var readOnly []string
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	sort.Strings(names) // the first bad field named is stable
	for _, name := range names {
		v := raw[name]
		if strings.EqualFold(name, "attributes") && src == fromJSON {
			continue
		}
		f := obj.field(name)
		if f == nil || d.fieldAccess(u, obj, f) == FieldHidden {
			return nil, errNoSuchColumn(name, obj.name)
		}
		locked := f.readOnly && !(src == fromSeed && f.auditField) ||
			f.createOnly && !creating || d.fieldAccess(u, obj, f) == FieldReadOnly
		if locked {
			readOnly = append(readOnly, f.name)
			continue
		}
		val, err := coerce(f, v, src)
		if err != nil {
			return nil, err
		}
		if err := d.checkValue(f, val); err != nil {
			return nil, err
		}
		if id, ok := val.(string); ok && f.typ == typeReference && u != nil && !d.canSee(u, d.records[id]) {
			return nil, newAPIError(http.StatusBadRequest, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
				"insufficient access rights on cross-reference id").withFields()
		}
		out[f.name] = val
	}
	if len(readOnly) > 0 {
		return nil, errNotWritable(readOnly...)
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

// errNotWritable refuses read-only fields, whether the schema or
// field-level security makes them so.
func errNotWritable(fields ...string) *apiError {
	sort.Strings(fields)
	return newAPIError(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
		"Unable to create/update fields: %s. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
		strings.Join(fields, ", ")).withFields(fields...)
}

// checkValue applies the per-field rules beyond the type: restricted
// picklists and references.
func (d *orgData) checkValue(f *field, val any) *apiError {
	s, ok := val.(string)
	switch {
	case !ok:
		return nil
	case f.typ == typePicklist && f.restricted && !slices.Contains(f.picklist, s):
		return newAPIError(http.StatusBadRequest, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
			"%s: bad value for restricted picklist field: %s", f.label, s).withFields(f.name)
	case f.typ == typeReference:
		return d.checkReference(f, s)
	}
	return nil
}

// checkReference refuses an id of the wrong object, an id in the recycle
// bin (ENTITY_IS_DELETED) and an id that does not exist.
func (d *orgData) checkReference(f *field, id string) *apiError {
	target := d.schema.object(f.refTo)
	if target != nil && id[:3] != target.keyPrefix {
		return newAPIError(http.StatusBadRequest, "FIELD_INTEGRITY_EXCEPTION",
			"%s: id value of incorrect type: %s", f.label, id).withFields(f.name)
	}
	if r := d.records[id]; r != nil && r.deleted {
		return errDeletedRef()
	}
	if d.lookup(id) == nil {
		return newAPIError(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY",
			"invalid cross reference id").withFields(f.name)
	}
	return nil
}

func errDeletedRef() *apiError {
	return newAPIError(http.StatusBadRequest, "ENTITY_IS_DELETED", "entity is deleted").withFields()
}

// checkUnique refuses a value of a unique field that another live record
// of obj holds.
func (d *orgData) checkUnique(obj *sobject, self *record, merged map[string]any) *apiError {
	for _, f := range obj.fields {
		v, ok := merged[f.name]
		if !f.unique || !ok {
			continue
		}
		for _, other := range d.holders(obj, f, v) {
			if other == self || !sameValue(f, other.vals[f.name], v) {
				continue
			}
			return newAPIError(http.StatusBadRequest, "DUPLICATE_VALUE",
				"duplicate value found: %s duplicates value on record with id: %s", f.name, other.id).withFields()
		}
	}
	return nil
}

// sameValue compares stored values, text without case unless the field
// is case-sensitive.
func sameValue(f *field, a, b any) bool {
	sa, okA := a.(string)
	sb, okB := b.(string)
	if okA && okB && !f.caseSensitive {
		return strings.EqualFold(sa, sb)
	}
	return a == b
}
