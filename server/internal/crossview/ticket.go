package crossview

import "time"

// SalesforceRecord is the record a Salesforce page shows, as the viewing
// rep may see it, with what it matches Zendesk tickets by.
type SalesforceRecord struct {
	OrgID  string `json:"org"`
	Object string `json:"obj"` // Account, Contact, Lead, Opportunity, Case
	ID     string `json:"id"`
	Name   string `json:"name"`
	// Emails are requester emails to match: the Contact's or Lead's own,
	// or an Account's contacts'.
	Emails []string `json:"emails,omitempty"`
	// AccountID and AccountName find the Zendesk organization.
	AccountID   string `json:"acc,omitempty"`
	AccountName string `json:"accn,omitempty"`
	// ViewOnly marks pages where tickets may be read but not acted on.
	ViewOnly bool `json:"ro,omitempty"`
}

// Ticket is a Zendesk ticket ready to list on a Salesforce page.
type Ticket struct {
	Tenant         string    `json:"tenant"`
	ID             int64     `json:"id"`
	Subject        string    `json:"subject"`
	Status         string    `json:"status"`
	Priority       string    `json:"priority"`
	Type           string    `json:"type"`
	RequesterID    int64     `json:"requester_id"`
	AssigneeID     int64     `json:"assignee_id"`
	OrganizationID int64     `json:"organization_id"`
	RequesterName  string    `json:"requester_name,omitempty"`
	AssigneeName   string    `json:"assignee_name,omitempty"`
	URL            string    `json:"url"` // opens the ticket in the Zendesk agent UI
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// TicketStatuses lists Zendesk's statuses, open work first.
func TicketStatuses() []string {
	return []string{"new", "open", "pending", "hold", "solved", "closed"}
}

// StatusRank orders statuses for "open tickets first".
func StatusRank(status string) int {
	for i, s := range TicketStatuses() {
		if s == status {
			return i
		}
	}
	return len(TicketStatuses())
}
