package ticketview

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Filter is a rep's choice of tickets. An empty list means "any".
type Filter struct {
	Statuses   []string `json:"status,omitempty"`
	Priorities []string `json:"priority,omitempty"`
	Types      []string `json:"type,omitempty"`
	Accounts   []string `json:"account,omitempty"` // Zendesk subdomains
}

// Valid values, so a stored or posted filter can only hold what exists.
func validStatus(s string) bool   { return slices.Contains(crossview.TicketStatuses(), s) }
func validPriority(s string) bool { return slices.Contains(Priorities(), s) }
func validType(s string) bool     { return slices.Contains(Types(), s) }

// Priorities lists Zendesk ticket priorities, "none" for unset.
func Priorities() []string { return []string{"urgent", "high", "normal", "low", "none"} }

// Types lists Zendesk ticket types, "none" for unset.
func Types() []string { return []string{"question", "incident", "problem", "task", "none"} }

// Normalise drops unknown values and duplicates.
func (f Filter) Normalise() Filter {
	keep := func(in []string, ok func(string) bool) []string {
		var out []string
		for _, v := range in {
			if ok(v) && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	return Filter{
		Statuses:   keep(f.Statuses, validStatus),
		Priorities: keep(f.Priorities, validPriority),
		Types:      keep(f.Types, validType),
		Accounts:   keep(f.Accounts, crossview.ValidSubdomain),
	}
}

// filterFor returns the filter to apply: a new one is saved as the rep's
// choice for this record; otherwise the one saved for it is read. Filters
// are kept per record, not per rep: a status chosen on Acme's page must not
// silently hide tickets on Globex's.
func (s *Service) filterFor(ctx context.Context, p crossview.Principal, f *Filter) Filter {
	key := filterKey(p)
	if f != nil {
		nf := f.Normalise()
		b, _ := json.Marshal(nf)
		if err := s.o.Stores.PutPreference(ctx, p.OrgID, key, b); err != nil {
			// Losing the memory of a filter must not lose the panel.
			s.o.Logger.Warn("saving a rep's ticket filter", "org", p.OrgID, "err", err)
		}
		return nf
	}
	b, err := s.o.Stores.Preference(ctx, p.OrgID, key)
	if errors.Is(err, crossview.ErrNotFound) {
		return Filter{}
	}
	if err != nil {
		s.o.Logger.Warn("reading a rep's ticket filter", "org", p.OrgID, "err", err)
		return Filter{}
	}
	var saved Filter
	if json.Unmarshal(b, &saved) != nil {
		return Filter{}
	}
	return saved.Normalise()
}

// filterKey names a rep's filter on one record within the org's
// preferences: both are Salesforce ids, so the key stays a plain id.
func filterKey(p crossview.Principal) string {
	return p.UserID + "-" + p.Record.ID
}

// Active reports whether the filter hides any ticket.
func (f Filter) Active() bool {
	return len(f.Statuses)+len(f.Priorities)+len(f.Types)+len(f.Accounts) > 0
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// matches applies every part of f except, when skipStatus, the status.
func (f Filter) matches(t crossview.Ticket, skipStatus bool) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return (skipStatus || in(f.Statuses, t.Status)) && in(f.Priorities, orNone(t.Priority)) &&
		in(f.Types, orNone(t.Type)) && in(f.Accounts, t.Tenant)
}

// arrange filters, counts, sorts (open work first, then most recently
// updated) and pages the tickets into the panel.
func arrange(p *Panel, tickets []crossview.Ticket, f Filter, page, size int) {
	p.Filter = f
	p.StatusCounts = map[string]int{}
	var shown []crossview.Ticket
	for _, t := range tickets {
		if f.matches(t, true) {
			p.StatusCounts[t.Status]++
		}
		if f.matches(t, false) {
			shown = append(shown, t)
		}
	}
	sort.SliceStable(shown, func(i, j int) bool {
		ri, rj := crossview.StatusRank(shown[i].Status), crossview.StatusRank(shown[j].Status)
		if ri != rj {
			return ri < rj
		}
		if !shown[i].UpdatedAt.Equal(shown[j].UpdatedAt) {
			return shown[i].UpdatedAt.After(shown[j].UpdatedAt)
		}
		return shown[i].ID > shown[j].ID
	})
	p.Matching = len(shown)
	p.Pages = max(1, (len(shown)+size-1)/size)
	p.Page = min(max(page, 1), p.Pages)
	start := (p.Page - 1) * size
	p.Tickets = shown[start:min(start+size, len(shown))]
}
