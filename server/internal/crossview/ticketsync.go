package crossview

import (
	"fmt"
	"strings"
)

// The Salesforce Case fields ticket sync writes besides the standard ones,
// shipped as metadata in salesforce-lwc/force-app.
const (
	// CaseTicketKeyField is the Case's external id: "{subdomain}:{ticket id}",
	// so tickets of several Zendesk accounts never collide in one org.
	CaseTicketKeyField = "Zendesk_Ticket_Key__c"
	// CaseTicketURLField links the Case back to the ticket.
	CaseTicketURLField = "Zendesk_Ticket_URL__c"
	// CaseCommentMarkerField holds the id of the last Zendesk comment
	// written as a CaseComment, updated in the same transaction.
	CaseCommentMarkerField = "Zendesk_Last_Comment_Id__c"
)

// TicketKey is the Case external id of a ticket.
func TicketKey(subdomain string, ticketID int64) string {
	return fmt.Sprintf("%s:%d", subdomain, ticketID)
}

// CommentScope chooses which Zendesk comments become CaseComments.
type CommentScope string

// Comment scopes.
const (
	CommentsPublic CommentScope = "public" // public replies only
	CommentsAll    CommentScope = "all"    // internal notes too (as unpublished CaseComments)
	CommentsNone   CommentScope = "none"
)

// RecordMatch says what ticket sync does when it cannot find the Salesforce
// record a ticket points at (the requester's Contact or Lead, the
// organization's Account), as the official integration's options do.
type RecordMatch string

// Record matching options.
const (
	MatchExisting RecordMatch = "existing" // link only to a record that exists; else leave it empty
	MatchCreate   RecordMatch = "create"   // create the record when none matches
	MatchDefault  RecordMatch = "default"  // link to a fixed default record when none matches
)

// FieldMapping maps one Zendesk ticket field to one Case field. Zendesk is
// a standard field name (subject, priority, type, status, ...) or a custom
// ticket field id ("custom:360001234").
type FieldMapping struct {
	Zendesk    string `json:"zendesk"`
	Salesforce string `json:"salesforce"`
	// Values maps Zendesk values (dropdown tags, statuses...) to Salesforce
	// picklist values; values not listed pass through unchanged.
	Values map[string]string `json:"values,omitempty"`
}

// TriggerCondition is one condition of the Zendesk trigger that decides
// which tickets sync, in Zendesk's own terms (field, operator, value).
type TriggerCondition struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    string `json:"value"`
}

// TicketSyncSettings configures ticket sync for one connection.
type TicketSyncSettings struct {
	Comments CommentScope `json:"comments"`
	// RequesterObject is Contact or Lead; RequesterMatch and
	// DefaultRequesterID say what happens when no record has the email.
	RequesterObject    string      `json:"requester_object"`
	RequesterMatch     RecordMatch `json:"requester_match"`
	DefaultRequesterID string      `json:"default_requester_id,omitempty"`
	// AccountMatch and DefaultAccountID do the same for the organization;
	// AccountExternalIDField, when set, is an Account field holding the
	// Zendesk organization id, tried before the name.
	AccountMatch           RecordMatch `json:"account_match"`
	DefaultAccountID       string      `json:"default_account_id,omitempty"`
	AccountExternalIDField string      `json:"account_external_id_field,omitempty"`
	// RecordTypeID, when set, is the Case record type synced Cases get.
	RecordTypeID string `json:"record_type_id,omitempty"`
	// Mappings override and extend the default field mapping.
	Mappings []FieldMapping `json:"mappings,omitempty"`
	// Conditions are the trigger's extra "all" conditions: the admin's
	// filter of which tickets sync.
	Conditions []TriggerCondition `json:"conditions,omitempty"`
	// BackfillDays is how far back enabling reaches (closed tickets too).
	BackfillDays int `json:"backfill_days"`
	// PauseAt is the share of the org's daily API allowance at which sync
	// pauses, leaving the rest to people (0.8 = 80 %).
	PauseAt float64 `json:"pause_at"`

	// Provisioned holds what Crossview created in Zendesk for this
	// connection; the signing secret is sealed with the connection's
	// token, never stored here.
	WebhookID string `json:"webhook_id,omitempty"`
	TriggerID int64  `json:"trigger_id,omitempty"`
}

// DefaultTicketSyncSettings is what a connection starts with.
func DefaultTicketSyncSettings() TicketSyncSettings {
	return TicketSyncSettings{
		Comments:        CommentsPublic,
		RequesterObject: ObjectContact,
		RequesterMatch:  MatchCreate,
		AccountMatch:    MatchExisting,
		BackfillDays:    30,
		PauseAt:         0.8,
	}
}

// Validate checks the settings' shape (the Case describe checks the
// fields themselves when sync is turned on).
func (s TicketSyncSettings) Validate() error {
	switch s.Comments {
	case CommentsPublic, CommentsAll, CommentsNone:
	default:
		return Errorf(EINVALID, "comments must be public, all or none, not %q", s.Comments)
	}
	if s.RequesterObject != ObjectContact && s.RequesterObject != ObjectLead {
		return Errorf(EINVALID, "requesters become a Contact or a Lead, not %q", s.RequesterObject)
	}
	for what, m := range map[string]struct {
		match RecordMatch
		def   string
	}{"requester": {s.RequesterMatch, s.DefaultRequesterID}, "account": {s.AccountMatch, s.DefaultAccountID}} {
		switch m.match {
		case MatchExisting, MatchCreate:
		case MatchDefault:
			if !ValidSalesforceID(m.def) {
				return Errorf(EINVALID, "the default %s must be a Salesforce record id", what)
			}
		default:
			return Errorf(EINVALID, "%s matching must be existing, create or default, not %q", what, m.match)
		}
	}
	if s.RecordTypeID != "" && !ValidSalesforceID(s.RecordTypeID) {
		return Errorf(EINVALID, "the Case record type must be a Salesforce id (012...)")
	}
	if f := s.AccountExternalIDField; f != "" && (!ValidFieldName(f) || strings.Contains(f, ".")) {
		return Errorf(EINVALID, "%q is not an Account field name", f)
	}
	seen := map[string]bool{}
	for _, m := range s.Mappings {
		if !ValidFieldName(m.Salesforce) || strings.Contains(m.Salesforce, ".") {
			return Errorf(EINVALID, "%q is not a Case field name", m.Salesforce)
		}
		if m.Zendesk == "" {
			return Errorf(EINVALID, "the mapping to %s names no Zendesk field", m.Salesforce)
		}
		if seen[strings.ToLower(m.Salesforce)] {
			return Errorf(EINVALID, "the Case field %s is mapped twice", m.Salesforce)
		}
		seen[strings.ToLower(m.Salesforce)] = true
	}
	if s.BackfillDays < 0 || s.BackfillDays > 365 {
		return Errorf(EINVALID, "backfill reaches between 0 and 365 days back")
	}
	if s.PauseAt <= 0 || s.PauseAt > 1 {
		return Errorf(EINVALID, "sync pauses at a share of the API allowance between 1 and 100 %%")
	}
	return nil
}
