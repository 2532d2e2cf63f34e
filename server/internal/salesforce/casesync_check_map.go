package salesforce

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// checkMappings checks each mapping against the Case describe, by the
// official integration's rules: the field exists and may be written, its
// type can take the Zendesk field, picklist values exist.
func (k *checker) checkMappings(d *ObjectDescribe) {
	for _, m := range mappings(k.set) {
		if m.builtin {
			// Crossview's own mappings fit by design (the fields they need
			// are checked above); only the org's picklist values vary.
			if f, ok := d.Field(m.target); ok && !m.display && f.Type == "picklist" {
				k.checkPicklist(f, m)
			}
			continue
		}
		kind := sourceKindOf(m.source)
		if kind == kindUnknown {
			k.add(problem("ticket_sync_mapping_source", fmt.Sprintf("Unknown Zendesk field %q is mapped to %s", m.source, m.target),
				"Map a standard ticket field (subject, description, status, priority, type, requester_name, requester_email, organization_name, assignee_name, group_name, brand_name, form_name, tags, url, created_at, updated_at, solved_at, id) or a custom field as custom:<field id>.",
				"Correct the Zendesk side of the mapping.", true))
			continue
		}
		f, ok := d.Field(m.target)
		if !ok {
			k.add(problem("ticket_sync_mapping_field_missing", fmt.Sprintf("Mapped Case field %s does not exist", m.target),
				fmt.Sprintf("Zendesk %s is mapped to %s, which the Case describe %s sees does not have.", m.source, m.target, k.user),
				"Create the field in Salesforce (and give "+k.user+" access to it), or remove the mapping.", true))
			continue
		}
		if !f.Writable() {
			k.add(problem("ticket_sync_mapping_not_writable", fmt.Sprintf("%s may not write mapped Case field %s", k.user, f.Name),
				"The field is read-only for the connected user (a formula, an auto-number, or field-level security).",
				k.permFix("edit access to Case."+f.Name)+" Or map another field.", true))
			continue
		}
		if why := unmappable(f, kind); why != "" {
			k.add(problem("ticket_sync_mapping_type", fmt.Sprintf("Case field %s (%s) cannot take Zendesk %s", f.Name, f.Type, m.source), why,
				"Map the Zendesk field to a Case field of a supported type.", true))
			continue
		}
		if f.Type == "picklist" || f.Type == "combobox" {
			k.checkPicklist(f, m)
		}
	}
}

// unmappable says why a field cannot take a Zendesk field of kind, or "".
func unmappable(f *FieldDescribe, kind sourceKind) string {
	if strings.EqualFold(f.Name, "Origin") {
		return "Case Origin cannot be mapped: it says where a Case came from, and synced Cases leave it to Salesforce."
	}
	switch f.Type {
	case "encryptedstring", "id", "multipicklist", "percent", "reference", "textarea", "url",
		"base64", "address", "location", "anyType", "complexvalue":
		return fmt.Sprintf("Fields of type %s cannot be mapped (the official integration's rule: no EncryptedString, ID, MultiPicklist, Percent, Reference, TextArea or URL).", f.Type)
	}
	ok := true
	switch kind {
	case kindText:
		ok = slices.Contains([]string{"string", "email", "phone", "picklist", "combobox"}, f.Type)
	case kindNumber:
		ok = slices.Contains([]string{"string", "picklist", "combobox", "int", "double", "currency"}, f.Type)
	case kindTime:
		ok = slices.Contains([]string{"string", "date", "datetime"}, f.Type)
	}
	if !ok {
		return fmt.Sprintf("A %s field cannot hold this Zendesk field's values.", f.Type)
	}
	return ""
}

// checkPicklist checks that every value a mapping writes is one of the
// picklist's: the value map's targets, and for status, priority and type
// every Zendesk value.
func (k *checker) checkPicklist(f *FieldDescribe, m fieldMap) {
	from := make([]string, 0, len(m.values))
	for z := range m.values {
		from = append(from, z)
	}
	sort.Strings(from)
	for _, z := range from {
		if v := m.values[z]; !f.HasValue(v) {
			k.add(problem("ticket_sync_mapping_value", fmt.Sprintf("Case field %s has no value %q", f.Name, v),
				fmt.Sprintf("The value map sends Zendesk %s %q to %q, which is not an active value of %s.", m.source, z, v, f.Name),
				fmt.Sprintf("Add %q to the %s picklist, or map %q to one of: %s.", v, f.Name, z, values(f)), true))
		}
	}
	var unmapped []string
	closes := false
	for _, z := range sourceDomain(m.source) {
		if _, listed := m.values[z]; listed {
			continue
		}
		if v, ok := picklistValue(f, m, z); ok && f.HasValue(v) {
			continue
		}
		unmapped = append(unmapped, fmt.Sprintf("%q", z))
		closes = closes || m.source == "status" && (z == "solved" || z == "closed")
	}
	if len(unmapped) == 0 {
		return
	}
	list := strings.Join(unmapped, ", ")
	k.add(problem("ticket_sync_picklist_unmapped", fmt.Sprintf("Zendesk %s %s: no %s value", m.source, list, f.Name),
		fmt.Sprintf("No value of %s fits tickets whose %s is %s, so %s.", f.Name, m.source, list, unmappedEffect(f, closes)),
		fmt.Sprintf("Map each to one of %s in the ticket-sync value map for %s.", values(f), f.Name), f.RestrictedPicklist || closes))
}

func unmappedEffect(f *FieldDescribe, closes bool) string {
	switch {
	case closes:
		return "solved and closed tickets would leave their Case open"
	case f.RestrictedPicklist:
		return "Salesforce would refuse those Cases (restricted picklist)"
	}
	return f.Name + " is left as it is on those Cases"
}

func values(f *FieldDescribe) string {
	var out []string
	for _, p := range f.PicklistValues {
		if p.Active {
			out = append(out, fmt.Sprintf("%q", p.Value))
		}
	}
	return strings.Join(out, ", ")
}
