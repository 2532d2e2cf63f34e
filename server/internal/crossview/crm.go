package crossview

import "time"

// Requester is the Zendesk user who asked for a ticket.
type Requester struct {
	ZendeskUserID int64  `json:"zendesk_user_id"`
	Name          string `json:"name"`
	Email         string `json:"email"`
}

// Field is one displayed value of a CRM record.
type Field struct {
	Name  string `json:"name"`  // API name, e.g. StageName
	Label string `json:"label"` // display label, e.g. Stage
	Value string `json:"value"` // display-ready text; empty when null
	// Currency is the ISO code of a money value (USD); empty otherwise.
	Currency string `json:"currency,omitempty"`
}

// Record is a CRM record ready to display.
type Record struct {
	Object string  `json:"object"` // Contact, Lead, Account, Opportunity, Case
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	URL    string  `json:"url"` // opens the record in Salesforce Lightning
	Fields []Field `json:"fields,omitempty"`
}

// CustomerMatch is one person that matched in an org, with what hangs off
// it.
type CustomerMatch struct {
	Person        Record   `json:"person"` // a Contact, or a Lead
	Account       *Record  `json:"account,omitempty"`
	Opportunities []Record `json:"opportunities,omitempty"`
	Cases         []Record `json:"cases,omitempty"`
}

// CustomerData is everything one org knows about a requester.
type CustomerData struct {
	Matches   []CustomerMatch `json:"matches"`
	FetchedAt time.Time       `json:"fetched_at"`
}
