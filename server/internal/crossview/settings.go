package crossview

import "strings"

// Objects the sidebar can show, in the order the panel shows them.
const (
	ObjectContact     = "Contact"
	ObjectLead        = "Lead"
	ObjectAccount     = "Account"
	ObjectOpportunity = "Opportunity"
	ObjectCase        = "Case"
)

// SidebarSettings configures what the Zendesk sidebar shows for one
// connection.
type SidebarSettings struct {
	// ContactMatchField and LeadMatchField are the Salesforce fields compared
	// with the ticket requester's email.
	ContactMatchField string `json:"contact_match_field"`
	LeadMatchField    string `json:"lead_match_field"`
	// Order places this org's section among the tenant's orgs (ascending).
	Order int `json:"order"`
	// Fields lists, per object, the extra fields shown beside the fixed ones
	// (Id and Name or its equivalent are always read).
	Fields map[string][]string `json:"fields"`
	// MaxOpportunities and MaxCases cap the related lists.
	MaxOpportunities int `json:"max_opportunities"`
	MaxCases         int `json:"max_cases"`
}

// DefaultSidebarSettings is what a new connection starts with.
func DefaultSidebarSettings() SidebarSettings {
	return SidebarSettings{
		ContactMatchField: "Email",
		LeadMatchField:    "Email",
		Fields: map[string][]string{
			ObjectContact:     {"Title", "Email", "Phone"},
			ObjectLead:        {"Company", "Email", "Status"},
			ObjectAccount:     {"Industry", "Type", "Phone"},
			ObjectOpportunity: {"StageName", "Amount", "CloseDate"},
			ObjectCase:        {"CaseNumber", "Status", "Priority"},
		},
		MaxOpportunities: 5,
		MaxCases:         5,
	}
}

// Validate checks that every field name is a plain SOQL identifier, so
// settings can never inject into a query.
func (s SidebarSettings) Validate() error {
	for _, f := range []string{s.ContactMatchField, s.LeadMatchField} {
		if !ValidFieldName(f) || strings.Contains(f, ".") {
			return Errorf(EINVALID, "match field %q is not a Salesforce field name", f)
		}
	}
	for obj, fields := range s.Fields {
		switch obj {
		case ObjectContact, ObjectLead, ObjectAccount, ObjectOpportunity, ObjectCase:
		default:
			return Errorf(EINVALID, "the sidebar cannot show %q records", obj)
		}
		if len(fields) > 10 {
			return Errorf(EINVALID, "at most 10 fields per object (%s has %d)", obj, len(fields))
		}
		for _, f := range fields {
			if !ValidFieldName(f) {
				return Errorf(EINVALID, "%q is not a Salesforce field name", f)
			}
		}
	}
	if s.MaxOpportunities < 0 || s.MaxOpportunities > 50 || s.MaxCases < 0 || s.MaxCases > 50 {
		return Errorf(EINVALID, "related lists show between 0 and 50 records")
	}
	return nil
}

// ValidFieldName reports whether s is a Salesforce field API name,
// optionally one relationship deep (Owner.Name).
func ValidFieldName(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) > 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 80 {
			return false
		}
		for i, r := range p {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			case (r >= '0' && r <= '9' || r == '_') && i > 0:
			default:
				return false
			}
		}
	}
	return true
}

// AccountMatch chooses how an Account finds its Zendesk organization.
type AccountMatch string

// Account matching strategies for the ticket view.
const (
	// MatchExternalID matches organization external_id = Account Id, as
	// set by account sync, falling back to the name.
	MatchExternalID AccountMatch = "external_id"
	// MatchName matches organization name = Account Name.
	MatchName AccountMatch = "name"
)

// TicketViewSettings configures how Salesforce records find Zendesk tickets.
type TicketViewSettings struct {
	AccountMatch AccountMatch `json:"account_match"`
	// IncludeContactEmails also lists tickets requested by the Account's
	// contacts.
	IncludeContactEmails bool `json:"include_contact_emails"`
}

// DefaultTicketViewSettings is what a new connection starts with.
func DefaultTicketViewSettings() TicketViewSettings {
	return TicketViewSettings{AccountMatch: MatchExternalID, IncludeContactEmails: true}
}
