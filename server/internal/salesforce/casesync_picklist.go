package salesforce

import "strings"

// sourceDomain lists the values a standard Zendesk field can take, for
// checking that each has a picklist value.
func sourceDomain(source string) []string {
	switch source {
	case "status":
		return []string{"new", "open", "pending", "hold", "solved", "closed"}
	case "priority":
		return []string{"low", "normal", "high", "urgent"}
	case "type":
		return []string{"question", "incident", "problem", "task"}
	}
	return nil
}

// defaultChoices are the picklist values tried, in order, for a Zendesk
// status, priority or type: the first the org has wins. Solved and closed
// tickets must close the Case, so they also take any value with "closed"
// in it.
func defaultChoices(source, value string) []string {
	switch source + "=" + value {
	case "status=new":
		return []string{"New"}
	case "status=open":
		return []string{"Open", "Working", "In Progress"}
	case "status=pending":
		return []string{"Pending", "Waiting on Customer", "On Hold", "Working"}
	case "status=hold":
		return []string{"On Hold", "Hold", "Working"}
	case "status=solved", "status=closed":
		return []string{"Closed"}
	case "priority=low":
		return []string{"Low"}
	case "priority=normal":
		return []string{"Normal", "Medium"}
	case "priority=high":
		return []string{"High"}
	case "priority=urgent":
		return []string{"Urgent", "Critical", "High"}
	case "type=question", "type=incident", "type=problem", "type=task":
		return []string{value}
	}
	return nil
}

// defaultChoice picks the picklist value for a Zendesk value, "" when the
// org has none that fits.
func defaultChoice(f *FieldDescribe, source, value string) string {
	for _, want := range defaultChoices(source, value) {
		for _, p := range f.PicklistValues {
			if p.Active && strings.EqualFold(p.Value, want) {
				return p.Value
			}
		}
	}
	if source == "status" && (value == "solved" || value == "closed") {
		for _, p := range f.PicklistValues {
			if p.Active && strings.Contains(strings.ToLower(p.Value), "closed") {
				return p.Value
			}
		}
	}
	return ""
}

// picklistValue is the picklist value a Zendesk value becomes: the
// admin's value map first, then for status, priority and type the
// default choice, else the value itself. ok is false when a status,
// priority or type has no value in the org.
func picklistValue(f *FieldDescribe, m fieldMap, value string) (string, bool) {
	if v, listed := m.values[value]; listed {
		return v, true
	}
	for k, v := range m.values {
		if strings.EqualFold(k, value) {
			return v, true
		}
	}
	if sourceDomain(m.source) != nil {
		v := defaultChoice(f, m.source, strings.ToLower(value))
		return v, v != ""
	}
	return value, true
}
