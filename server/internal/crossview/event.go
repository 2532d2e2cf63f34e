package crossview

import "time"

// TicketEvent is a change to a Zendesk ticket reported by a webhook: the
// ticket and the requesters and organizations whose ticket lists it
// touches (both the old and the new one when they changed).
type TicketEvent struct {
	Type            string
	TicketID        int64
	RequesterIDs    []int64
	OrganizationIDs []int64
	// UpdatedAt is the ticket's updated_at when the body carries it (a
	// ticket-sync trigger's body does); zero otherwise.
	UpdatedAt time.Time
}
