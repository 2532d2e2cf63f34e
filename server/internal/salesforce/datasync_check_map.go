package salesforce

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// zendeskText is what a Zendesk text field takes: single- or multi-line.
var zendeskText = []string{"text", "textarea"}

// zendeskFits is the official integration's compatibility table, by
// Salesforce describe type: the Zendesk field types each may be mapped to.
// ID, String, Phone, Email and Multi-picklist go to Text; Picklist to Text
// or Drop-down; Currency and Double to Text or Decimal; Boolean to Text or
// Checkbox; Date and Date/Time to Text or Date; Number to Text or Numeric.
var zendeskFits = map[string][]string{
	"id": zendeskText, "string": zendeskText, "phone": zendeskText, "email": zendeskText,
	"multipicklist": zendeskText, "url": zendeskText, "textarea": zendeskText, "combobox": zendeskText,
	"picklist": append(slices.Clone(zendeskText), "dropdown"),
	"currency": append(slices.Clone(zendeskText), "decimal"),
	"double":   append(slices.Clone(zendeskText), "decimal"),
	"percent":  append(slices.Clone(zendeskText), "decimal"),
	"boolean":  append(slices.Clone(zendeskText), "checkbox"),
	"date":     append(slices.Clone(zendeskText), "date"),
	"datetime": append(slices.Clone(zendeskText), "date"),
	"int":      append(slices.Clone(zendeskText), "integer"),
	"long":     append(slices.Clone(zendeskText), "integer"),
}

// unmappableField says why a Salesforce field cannot be mapped at all, or
// "": the official integration refuses long, rich and encrypted text
// areas, lookups and the record type.
func unmappableField(f *FieldDescribe) string {
	switch {
	case f.Type == "textarea" && f.Length > 255:
		return fmt.Sprintf("%s is a long or rich text area, which cannot be mapped.", f.Name)
	case f.Type == "encryptedstring":
		return fmt.Sprintf("%s is encrypted text, which cannot be mapped.", f.Name)
	case f.Type == "reference":
		rel := f.RelationshipName
		if rel == "" {
			rel = strings.TrimSuffix(f.Name, "Id")
		}
		return fmt.Sprintf("%s is a lookup: its value is the id of another record. Map a field of that record instead, such as %s.Name.", f.Name, rel)
	case zendeskFits[f.Type] == nil:
		return fmt.Sprintf("%s is of type %s, which cannot be mapped.", f.Name, f.Type)
	}
	return ""
}

// zendeskStandard lists the standard fields each side takes. external_id
// is not one: data sync always sets it to the Salesforce id.
func zendeskStandard(object string) (fields []string, customPrefix string) {
	if object == crossview.ObjectAccount {
		return []string{"name", "domain_names", "tags", "notes", "details"}, "organization_fields."
	}
	return []string{"name", "email", "phone", "tags", "notes", "details"}, "user_fields."
}

// standardFits narrows the Salesforce types a standard field takes beyond
// "fits text": Zendesk validates an email or a phone and would refuse a
// date there, and tags and domains are read from lists of words. name,
// notes and details take anything that fits text.
var standardFits = map[string][]string{
	"email":        {"email", "string"},
	"phone":        {"phone", "string"},
	"domain_names": {"url", "string", "textarea", "combobox", "multipicklist"},
	"tags":         {"picklist", "multipicklist", "combobox", "string", "textarea", "boolean"},
}

// target resolves a mapping's Zendesk side to its field type; the
// standard fields are text. ok is false when no such field exists.
func (k *dataChecker) target(name string) (typ string, zf crossview.ZendeskField, ok bool) {
	standard, prefix := zendeskStandard(k.object)
	if slices.Contains(standard, name) {
		return "text", crossview.ZendeskField{Key: name, Type: "text"}, true
	}
	key, custom := strings.CutPrefix(name, prefix)
	if !custom {
		return "", zf, false
	}
	for _, f := range k.zendesk {
		if f.Key == key {
			typ = f.Type
			if typ == "tagger" {
				typ = "dropdown"
			}
			return typ, f, true
		}
	}
	return "", zf, false
}

