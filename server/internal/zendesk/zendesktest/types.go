package zendesktest

import (
	"encoding/json"
	"strconv"
	"time"
)

// User roles.
const (
	RoleEndUser = "end-user"
	RoleAgent   = "agent"
	RoleAdmin   = "admin"
)

// User mirrors Zendesk's user JSON. Empty strings and zero ids are sent as
// null, as Zendesk does.
type User struct {
	ID             int64     `json:"id"`
	URL            string    `json:"url"`
	Name           string    `json:"name"`
	Email          string    `json:"email"`
	Role           string    `json:"role"`
	OrganizationID int64     `json:"organization_id"`
	ExternalID     string    `json:"external_id"`
	Active         bool      `json:"active"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// OtherEmails are the user's secondary email identities: not in the
	// user JSON, listed by /users/{id}/identities and found by search.
	OtherEmails []string `json:"-"`

	// TicketRestriction is organization, groups, assigned or requested
	// for agents, requested or organization for end-users, "" (null) for
	// none.
	TicketRestriction string `json:"ticket_restriction"`
	// Phone, Tags, Notes and UserFields (custom user field values by key)
	// are what data sync writes. The slices and maps are replaced, never
	// changed in place, so copies stay independent.
	Phone      string         `json:"phone"`
	Tags       []string       `json:"tags"`
	Notes      string         `json:"notes"`
	UserFields map[string]any `json:"user_fields"`
}

// Organization mirrors Zendesk's organization JSON.
type Organization struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Name        string    `json:"name"`
	ExternalID  string    `json:"external_id"`
	DomainNames []string  `json:"domain_names"`
	Tags        []string  `json:"tags"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Notes, Details and OrganizationFields (custom values by key) are
	// what data sync writes; the map is replaced, never changed in place.
	Notes              string         `json:"notes"`
	Details            string         `json:"details"`
	OrganizationFields map[string]any `json:"organization_fields"`
}

// Via says how a ticket was created.
type Via struct {
	Channel string `json:"channel"`
}

// Ticket mirrors Zendesk's ticket JSON. Status is one of new, open,
// pending, hold, solved, closed; Priority one of low, normal, high, urgent
// or empty (null); Type one of problem, incident, question, task or empty.
type Ticket struct {
	ID             int64     `json:"id"`
	URL            string    `json:"url"`
	Subject        string    `json:"subject"`
	Description    string    `json:"description"`
	Status         string    `json:"status"`
	Priority       string    `json:"priority"`
	Type           string    `json:"type"`
	RequesterID    int64     `json:"requester_id"`
	SubmitterID    int64     `json:"submitter_id"`
	AssigneeID     int64     `json:"assignee_id"`
	OrganizationID int64     `json:"organization_id"`
	GroupID        int64     `json:"group_id"`
	Tags           []string  `json:"tags"`
	ExternalID     string    `json:"external_id"`
	Via            Via       `json:"via"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// BrandID and TicketFormID name the ticket's brand and form; zero is
	// null.
	BrandID      int64 `json:"brand_id"`
	TicketFormID int64 `json:"ticket_form_id"`
	// CustomFields hold the values of custom ticket fields, by field id.
	CustomFields []CustomField `json:"custom_fields"`
}

// CustomField is one custom ticket field value: a string, number, bool,
// list of strings (multi-select) or nil.
type CustomField struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

// userWire is the JSON form of a User; ResultType is set in search results.
type userWire struct {
	ID             int64   `json:"id"`
	URL            string  `json:"url"`
	Name           string  `json:"name"`
	Email          *string `json:"email"`
	Role           string  `json:"role"`
	OrganizationID *int64  `json:"organization_id"`
	ExternalID     *string `json:"external_id"`
	Active         bool    `json:"active"`
	CreatedAt      string  `json:"created_at"`
	UpdatedAt      string  `json:"updated_at"`
	ResultType     string  `json:"result_type,omitempty"`

	TicketRestriction *string `json:"ticket_restriction"`
	RestrictedAgent   bool    `json:"restricted_agent"`

	Phone      *string        `json:"phone"`
	Tags       []string       `json:"tags"`
	Notes      *string        `json:"notes"`
	UserFields map[string]any `json:"user_fields"`
}

func (u User) wire() userWire {
	return userWire{
		ID: u.ID, URL: u.URL, Name: u.Name, Email: optString(u.Email), Role: u.Role,
		OrganizationID: optID(u.OrganizationID), ExternalID: optString(u.ExternalID),
		Active: u.Active, CreatedAt: stamp(u.CreatedAt), UpdatedAt: stamp(u.UpdatedAt),
		TicketRestriction: optString(u.TicketRestriction), RestrictedAgent: u.Role == RoleAgent && u.TicketRestriction != "",
		Phone: optString(u.Phone), Tags: nonNil(u.Tags), Notes: optString(u.Notes), UserFields: nonNilMap(u.UserFields),
	}
}

// MarshalJSON writes the documented JSON, with nulls and RFC 3339 times.
func (u User) MarshalJSON() ([]byte, error) { return json.Marshal(u.wire()) }

type organizationWire struct {
	ID          int64    `json:"id"`
	URL         string   `json:"url"`
	Name        string   `json:"name"`
	ExternalID  *string  `json:"external_id"`
	DomainNames []string `json:"domain_names"`
	Tags        []string `json:"tags"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
	ResultType  string   `json:"result_type,omitempty"`

	Notes              *string        `json:"notes"`
	Details            *string        `json:"details"`
	OrganizationFields map[string]any `json:"organization_fields"`
	GroupID            *int64         `json:"group_id"`
	SharedTickets      bool           `json:"shared_tickets"`
	SharedComments     bool           `json:"shared_comments"`
}

