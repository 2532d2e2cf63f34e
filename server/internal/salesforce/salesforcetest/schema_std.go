package salesforcetest

// fieldOpt adjusts a standard field definition.
type fieldOpt func(*field)

func readOnly(f *field) { f.readOnly = true }
func required(f *field) { f.required = true }
func audit(f *field)    { f.readOnly, f.auditField = true, true }

func refTo(object, rel string) fieldOpt {
	return func(f *field) { f.typ, f.refTo, f.relName = typeReference, object, rel }
}

func maxLen(n int) fieldOpt { return func(f *field) { f.length = n } }

func createOnly(f *field) { f.createOnly = true }

func nameField(f *field) { f.nameField = true }

// pick makes a standard picklist: its values, 40 characters at most.
func pick(values ...string) fieldOpt {
	return func(f *field) { f.typ, f.picklist, f.length = typePicklist, values, 40 }
}

func defaultTo(v any) fieldOpt { return func(f *field) { f.def = v } }

func fld(name string, t fieldType, opts ...fieldOpt) *field {
	f := &field{name: name, typ: t}
	if t == typeBoolean {
		f.def = false // Salesforce booleans are never null
	}
	for _, o := range opts {
		o(f)
	}
	return f
}

func newSObject(name, label, plural, prefix string, fields ...*field) *sobject {
	o := &sobject{name: name, label: label, labelPlural: plural, keyPrefix: prefix,
		byLower: map[string]*field{}, parents: map[string]*field{}}
	for _, f := range fields {
		o.addField(f)
	}
	return o
}

// withAudit appends the system fields every owned data object carries.
func withAudit(fields ...*field) []*field {
	return withAuditOwned(true, fields...)
}

// withAuditOwned appends the system fields; owned adds OwnerId, which
// detail objects such as CaseComment lack.
func withAuditOwned(owned bool, fields ...*field) []*field {
	head := []*field{fld("Id", typeID, readOnly), fld("IsDeleted", typeBoolean, readOnly)}
	var tail []*field
	if owned {
		tail = append(tail, fld("OwnerId", typeReference, refTo("User", "Owner")))
	}
	tail = append(tail,
		fld("CreatedDate", typeDateTime, audit),
		fld("CreatedById", typeReference, refTo("User", "CreatedBy"), readOnly),
		fld("LastModifiedDate", typeDateTime, audit),
		fld("LastModifiedById", typeReference, refTo("User", "LastModifiedBy"), readOnly),
		fld("SystemModstamp", typeDateTime, audit),
	)
	return append(append(head, fields...), tail...)
}

