package crossview

import "time"

// TicketPerson is a Zendesk user as a Case shows them.
type TicketPerson struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// TicketOrganization is a ticket's Zendesk organization.
type TicketOrganization struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id,omitempty"`
}

// SyncTicket is a Zendesk ticket with everything its Case needs: names of the
// people, organization, group, brand and form resolved.
type SyncTicket struct {
	Tenant       string             `json:"tenant"`
	ID           int64              `json:"id"`
	URL          string             `json:"url"` // the agent UI's link to the ticket
	Subject      string             `json:"subject"`
	Description  string             `json:"description"`
	Status       string             `json:"status"` // new, open, pending, hold, solved, closed
	Priority     string             `json:"priority,omitempty"`
	Type         string             `json:"type,omitempty"`
	Requester    TicketPerson       `json:"requester"`
	Assignee     TicketPerson       `json:"assignee"`
	Organization TicketOrganization `json:"organization"`
	GroupName    string             `json:"group_name,omitempty"`
	BrandName    string             `json:"brand_name,omitempty"`
	FormName     string             `json:"form_name,omitempty"`
	Tags         []string           `json:"tags,omitempty"`
	// CustomFields holds custom ticket field values by field id (a dropdown
	// gives its tag, a checkbox a bool, a number a float64...).
	CustomFields map[int64]any `json:"custom_fields,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
	SolvedAt     time.Time     `json:"solved_at"` // zero until solved
	// Deleted tickets come through the export; their Case is left alone.
	Deleted bool `json:"deleted,omitempty"`
}

// Key is the Case external id of the ticket.
func (t SyncTicket) Key() string { return TicketKey(t.Tenant, t.ID) }

// TicketComment is one Zendesk ticket comment. Ids grow with time within a
// ticket, which is what makes the marker work.
type TicketComment struct {
	ID        int64        `json:"id"`
	Author    TicketPerson `json:"author"`
	Public    bool         `json:"public"`
	Body      string       `json:"body"` // plain text
	CreatedAt time.Time    `json:"created_at"`
}

// TicketPage is one page of Zendesk's cursor-based incremental ticket
// export.
type TicketPage struct {
	Tickets []SyncTicket
	// Cursor continues the export from after this page; persist it.
	Cursor string
	// End is true when the export has caught up with the present.
	End bool
}

// CommentPage is one page of Zendesk's incremental ticket event export
// with comment events, grouped by ticket, oldest first.
type CommentPage struct {
	Comments map[int64][]TicketComment
	// Next is where the next page starts (the export's end_time).
	Next time.Time
	End  bool
}

// CaseWrite is what one ticket's sync writes to Salesforce.
type CaseWrite struct {
	Ticket SyncTicket
	// Comments are the comments to add as CaseComments, oldest first,
	// already filtered by the connection's comment scope.
	Comments []TicketComment
	// Marker is the comment marker the Case holds after this write: the id
	// of the last comment Crossview has considered (written or skipped).
	Marker int64
}

// CaseWritten is the outcome of a CaseWrite.
type CaseWritten struct {
	CaseID  string
	Created bool
	// Changed names the Case fields this write set (for the sync log).
	Changed []string
	// Notes are things the admin should know that did not stop the write
	// (a description cut to the field's length, a value left out).
	Notes []string
	// Err is set by WriteMany for a record that failed alone.
	Err error
}

// SyncHook is what Crossview created in a Zendesk account for one
// connection's ticket sync.
type SyncHook struct {
	WebhookID string
	TriggerID int64
	// Secret signs the webhook's deliveries; it is sealed at rest.
	Secret string
}
