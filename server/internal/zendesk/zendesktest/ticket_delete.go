package zendesktest

import (
	"fmt"
	"net/http"
	"time"
)

// DeleteTicket soft-deletes a ticket, as an agent's delete does: it is
// gone from the API (404) and lists, and the incremental export shows it
// once more with status "deleted".
func (a *Account) DeleteTicket(id int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.deleteTicket(id) {
		return fmt.Errorf("zendesktest: deleting ticket %d: not found", id)
	}
	return nil
}

// deleteTicket moves a ticket to the deleted ones. Callers hold a.mu.
func (a *Account) deleteTicket(id int64) bool {
	rec := a.tickets[id]
	if rec == nil {
		return false
	}
	delete(a.tickets, id)
	rec.changed = a.now()
	rec.t.UpdatedAt = rec.changed.Truncate(time.Second)
	a.deletedTickets[id] = rec
	return true
}

// handleDeleteTicket serves DELETE /api/v2/tickets/{id}.json: 204.
func handleDeleteTicket(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.deleteTicket(c.id("id")) {
		return errNotFound()
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
