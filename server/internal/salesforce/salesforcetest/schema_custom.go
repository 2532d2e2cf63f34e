package salesforcetest

import (
	"fmt"
	"strings"
)

// The custom Case fields ticket sync writes, shipped as metadata in
// salesforce-lwc/force-app. Every org has them unless its OrgSpec says
// WithoutTicketSyncFields.
const (
	// TicketKeyField holds the ticket's key ("acme:101"): Text(80),
	// External ID, Unique, case-insensitive.
	TicketKeyField = "Zendesk_Ticket_Key__c"
	// TicketURLField links back to the ticket: URL(255).
	TicketURLField = "Zendesk_Ticket_URL__c"
	// LastCommentField marks the last comment synced: Text(32).
	LastCommentField = "Zendesk_Last_Comment_Id__c"
)

// FieldSpec describes a custom field for AddField, as Setup's field
// wizard would create it.
type FieldSpec struct {
	// Name is the API name, ending in __c.
	Name string
	// Type is one of string, textarea, email, phone, url, picklist,
	// boolean, int, double, currency, date, datetime, reference.
	Type string
	// Label defaults to one made from the name.
	Label string
	// Length caps text; default 255 for string and url, 32768 for
	// textarea (a long text area).
	Length int
	// Required makes the field nillable=false: creates must set it.
	Required bool
	// ExternalID lets upserts match on the field.
	ExternalID bool
	// Unique refuses a value another record holds; CaseSensitive makes
	// "ABC" and "abc" different values (by default they collide).
	Unique, CaseSensitive bool
	// Picklist lists a picklist's values; Restricted refuses others.
	Picklist   []string
	Restricted bool
	// ReferenceTo is the object a reference field points at.
	ReferenceTo string
	// HTML makes a textarea a rich text area.
	HTML bool
}

// ticketSyncFields are the Case fields of the ticket-sync metadata.
func ticketSyncFields() []FieldSpec {
	return []FieldSpec{
		{Name: TicketKeyField, Type: "string", Length: 80, ExternalID: true, Unique: true},
		{Name: TicketURLField, Type: "url", Length: 255},
		{Name: LastCommentField, Type: "string", Length: 32},
	}
}

// customType parses a type name AddField and DefineField accept.
func customType(s string) (fieldType, bool) {
	switch t := fieldType(strings.ToLower(s)); t {
	case typeID, typeString, typeEmail, typePhone, typeURL, typePicklist, typeTextarea, typeBoolean,
		typeInt, typeDouble, typeCurrency, typeDate, typeDateTime, typeReference:
		return t, t != typeID
	}
	return "", false
}

// addCustom adds a custom field to an object after checking the spec.
func (s *schema) addCustom(objName string, spec FieldSpec) error {
	o := s.object(objName)
	switch {
	case o == nil:
		return fmt.Errorf("no sObject %q", objName)
	case o.system:
		return fmt.Errorf("%s does not take custom fields here", o.name)
	case !strings.HasSuffix(spec.Name, "__c") || !validIdent(strings.TrimSuffix(spec.Name, "__c")):
		return fmt.Errorf("%q is not a custom field name (Name__c)", spec.Name)
	case o.field(spec.Name) != nil:
		return fmt.Errorf("%s.%s already exists", o.name, spec.Name)
	}
	ft, ok := customType(spec.Type)
	if !ok {
		return fmt.Errorf("unknown field type %q", spec.Type)
	}
	f := &field{name: spec.Name, label: spec.Label, typ: ft, custom: true, required: spec.Required,
		extID: spec.ExternalID, unique: spec.Unique, caseSensitive: spec.CaseSensitive,
		picklist: append([]string(nil), spec.Picklist...), restricted: spec.Restricted, html: spec.HTML}
	switch {
	case spec.Length < 0 || spec.Length > 131072:
		return fmt.Errorf("length %d is out of range", spec.Length)
	case spec.Length > 0 && !ft.textual():
		return fmt.Errorf("a %s field has no length", ft)
	case (spec.ExternalID || spec.Unique) && !(ft == typeString || ft == typeEmail || ft.numeric()):
		return fmt.Errorf("a %s field cannot be an external id or unique", ft)
	case len(spec.Picklist) > 0 && ft != typePicklist, spec.Restricted && ft != typePicklist:
		return fmt.Errorf("only picklists take values")
	case spec.HTML && ft != typeTextarea:
		return fmt.Errorf("only a textarea can be rich text")
	}
	f.length = spec.Length
	if ft == typeTextarea && f.length == 0 {
		f.length = 32768
	}
	if ft == typeReference {
		target := s.object(spec.ReferenceTo)
		if target == nil {
			return fmt.Errorf("a reference needs ReferenceTo naming an object, not %q", spec.ReferenceTo)
		}
		f.refTo, f.relName = target.name, strings.TrimSuffix(spec.Name, "__c")+"__r"
	}
	if ft == typeBoolean {
		f.def = false
	}
	o.addField(f)
	return nil
}

// AddField adds a custom field (Name__c) to a standard object, with the
// properties describe reports and writes obey.
func (o *Org) AddField(sobject string, spec FieldSpec) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.data.schema.addCustom(sobject, spec); err != nil {
		return fmt.Errorf("salesforcetest: AddField: %w", err)
	}
	return nil
}

// DefineField adds a custom field (Name__c) to a standard object. Types:
// string, email, phone, url, picklist, textarea, boolean, int, double,
// currency, date, datetime. Custom string, email, int and double fields
// count as External ID fields for upserts; AddField sets that explicitly.
func (o *Org) DefineField(sobject, field, fieldType string) error {
	ft, _ := customType(fieldType)
	extID := ft == typeString || ft == typeEmail || ft == typeInt || ft == typeDouble
	o.mu.Lock()
	defer o.mu.Unlock()
	if err := o.data.schema.addCustom(sobject, FieldSpec{Name: field, Type: fieldType, ExternalID: extID}); err != nil {
		return fmt.Errorf("salesforcetest: DefineField: %w", err)
	}
	return nil
}

// SetPicklist replaces a picklist's values, all active, and says whether
// it is restricted (other values refused with
// INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).
func (o *Org) SetPicklist(sobject, fieldName string, values []string, restricted bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	obj := o.data.schema.object(sobject)
	if obj == nil || obj.field(fieldName) == nil || obj.field(fieldName).typ != typePicklist {
		return fmt.Errorf("salesforcetest: SetPicklist: %s.%s is not a picklist", sobject, fieldName)
	}
	f := obj.field(fieldName)
	f.picklist, f.restricted = append([]string(nil), values...), restricted
	return nil
}
