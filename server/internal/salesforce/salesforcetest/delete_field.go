package salesforcetest

import (
	"fmt"
	"strings"
)

// DeleteField removes a custom field from an object, as deleting it in
// Setup does: describe stops listing it and queries naming it get
// INVALID_FIELD. Values records held are no longer readable.
func (o *Org) DeleteField(sobject, field string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	if obj == nil {
		return fmt.Errorf("salesforcetest: DeleteField: no sObject %q", sobject)
	}
	f := obj.field(field)
	if f == nil || !f.custom {
		return fmt.Errorf("salesforcetest: DeleteField: %s has no custom field %q", obj.name, field)
	}
	delete(obj.byLower, strings.ToLower(f.name))
	if f.relName != "" {
		delete(obj.parents, strings.ToLower(f.relName))
	}
	for i, g := range obj.fields {
		if g == f {
			obj.fields = append(obj.fields[:i], obj.fields[i+1:]...)
			break
		}
	}
	return nil
}
