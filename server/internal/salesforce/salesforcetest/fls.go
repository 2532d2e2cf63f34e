package salesforcetest

import (
	"fmt"
	"strings"
)

// FieldAccess is a user's field-level security on one field.
type FieldAccess int

// The levels of field-level security.
const (
	// FieldEditable is the default: the user reads and writes the field.
	FieldEditable FieldAccess = iota
	// FieldReadOnly: describe says createable and updateable false, and
	// writes get INVALID_FIELD_FOR_INSERT_UPDATE.
	FieldReadOnly
	// FieldHidden: the field is absent from describe and record reads, and
	// queries and writes naming it get INVALID_FIELD, as if it did not
	// exist.
	FieldHidden
)

// SetFieldAccess sets userID's field-level security on sobject.field, as a
// profile or permission set would; FieldEditable restores the default.
func (o *Org) SetFieldAccess(userID, sobject, fieldName string, access FieldAccess) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	if obj == nil || obj.system || obj.field(fieldName) == nil {
		return fmt.Errorf("salesforcetest: SetFieldAccess: no field %s.%s", sobject, fieldName)
	}
	f := obj.field(fieldName)
	if f.name == "Id" {
		return fmt.Errorf("salesforcetest: SetFieldAccess: Id is always visible")
	}
	key := accessKey(normalizeID(userID), obj, f)
	if access == FieldEditable {
		delete(o.data.access, key)
		return nil
	}
	o.data.access[key] = access
	return nil
}

func accessKey(userID string, obj *sobject, f *field) string {
	return userID + "|" + strings.ToLower(obj.name) + "." + strings.ToLower(f.name)
}

// fieldAccess is u's access to f; seeds (u nil) have full access.
func (d *orgData) fieldAccess(u *User, obj *sobject, f *field) FieldAccess {
	if u == nil || len(d.access) == 0 {
		return FieldEditable
	}
	return d.access[accessKey(u.ID, obj, f)]
}

// visibleFields is obj's fields u may read.
func (d *orgData) visibleFields(u *User, obj *sobject) []*field {
	if len(d.access) == 0 {
		return obj.fields
	}
	out := make([]*field, 0, len(obj.fields))
	for _, f := range obj.fields {
		if d.fieldAccess(u, obj, f) != FieldHidden {
			out = append(out, f)
		}
	}
	return out
}
