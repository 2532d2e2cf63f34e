package ticketview

import "github.com/crossview/crossview/server/internal/budget"

// Allowance reports a Zendesk account's per-minute API use as last seen.
type Allowance interface {
	RateUsage(subdomain string) (used, limit int, ok bool)
}

// withHeld marks a panel served instead of a refresh the cooldown held
// off. It is a build of its own (no Version), so what is rendered for the
// plain build is not reused for it.
func withHeld(p Panel, held *budget.Hold) Panel {
	if held == nil {
		return p
	}
	p.Held, p.Version = held, ""
	return p
}

// reserve returns the account's use when it is at or past the reserve.
func (s *Service) reserve(tenant string) *budget.Use {
	if s.o.Allowance == nil {
		return nil
	}
	used, limit, ok := s.o.Allowance.RateUsage(tenant)
	return budget.InReserve(s.o.Reserve, used, limit, ok)
}
