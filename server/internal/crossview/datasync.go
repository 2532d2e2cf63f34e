package crossview

import (
	"strings"
	"time"
)

// DataSyncSettings configures data sync (Salesforce Accounts, Contacts and
// Leads to Zendesk organizations and users) for one connection. The
// account_sync and contact_sync features turn it on; these say how.
type DataSyncSettings struct {
	Accounts ObjectSync `json:"accounts"` // Account → organization
	Contacts ObjectSync `json:"contacts"` // Contact → user
	Leads    ObjectSync `json:"leads"`    // Lead → user
	// UserMatch lists, in order, how a record finds its Zendesk user:
	// "external_id" (the Salesforce id), "email".
	UserMatch []string `json:"user_match"`
	// OrgMatch lists how an Account finds its organization: "external_id",
	// "name", "domain", or "field:<organization field key>".
	OrgMatch []string `json:"org_match"`
	// OnDelete is what a Salesforce delete does: "nothing", "tag" (adds
	// DeleteTag) or "unlink" (removes the organization membership). A
	// Zendesk user is never deleted.
	OnDelete  string `json:"on_delete"`
	DeleteTag string `json:"delete_tag,omitempty"`
	// Memberships: "primary" (the Contact's Account) or "all" (also the
	// secondary Account-Contact relationships, where the org has them).
	Memberships string `json:"memberships"`
	// Priority decides between orgs feeding one Zendesk account that claim
	// the same email: the lowest number wins.
	Priority int `json:"priority"`
	// PollSeconds is how often changes are read (default 30); APIShare is
	// the share of the org's remaining daily API allowance the polls may
	// spend, which can stretch the interval.
	PollSeconds int     `json:"poll_seconds"`
	APIShare    float64 `json:"api_share"`
}

// ObjectSync configures one Salesforce object's sync.
type ObjectSync struct {
	On       bool          `json:"on"`
	Mappings []DataMapping `json:"mappings,omitempty"`
	// Filter keeps the records in scope; nil keeps all.
	Filter *FilterGroup `json:"filter,omitempty"`
}

// DataMapping maps a Salesforce field to a Zendesk user or organization
// field: a standard one (name, email, phone, domain_names, tags, notes,
// details) or a custom field key ("user_fields.plan"). external_id is not
// mappable: it is always the Salesforce id.
type DataMapping struct {
	Salesforce string `json:"salesforce"`
	Zendesk    string `json:"zendesk"`
	// Values maps picklist values to dropdown option values.
	Values map[string]string `json:"values,omitempty"`
}

// FilterGroup is a nested AND/OR group of conditions.
type FilterGroup struct {
	Op         string            `json:"op"` // "and" or "or"
	Conditions []FilterCondition `json:"conditions,omitempty"`
	Groups     []FilterGroup     `json:"groups,omitempty"`
}

// FilterCondition compares one field: operators =, !=, <, <=, >, >=,
// like, not like, in, not in, is null, is not null.
type FilterCondition struct {
	Field    string   `json:"field"`
	Operator string   `json:"operator"`
	Value    string   `json:"value,omitempty"`
	Values   []string `json:"values,omitempty"`
}

// DefaultDataSyncSettings is what a connection starts with: Accounts and
// Contacts, matched by Salesforce id then email or name, deletes ignored.
func DefaultDataSyncSettings() DataSyncSettings {
	return DataSyncSettings{
		Accounts:    ObjectSync{On: true, Mappings: []DataMapping{{Salesforce: "Name", Zendesk: "name"}}},
		Contacts:    ObjectSync{On: true, Mappings: []DataMapping{{Salesforce: "Name", Zendesk: "name"}, {Salesforce: "Email", Zendesk: "email"}}},
		Leads:       ObjectSync{Mappings: []DataMapping{{Salesforce: "Name", Zendesk: "name"}, {Salesforce: "Email", Zendesk: "email"}}},
		UserMatch:   []string{"external_id", "email"},
		OrgMatch:    []string{"external_id", "name"},
		OnDelete:    "nothing",
		Memberships: "primary",
		PollSeconds: 30,
		APIShare:    0.1,
	}
}

