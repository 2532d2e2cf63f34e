package salesforcetest

import (
	"fmt"
	"net/http"
	"strings"
)

// ValidationRule is a validation rule on an object: a write whose record
// makes Fails true is refused with 400 FIELD_CUSTOM_VALIDATION_EXCEPTION
// and the rule's message. Rules run on API writes, not on seeds.
type ValidationRule struct {
	// Object is the sObject the rule belongs to, e.g. "Case".
	Object string
	// Name identifies the rule for RemoveValidationRule.
	Name string
	// Message is the error message Salesforce returns.
	Message string
	// Field is the error location: the field the message shows at, put in
	// the error's fields; "" shows it at the top of the page (fields []).
	Field string
	// Fails sees the record as it would be saved, by field API name, with
	// stored values (string, bool, int64, float64, time.Time) and null
	// fields absent. It must not keep the map.
	Fails func(rec map[string]any) bool
}

// AddValidationRule activates a rule; a rule of the same object and name
// is replaced.
func (o *Org) AddValidationRule(rule ValidationRule) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(rule.Object)
	switch {
	case obj == nil || obj.system:
		return fmt.Errorf("salesforcetest: AddValidationRule: no sObject %q", rule.Object)
	case rule.Name == "" || rule.Message == "" || rule.Fails == nil:
		return fmt.Errorf("salesforcetest: AddValidationRule: a rule needs a name, a message and a condition")
	case rule.Field != "" && obj.field(rule.Field) == nil:
		return fmt.Errorf("salesforcetest: AddValidationRule: no field %s.%s", obj.name, rule.Field)
	}
	rule.Object = obj.name
	if rule.Field != "" {
		rule.Field = obj.field(rule.Field).name
	}
	o.removeRule(obj.name, rule.Name)
	o.data.rules = append(o.data.rules, rule)
	return nil
}

// RemoveValidationRule deactivates a rule.
func (o *Org) RemoveValidationRule(object, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.removeRule(object, name)
}

func (o *Org) removeRule(object, name string) {
	kept := o.data.rules[:0]
	for _, r := range o.data.rules {
		if !strings.EqualFold(r.Object, object) || r.Name != name {
			kept = append(kept, r)
		}
	}
	o.data.rules = kept
}

// checkRules runs obj's rules, in the order they were added, on the
// record as it would be saved.
func (d *orgData) checkRules(obj *sobject, merged map[string]any) *apiError {
	for _, rule := range d.rules {
		if rule.Object != obj.name {
			continue
		}
		view := make(map[string]any, len(merged))
		for k, v := range merged {
			view[k] = v
		}
		if !rule.Fails(view) {
			continue
		}
		e := newAPIError(http.StatusBadRequest, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "%s", rule.Message).withFields()
		if rule.Field != "" {
			e.fields = []string{rule.Field}
		}
		return e
	}
	return nil
}
