package salesforcetest

import (
	"strings"
	"unicode"
)

// fieldType is a describe field type.
type fieldType string

// The field types the emulator stores. Their names are the describe names.
const (
	typeID        fieldType = "id"
	typeString    fieldType = "string"
	typeEmail     fieldType = "email"
	typePhone     fieldType = "phone"
	typeURL       fieldType = "url"
	typePicklist  fieldType = "picklist"
	typeTextarea  fieldType = "textarea"
	typeBoolean   fieldType = "boolean"
	typeInt       fieldType = "int"
	typeDouble    fieldType = "double"
	typeCurrency  fieldType = "currency"
	typeDate      fieldType = "date"
	typeDateTime  fieldType = "datetime"
	typeReference fieldType = "reference"
)

// textual reports whether values of t are strings compared without case.
func (t fieldType) textual() bool {
	switch t {
	case typeString, typeEmail, typePhone, typeURL, typePicklist, typeTextarea:
		return true
	}
	return false
}

func (t fieldType) idLike() bool   { return t == typeID || t == typeReference }
func (t fieldType) numeric() bool  { return t == typeInt || t == typeDouble || t == typeCurrency }
func (t fieldType) temporal() bool { return t == typeDate || t == typeDateTime }

// maxLength is the longest text a field of type t holds.
func (t fieldType) maxLength() int {
	switch t {
	case typeTextarea:
		return 32000
	case typeEmail:
		return 80
	case typePhone:
		return 40
	}
	return 255
}

// field describes one column of an sObject.
type field struct {
	name     string
	label    string
	typ      fieldType
	refTo    string // the object a reference points at; "" when unknown
	relName  string // parent relationship name, e.g. Account for AccountId
	readOnly bool   // system or computed: refused on create and update
	required bool   // must be set on create
	custom   bool
	// extID marks fields usable to upsert by external id.
	extID bool
	// auditField marks the audit dates a seed may set explicitly.
	auditField bool
	def        any // default value on create
	// length is a text field's maximum length; 0 means the type's.
	length int
	// picklist holds a picklist's active values in order; restricted
	// refuses any other value.
	picklist   []string
	restricted bool
	// unique refuses a value another live record holds, compared without
	// case unless caseSensitive.
	unique, caseSensitive bool
	// createOnly fields are set on create and never updated
	// (CaseComment.ParentId).
	createOnly bool
	html       bool // rich text area
	autoNumber bool // CaseNumber
	nameField  bool // the field Salesforce names records by
}

// nillable follows describe: required fields, booleans and system fields
// are never null.
func (f *field) nillable() bool {
	switch f.name {
	case "Id", "OwnerId", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp":
		return false
	}
	return !f.required && f.typ != typeBoolean && !f.autoNumber
}

// defaultedOnCreate follows describe: Salesforce fills the field when a
// create leaves it out.
func (f *field) defaultedOnCreate() bool {
	return f.def != nil || f.autoNumber || !f.nillable() && !f.required
}

// maxLen is the longest text f holds.
func (f *field) maxLen() int {
	if f.length > 0 {
		return f.length
	}
	return f.typ.maxLength()
}

// longText marks a long (or rich) text area: a textarea longer than 255
// characters, which SOQL can select but not filter, sort or group by.
func (f *field) longText() bool { return f.typ == typeTextarea && f.maxLen() > 255 }

func (f *field) filterable() bool { return !f.longText() }

func (f *field) sortable() bool { return !f.longText() }

// groupable follows describe: no long text, doubles, currencies or
// date-times.
func (f *field) groupable() bool {
	switch f.typ {
	case typeDouble, typeCurrency, typeDateTime:
		return false
	}
	return !f.longText()
}

// childRel is a child relationship such as Account.Contacts.
type childRel struct {
	name   string // Contacts
	object string // Contact
	field  string // AccountId
}

// sobject describes one object type.
type sobject struct {
	name        string
	label       string
	labelPlural string
	keyPrefix   string
	fields      []*field
	byLower     map[string]*field
	parents     map[string]*field // lower relationship name → reference field
	children    []childRel
	// system objects (User, Profile, Organization, UserPermissionAccess)
	// are read-only through the REST API and visible to everyone.
	system bool
}

func (o *sobject) field(name string) *field { return o.byLower[strings.ToLower(name)] }

func (o *sobject) parent(rel string) *field { return o.parents[strings.ToLower(rel)] }

func (o *sobject) child(rel string) (childRel, bool) {
	for _, c := range o.children {
		if strings.EqualFold(c.name, rel) {
			return c, true
		}
	}
	return childRel{}, false
}

func (o *sobject) addField(f *field) {
	if f.label == "" {
		f.label = labelFor(f.name)
	}
	o.fields = append(o.fields, f)
	o.byLower[strings.ToLower(f.name)] = f
	if f.relName != "" {
		o.parents[strings.ToLower(f.relName)] = f
	}
}

// schema is one org's objects. Each org has its own, since DefineField adds
// custom fields per org.
type schema struct {
	objects map[string]*sobject // lower name
	order   []string
}

func (s *schema) object(name string) *sobject { return s.objects[strings.ToLower(name)] }

func (s *schema) add(o *sobject) {
	s.objects[strings.ToLower(o.name)] = o
	s.order = append(s.order, o.name)
}

// validIdent reports whether s is a SOQL identifier.
func validIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case (r >= '0' && r <= '9' || r == '_') && i > 0:
		default:
			return false
		}
	}
	return !strings.Contains(s, "__") && !strings.HasSuffix(s, "_")
}

// labelFor turns an API name into a label: BillingCity → Billing City,
// AccountId → Account ID, Zendesk_Ticket_Id__c → Zendesk Ticket Id.
func labelFor(name string) string {
	name = strings.TrimSuffix(name, "__c")
	if strings.HasSuffix(name, "Id") && len(name) > 2 {
		return labelFor(strings.TrimSuffix(name, "Id")) + " ID"
	}
	var b strings.Builder
	prev := rune(0)
	for i, r := range name {
		switch {
		case r == '_':
			b.WriteRune(' ')
		case i > 0 && unicode.IsUpper(r) && prev != '_' && !unicode.IsUpper(prev):
			b.WriteRune(' ')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}
