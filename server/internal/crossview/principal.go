package crossview

import "time"

// Locations a principal can act from.
const (
	LocationZendeskSidebar   = "zendesk.ticket_sidebar"
	LocationSalesforceRecord = "salesforce.record"
	LocationAdmin            = "admin"
)

// Principal is who is asking, established by a verified signature.
type Principal struct {
	// Tenant is the Zendesk subdomain the request acts for.
	Tenant string
	// UserID is the host's user id (Zendesk user or Salesforce user).
	UserID string
	// Location is where the request comes from (one of the Location consts).
	Location string
	// OrgID is the Salesforce org, for Salesforce locations.
	OrgID string
	// Expires is when the identity stops being valid.
	Expires time.Time
	// Record is the Salesforce record a ticket panel was opened for,
	// resolved with the viewing rep's own token.
	Record *SalesforceRecord
	// TicketID is the Zendesk ticket a sidebar token was bound to after
	// checking that the agent may see it; 0 for the shell's own token.
	TicketID int64
}