// SFRecord is a Salesforce record as data sync reads it.
type SFRecord struct {
	Object   string         `json:"object"` // Account, Contact, Lead
	ID       string         `json:"id"`
	Modstamp time.Time      `json:"modstamp"` // SystemModstamp
	Fields   map[string]any `json:"fields"`   // by API name, as queried
	// AccountID is a Contact's Account; Related lists its other Accounts
	// (Account-Contact relationships), when the org has them.
	AccountID string   `json:"account_id,omitempty"`
	Related   []string `json:"related,omitempty"`
}

// SFCursor is where change capture resumes for one object: the
// SystemModstamp and Id of the last record read. Records with an equal
// SystemModstamp and a larger Id come next, so equal timestamps are never
// skipped.
type SFCursor struct {
	Modstamp time.Time `json:"modstamp"`
	ID       string    `json:"id"`
}

// SFDeleted is a record Salesforce reports deleted.
type SFDeleted struct {
	Object  string    `json:"object"`
	ID      string    `json:"id"`
	Deleted time.Time `json:"deleted"`
}

// ZendeskField is a custom user or organization field, for checking
// mappings.
type ZendeskField struct {
	Key     string   `json:"key"`
	Type    string   `json:"type"` // text, textarea, checkbox, date, integer, decimal, regexp, dropdown, lookup, multiselect
	Title   string   `json:"title"`
	Options []string `json:"options,omitempty"` // dropdown values
}

// OrgWrite is one organization to create or update.
type OrgWrite struct {
	ExternalID  string         `json:"external_id"` // the Account id
	Name        string         `json:"name,omitempty"`
	DomainNames []string       `json:"domain_names,omitempty"` // added, never removed
	Tags        []string       `json:"tags,omitempty"`         // added, never removed
	Notes       *string        `json:"notes,omitempty"`
	Details     *string        `json:"details,omitempty"`
	Fields      map[string]any `json:"organization_fields,omitempty"`
	// Match says how to find an existing organization when none has the
	// external id (DataSyncSettings.OrgMatch after "external_id").
	Match []string `json:"-"`
}

// UserWrite is one end user to create or update.
type UserWrite struct {
	ExternalID string         `json:"external_id"` // the Contact or Lead id
	Name       string         `json:"name,omitempty"`
	Email      string         `json:"email,omitempty"` // added as an identity, never removed
	Phone      string         `json:"phone,omitempty"` // added, never removed
	Tags       []string       `json:"tags,omitempty"`  // added, never removed
	Notes      *string        `json:"notes,omitempty"`
	Details    *string        `json:"details,omitempty"`
	Fields     map[string]any `json:"user_fields,omitempty"`
	// OrgExternalID is the user's organization by its external id (the
	// Account id); the writer resolves it.
	OrgExternalID string `json:"-"`
	// Match: how to find an existing user when none has the external id.
	Match []string `json:"-"`
}

// Membership links a user to a further organization, both by external id.
type Membership struct {
	UserExternalID string `json:"user"`
	OrgExternalID  string `json:"org"`
}

// WriteResult is one record's outcome in Zendesk.
type WriteResult struct {
	ExternalID string `json:"external_id"`
	ZendeskID  int64  `json:"zendesk_id,omitempty"`
	Status     string `json:"status"` // created, updated, unchanged, skipped, failed
	// Error is Zendesk's own message for a failed record, or why it was
	// skipped (an agent, an email another org owns).
	Error string `json:"error,omitempty"`
}

// Failed reports whether the record did not make it.
func (r WriteResult) Failed() bool { return r.Status == "failed" }

// ValidOperator reports whether op is a filter operator data sync knows.
func ValidOperator(op string) bool {
	switch strings.ToLower(op) {
	case "=", "!=", "<", "<=", ">", ">=", "like", "not like", "in", "not in", "is null", "is not null":
		return true
	}
	return false
}