func (o Organization) wire() organizationWire {
	return organizationWire{
		ID: o.ID, URL: o.URL, Name: o.Name, ExternalID: optString(o.ExternalID),
		DomainNames: nonNil(o.DomainNames), Tags: nonNil(o.Tags),
		CreatedAt: stamp(o.CreatedAt), UpdatedAt: stamp(o.UpdatedAt),
		Notes: optString(o.Notes), Details: optString(o.Details), OrganizationFields: nonNilMap(o.OrganizationFields),
	}
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// MarshalJSON writes the documented JSON, with nulls and RFC 3339 times.
func (o Organization) MarshalJSON() ([]byte, error) { return json.Marshal(o.wire()) }

type ticketWire struct {
	ID                 int64         `json:"id"`
	URL                string        `json:"url"`
	Subject            string        `json:"subject"`
	RawSubject         string        `json:"raw_subject"`
	Description        string        `json:"description"`
	Status             string        `json:"status"`
	Priority           *string       `json:"priority"`
	Type               *string       `json:"type"`
	RequesterID        *int64        `json:"requester_id"`
	SubmitterID        *int64        `json:"submitter_id"`
	AssigneeID         *int64        `json:"assignee_id"`
	OrganizationID     *int64        `json:"organization_id"`
	GroupID            *int64        `json:"group_id"`
	Tags               []string      `json:"tags"`
	ExternalID         *string       `json:"external_id"`
	Via                Via           `json:"via"`
	CreatedAt          string        `json:"created_at"`
	UpdatedAt          string        `json:"updated_at"`
	BrandID            *int64        `json:"brand_id"`
	TicketFormID       *int64        `json:"ticket_form_id"`
	CustomFields       []CustomField `json:"custom_fields"`
	Fields             []CustomField `json:"fields"`
	IsPublic           bool          `json:"is_public"`
	GeneratedTimestamp *int64        `json:"generated_timestamp,omitempty"`
	ResultType         string        `json:"result_type,omitempty"`
}

func (t Ticket) wire() ticketWire {
	return ticketWire{
		ID: t.ID, URL: t.URL, Subject: t.Subject, RawSubject: t.Subject, Description: t.Description,
		Status: t.Status, Priority: optString(t.Priority), Type: optString(t.Type),
		RequesterID: optID(t.RequesterID), SubmitterID: optID(t.SubmitterID),
		AssigneeID: optID(t.AssigneeID), OrganizationID: optID(t.OrganizationID),
		GroupID: optID(t.GroupID), Tags: nonNil(t.Tags), ExternalID: optString(t.ExternalID),
		Via: t.Via, CreatedAt: stamp(t.CreatedAt), UpdatedAt: stamp(t.UpdatedAt),
		BrandID: optID(t.BrandID), TicketFormID: optID(t.TicketFormID),
		CustomFields: nonNilFields(t.CustomFields), Fields: nonNilFields(t.CustomFields), IsPublic: true,
	}
}

func nonNilFields(f []CustomField) []CustomField {
	if f == nil {
		return []CustomField{}
	}
	return f
}

// MarshalJSON writes the documented JSON, with nulls and RFC 3339 times.
func (t Ticket) MarshalJSON() ([]byte, error) { return json.Marshal(t.wire()) }

func (t Ticket) clone() Ticket {
	t.Tags = append([]string(nil), t.Tags...)
	if t.CustomFields != nil {
		fields := make([]CustomField, len(t.CustomFields))
		for i, f := range t.CustomFields {
			if list, ok := f.Value.([]string); ok {
				f.Value = append([]string(nil), list...)
			}
			fields[i] = f
		}
		t.CustomFields = fields
	}
	return t
}

func (o Organization) clone() Organization {
	o.DomainNames = append([]string(nil), o.DomainNames...)
	o.Tags = append([]string(nil), o.Tags...)
	return o
}

// stamp formats a time the way Zendesk does: RFC 3339, seconds, UTC "Z".
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optID(n int64) *int64 {
	if n == 0 {
		return nil
	}
	return &n
}

// optIDString renders an id as webhook events do: a decimal string or null.
func optIDString(n int64) *string {
	if n == 0 {
		return nil
	}
	s := strconv.FormatInt(n, 10)
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