// checkMappings checks each mapping by the official integration's rules.
func (k *dataChecker) checkMappings(ms []crossview.DataMapping) {
	standard, prefix := zendeskStandard(k.object)
	side := map[bool]string{true: "organization", false: "user"}[k.object == crossview.ObjectAccount]
	claimed := map[string]string{} // Zendesk field → the Salesforce field mapped to it first
	for _, m := range ms {
		src, dst := strings.TrimSpace(m.Salesforce), strings.TrimSpace(m.Zendesk)
		label := k.object + "." + src
		if dst == "external_id" {
			k.add(problem(DataSyncMappingExternalID, fmt.Sprintf("%s is mapped to external_id, which is always the Salesforce id", label),
				fmt.Sprintf("Data sync sets each Zendesk %s's external_id to the %s's Salesforce id and finds it again by it, so a mapping to external_id would be ignored.", side, k.object),
				fmt.Sprintf("Remove the mapping; to keep %s in Zendesk, map it to a custom %s field (%s<key>).", label, side, prefix), true))
			continue
		}
		f, ok := k.sourceField(src)
		if !ok {
			k.add(problem(DataSyncMappingMissing, fmt.Sprintf("Mapped field %s does not exist", label),
				fmt.Sprintf("%s is mapped to Zendesk %s, but the %s describe %s sees has no such field.", label, dst, k.object, k.user),
				fmt.Sprintf("Correct the API name, give %s read access to the field, or remove the mapping.", k.user), true))
			continue
		}
		if why := unmappableField(f); why != "" {
			k.add(problem(DataSyncMappingUnmappable, fmt.Sprintf("%s cannot be mapped", label), why,
				"Remove the mapping or map another field.", true))
			continue
		}
		typ, zf, ok := k.target(dst)
		if !ok {
			k.add(problem(DataSyncMappingTarget, fmt.Sprintf("%s is mapped to %q, which is no Zendesk %s field", label, dst, side),
				fmt.Sprintf("A %s can be mapped to %s, or to a custom %s field as %s<key>.", k.object, strings.Join(standard, ", "), side, prefix),
				fmt.Sprintf("Create the %s field in Zendesk (Admin Center → People → Configuration), or correct the mapping.", side), true))
			continue
		}
		if !slices.Contains(zendeskFits[f.Type], typ) {
			k.add(problem(DataSyncMappingType, fmt.Sprintf("%s (%s) cannot go to Zendesk %s (%s)", label, f.Type, dst, typ),
				fmt.Sprintf("A Salesforce %s field can be mapped to a Zendesk %s field only.", f.Type, strings.Join(zendeskFits[f.Type], " or ")),
				"Map it to a Zendesk field of a fitting type, or to a text field.", true))
			continue
		}
		if fits, ok := standardFits[dst]; ok && !slices.Contains(fits, f.Type) {
			k.add(problem(DataSyncMappingType, fmt.Sprintf("%s (%s) cannot go to Zendesk %s", label, f.Type, dst),
				fmt.Sprintf("Zendesk %s takes a Salesforce %s field only.", dst, strings.Join(fits, ", ")),
				fmt.Sprintf("Map a field of one of those types to %s, or map %s to a custom %s field.", dst, label, side), true))
			continue
		}
		if typ == "dropdown" {
			k.checkDropdown(label, f, m, zf)
		}
		if dst == "tags" || dst == "domain_names" { // tags and domains add up
			continue
		}
		if first, dup := claimed[dst]; dup {
			k.add(problem(DataSyncMappingDuplicate, fmt.Sprintf("Zendesk %s is mapped from both %s and %s", dst, first, label),
				"Each record's last mapped value wins, so one of the two is always lost.",
				"Keep one mapping to "+dst+".", false))
			continue
		}
		claimed[dst] = label
	}
}

// checkDropdown checks that every active picklist value reaches an option
// of the dropdown: through the mapping's value map, or by being an option
// itself (as written, or as a tag: lower case, spaces as _).
func (k *dataChecker) checkDropdown(label string, f *FieldDescribe, m crossview.DataMapping, zf crossview.ZendeskField) {
	option := func(v string) bool {
		return slices.Contains(zf.Options, v) || slices.Contains(zf.Options, strings.ToLower(strings.Join(strings.Fields(v), "_")))
	}
	var unmapped, wrong []string
	for _, p := range f.PicklistValues {
		if !p.Active {
			continue
		}
		to, listed := m.Values[p.Value]
		switch {
		case listed && !slices.Contains(zf.Options, to):
			wrong = append(wrong, fmt.Sprintf("%q → %q", p.Value, to))
		case !listed && !option(p.Value):
			unmapped = append(unmapped, fmt.Sprintf("%q", p.Value))
		}
	}
	options := strings.Join(zf.Options, ", ")
	if len(wrong) > 0 {
		k.add(problem(DataSyncMappingOption, fmt.Sprintf("%s → %s: the value map names options the dropdown lacks", label, m.Zendesk),
			fmt.Sprintf("%s: not options of %s (%s).", strings.Join(wrong, ", "), m.Zendesk, options),
			"Correct the value map, or add the options to the Zendesk field.", true))
	}
	if len(unmapped) > 0 {
		k.add(problem(DataSyncMappingPicklist, fmt.Sprintf("%s → %s: %d picklist values have no dropdown option", label, m.Zendesk, len(unmapped)),
			fmt.Sprintf("%s: records with these values leave %s unset in Zendesk.", strings.Join(unmapped, ", "), m.Zendesk),
			fmt.Sprintf("Map each to one of %s in the mapping's value map, or add them as options of the Zendesk field.", options), false))
	}
}
