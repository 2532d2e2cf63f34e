package crossview

import "strings"

// ParseFieldMapping reads a mapping as an admin types it: a Zendesk field,
// a Case field and values as "zendesk=Salesforce, other=Other" (may be
// empty). The Case describe checks the fields when the settings are used.
func ParseFieldMapping(zendesk, salesforce, values string) (FieldMapping, error) {
	m := FieldMapping{Zendesk: strings.TrimSpace(zendesk), Salesforce: strings.TrimSpace(salesforce)}
	if m.Zendesk == "" || m.Salesforce == "" {
		return m, Errorf(EINVALID, "A field mapping needs a Zendesk field and a Case field (got %q and %q).", m.Zendesk, m.Salesforce)
	}
	for _, pair := range strings.Split(values, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		z, s, ok := strings.Cut(pair, "=")
		z, s = strings.TrimSpace(z), strings.TrimSpace(s)
		if !ok || z == "" {
			return m, Errorf(EINVALID, "The values of the mapping to %s are written zendesk=Salesforce, not %q.", m.Salesforce, strings.TrimSpace(pair))
		}
		if m.Values == nil {
			m.Values = map[string]string{}
		}
		m.Values[z] = s
	}
	return m, nil
}
