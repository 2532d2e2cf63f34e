package sidebar

import (
	"context"
	"fmt"
	"strconv"

	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Access reads what decides a Zendesk user's ticket access.
type Access interface {
	AgentAccess(ctx context.Context, t crossview.Tenant, userID int64) (crossview.AgentAccess, error)
}

// Authorize checks, before a panel token is bound to a ticket, that the
// signed-in agent may see the ticket, as Zendesk decides: the agent's
// role and restriction (cached for AccessPolicy, never stale) against
// the ticket's group, organization, assignee and requester (read fresh,
// then shared with the panel, which needs the same call for the
// requester). It costs nothing once both are cached.
func (s *Service) Authorize(ctx context.Context, p crossview.Principal, ticketID int64) error {
	if ticketID <= 0 {
		return crossview.Errorf(crossview.EINVALID, "The ticket id must be a positive number.")
	}
	userID, err := strconv.ParseInt(p.UserID, 10, 64)
	if err != nil || userID <= 0 {
		return crossview.Errorf(crossview.EFORBIDDEN, "The Zendesk token names no user; reopen the ticket.")
	}
	tenant, err := s.o.Tenants.Tenant(ctx, p.Tenant)
	if err != nil {
		return fmt.Errorf("sidebar: loading tenant: %w", err)
	}
	agent, err := cache.LoadJSON(ctx, s.o.Loader, s.o.Memo, AgentKey(tenant.Subdomain, userID), s.o.AccessPolicy, false,
		func(ctx context.Context) (crossview.AgentAccess, error) {
			return s.o.Access.AgentAccess(ctx, tenant, userID)
		})
	if err != nil {
		return err
	}
	if err := agent.MaySeeTickets(); err != nil {
		return err
	}
	facts, err := budget.LoadFreshJSON(ctx, s.o.Loader, s.o.Memo, RequesterKey(tenant.Subdomain, ticketID), s.o.RequesterPolicy, s.o.Now(), s.fetchTicket(tenant, ticketID))
	if err != nil {
		return err
	}
	return agent.MaySee(facts.Scope)
}

// AgentKey names a user's cached access facts.
func AgentKey(tenant string, userID int64) string {
	return "{" + tenant + "}:agent:" + strconv.FormatInt(userID, 10)
}
