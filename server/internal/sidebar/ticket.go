package sidebar

import (
	"context"
	"strconv"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// ticketFacts is a ticket's requester and access scope, cached together:
// one Zendesk call reads both, and a webhook about the ticket drops both.
type ticketFacts struct {
	Requester crossview.Requester   `json:"requester"`
	Scope     crossview.TicketScope `json:"scope"`
}

// ticket reads the ticket's facts through Zendesk, cached briefly.
func (s *Service) ticket(ctx context.Context, t crossview.Tenant, ticketID int64, refresh bool) (ticketFacts, error) {
	return cache.LoadJSON(ctx, s.o.Loader, s.o.Memo, RequesterKey(t.Subdomain, ticketID), s.o.RequesterPolicy, refresh, s.fetchTicket(t, ticketID))
}

func (s *Service) fetchTicket(t crossview.Tenant, ticketID int64) func(context.Context) (ticketFacts, error) {
	return func(ctx context.Context) (ticketFacts, error) {
		scope, r, err := s.o.Requesters.TicketFacts(ctx, t, ticketID)
		return ticketFacts{Requester: r, Scope: scope}, err
	}
}

// RequesterKey names the cached facts (requester, access scope) of a
// ticket.
func RequesterKey(tenant string, ticketID int64) string {
	return "{" + tenant + "}:ticket:" + strconv.FormatInt(ticketID, 10)
}