// newStandardSchema returns the built-in objects: the CRM objects the
// product reads and writes, and the system objects it checks permissions
// and identity with. ticketSync adds the ticket-sync Case fields.
func newStandardSchema(ticketSync bool) *schema {
	s := &schema{objects: map[string]*sobject{}}
	account := newSObject("Account", "Account", "Accounts", prefixAccount, withAudit(
		fld("Name", typeString, required, nameField),
		fld("Type", typePicklist, pick(accountTypes()...)),
		fld("ParentId", typeReference, refTo("Account", "Parent")),
		fld("Industry", typePicklist, pick(industries()...)),
		fld("Phone", typePhone),
		fld("Website", typeURL),
		fld("BillingCity", typeString, maxLen(40)),
		fld("BillingCountry", typeString, maxLen(80)),
		fld("AnnualRevenue", typeCurrency),
		fld("NumberOfEmployees", typeInt),
		fld("Description", typeTextarea),
	)...)
	account.children = []childRel{
		{"Contacts", "Contact", "AccountId"},
		{"Opportunities", "Opportunity", "AccountId"},
		{"Cases", "Case", "AccountId"},
	}
	contact := newSObject("Contact", "Contact", "Contacts", prefixContact, withAudit(
		fld("AccountId", typeReference, refTo("Account", "Account")),
		fld("LastName", typeString, required, maxLen(80)),
		fld("FirstName", typeString, maxLen(40)),
		fld("Salutation", typePicklist, pick(salutations()...)),
		fld("Name", typeString, readOnly, maxLen(121), nameField),
		fld("Email", typeEmail),
		fld("Phone", typePhone),
		fld("MobilePhone", typePhone),
		fld("Title", typeString, maxLen(128)),
		fld("Department", typeString, maxLen(80)),
		fld("MailingCity", typeString, maxLen(40)),
		fld("MailingCountry", typeString, maxLen(80)),
		fld("Description", typeTextarea),
	)...)
	contact.children = []childRel{{"Cases", "Case", "ContactId"}}
	lead := newSObject("Lead", "Lead", "Leads", prefixLead, withAudit(
		fld("LastName", typeString, required, maxLen(80)),
		fld("FirstName", typeString, maxLen(40)),
		fld("Name", typeString, readOnly, maxLen(121), nameField),
		fld("Title", typeString, maxLen(128)),
		fld("Company", typeString, required),
		fld("Email", typeEmail),
		fld("Phone", typePhone),
		fld("MobilePhone", typePhone),
		fld("Status", typePicklist, pick(leadStatuses()...), defaultTo("Open - Not Contacted")),
		fld("LeadSource", typePicklist, pick(leadSources()...)),
		fld("Industry", typePicklist, pick(industries()...)),
		fld("City", typeString, maxLen(40)),
		fld("Country", typeString, maxLen(80)),
		fld("IsConverted", typeBoolean, readOnly),
		fld("Description", typeTextarea),
	)...)
	opportunity := newSObject("Opportunity", "Opportunity", "Opportunities", prefixOpportunity, withAudit(
		fld("AccountId", typeReference, refTo("Account", "Account")),
		fld("Name", typeString, required, maxLen(120), nameField),
		fld("Description", typeTextarea),
		fld("StageName", typePicklist, pick(opportunityStages()...), required),
		fld("Amount", typeCurrency),
		fld("CloseDate", typeDate, required),
		fld("Type", typePicklist, pick(opportunityTypes()...)),
		fld("LeadSource", typePicklist, pick(leadSources()...)),
		fld("IsClosed", typeBoolean, readOnly),
		fld("IsWon", typeBoolean, readOnly),
	)...)
	cas := newSObject("Case", "Case", "Cases", prefixCase, withAudit(
		fld("CaseNumber", typeString, readOnly, maxLen(30), nameField, func(f *field) { f.autoNumber = true }),
		fld("ContactId", typeReference, refTo("Contact", "Contact")),
		fld("AccountId", typeReference, refTo("Account", "Account")),
		fld("SuppliedName", typeString, maxLen(80)),
		fld("SuppliedEmail", typeEmail),
		fld("SuppliedPhone", typePhone),
		fld("Type", typePicklist, pick(casePicklist("Type")...)),
		fld("Status", typePicklist, pick(casePicklist("Status")...), defaultTo("New")),
		fld("Reason", typePicklist, pick(casePicklist("Reason")...)),
		fld("Origin", typePicklist, pick(casePicklist("Origin")...)),
		fld("Subject", typeString),
		fld("Priority", typePicklist, pick(casePicklist("Priority")...), defaultTo("Medium")),
		fld("Description", typeTextarea),
		fld("IsClosed", typeBoolean, readOnly),
		fld("ClosedDate", typeDateTime, readOnly),
		fld("IsEscalated", typeBoolean),
	)...)
	cas.children = []childRel{{"CaseComments", "CaseComment", "ParentId"}}
	comment := newSObject("CaseComment", "Case Comment", "Case Comments", prefixCaseComment, withAuditOwned(false,
		fld("ParentId", typeReference, refTo("Case", "Parent"), required, createOnly),
		fld("IsPublished", typeBoolean),
		fld("CommentBody", typeTextarea, maxLen(4000)),
	)...)
	user := newSObject("User", "User", "Users", prefixUser,
		fld("Id", typeID, readOnly),
		fld("Username", typeString, maxLen(80)),
		fld("LastName", typeString, maxLen(80)),
		fld("FirstName", typeString, maxLen(40)),
		fld("Name", typeString, readOnly, maxLen(121), nameField),
		fld("Email", typeEmail, maxLen(128)),
		fld("Alias", typeString, maxLen(8)),
		fld("IsActive", typeBoolean),
		fld("UserType", typePicklist),
		fld("ProfileId", typeReference, refTo("Profile", "Profile")),
		fld("TimeZoneSidKey", typePicklist),
		fld("LocaleSidKey", typePicklist),
		fld("LanguageLocaleKey", typePicklist),
		fld("CreatedDate", typeDateTime, audit),
		fld("LastModifiedDate", typeDateTime, audit),
		fld("SystemModstamp", typeDateTime, audit),
	)
	profile := newSObject("Profile", "Profile", "Profiles", prefixProfile,
		fld("Id", typeID, readOnly),
		fld("Name", typeString),
		fld("UserType", typePicklist),
	)
	org := newSObject("Organization", "Organization", "Organizations", prefixOrg,
		fld("Id", typeID, readOnly),
		fld("Name", typeString),
		fld("IsSandbox", typeBoolean),
		fld("OrganizationType", typePicklist),
		fld("InstanceName", typeString),
		fld("LanguageLocaleKey", typePicklist),
		fld("DefaultLocaleSidKey", typePicklist),
		fld("TimeZoneSidKey", typePicklist),
	)
	perms := newSObject("UserPermissionAccess", "User Permission Access", "User Permission Access", "",
		fld("Id", typeID, readOnly),
		fld("PermissionsApiEnabled", typeBoolean),
		fld("PermissionsModifyAllData", typeBoolean),
		fld("PermissionsViewSetup", typeBoolean),
		fld("PermissionsCustomizeApplication", typeBoolean),
		fld("PermissionsModifyMetadata", typeBoolean),
		fld("PermissionsViewAllData", typeBoolean),
	)
	for _, o := range []*sobject{user, profile, org, perms} {
		o.system = true
	}
	for _, o := range []*sobject{account, contact, lead, opportunity, cas, comment, user, profile, org, perms} {
		s.add(o)
	}
	if ticketSync {
		for _, spec := range ticketSyncFields() {
			if err := s.addCustom("Case", spec); err != nil {
				panic("salesforcetest: ticket-sync field: " + err.Error())
			}
		}
	}
	return s
}
