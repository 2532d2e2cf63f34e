package ticketsync

import (
	"context"
	"errors"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// Nudge records, durably, that a ticket changed: it returns only once the
// change is queued, so a webhook answered 200 is never lost. updated is the
// ticket's updated_at as the webhook says it (zero when unknown); a
// delivery older than what was already synced costs nothing later.
func (s *Service) Nudge(ctx context.Context, t crossview.Tenant, connID string, ticketID int64, updated time.Time) error {
	if ticketID <= 0 {
		return crossview.Errorf(crossview.EINVALID, "The webhook names no ticket.")
	}
	c, err := s.o.Store.Connection(ctx, connID)
	if errors.Is(err, crossview.ErrNotFound) || (err == nil && c.Tenant != t.Subdomain) {
		return crossview.Errorf(crossview.ENOTFOUND, "No such connection for this Zendesk account.")
	}
	if err != nil {
		return crossview.Wrap(crossview.EUNAVAILABLE, "Crossview cannot reach its store; Zendesk will retry.", err)
	}
	if !c.Active(crossview.FeatureTicketSync) {
		// Zendesk would only retry a refusal; the trigger is removed when
		// sync is turned off, so this is a last delivery in flight.
		s.o.Logger.Info("ticket sync is off; webhook ignored", "connection", c.ID, "ticket", ticketID)
		return nil
	}
	// An unknown version sorts above every known one: the ticket must be
	// read, whatever else was heard.
	stamp := int64(queue.MaxStamp)
	if !updated.IsZero() {
		stamp = updated.UnixMilli()
	}
	if err := s.o.Queue.Enqueue(ctx, c.ID, queueKey(ticketID), s.o.Now(), stamp); err != nil {
		return crossview.Wrap(crossview.EUNAVAILABLE, "Crossview could not queue the change; Zendesk will retry.", err)
	}
	s.poke()
	return nil
}
