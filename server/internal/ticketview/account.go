package ticketview

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Cache keys. Ticket lists are cached per Zendesk user and organization,
// which is exactly what a webhook names, so an event invalidates exactly
// the lists it changes (see InvalidationKeys).
func userTicketsKey(tenant string, id int64) string {
	return "{" + tenant + "}:tv:user:" + strconv.FormatInt(id, 10)
}

func orgTicketsKey(tenant string, id int64) string {
	return "{" + tenant + "}:tv:org:" + strconv.FormatInt(id, 10)
}

func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// InvalidationKeys names the cached lists a change to a ticket with this
// requester and organization affects.
func InvalidationKeys(tenant string, requesterIDs, orgIDs []int64) []string {
	var keys []string
	for _, id := range requesterIDs {
		if id > 0 {
			keys = append(keys, userTicketsKey(tenant, id))
		}
	}
	for _, id := range orgIDs {
		if id > 0 {
			keys = append(keys, orgTicketsKey(tenant, id))
		}
	}
	return keys
}

// mode says how a panel build may spend Zendesk calls: force bypasses the
// cache (a refresh); saving, when the account is near its rate limit,
// serves whatever is still usable without refreshing it.
type mode struct{ force, saving bool }

// ticketList is a cached list with when it was fetched.
type ticketList struct {
	Tickets   []crossview.Ticket `json:"tickets"`
	FetchedAt time.Time          `json:"fetched_at"`
}

// account finds one Zendesk account's tickets for the record: by its
// people's emails, and for Accounts (and their Opportunities and Cases) by
// the Zendesk organization.
func (s *Service) account(ctx context.Context, c crossview.Connection, rec crossview.SalesforceRecord, m mode) ([]crossview.Ticket, time.Time, error) {
	t, err := s.o.Stores.Tenant(ctx, c.Tenant)
	if err != nil {
		return nil, time.Time{}, err
	}
	emails := rec.Emails
	byOrg := rec.AccountID != "" && (rec.Object == crossview.ObjectAccount || rec.Object == crossview.ObjectOpportunity || rec.Object == crossview.ObjectCase)
	if (rec.Object == crossview.ObjectAccount || rec.Object == crossview.ObjectOpportunity) && !c.TicketView.IncludeContactEmails {
		emails = nil
	}

	var (
		mu      sync.Mutex
		lists   []ticketList
		firstEr error
	)
	keep := func(l ticketList, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if firstEr == nil {
				firstEr = err
			}
			return
		}
		lists = append(lists, l)
	}
	sem := make(chan struct{}, s.o.Parallel)
	var wg sync.WaitGroup
	for _, email := range emails {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			keep(s.emailTickets(ctx, t, email, m))
		}()
	}
	if byOrg {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			keep(s.orgTickets(ctx, t, c, rec, m))
		}()
	}
	wg.Wait()
	if firstEr != nil {
		return nil, time.Time{}, firstEr
	}
	tickets, fetched := merge(lists)
	if err := s.name(ctx, t, tickets, m); err != nil {
		return nil, time.Time{}, err
	}
	return tickets, fetched, nil
}

// emailTickets lists the tickets requested by the user with this email.
func (s *Service) emailTickets(ctx context.Context, t crossview.Tenant, email string, m mode) (ticketList, error) {
	id, err := s.lookupID(ctx, "{"+t.Subdomain+"}:tv:uid:"+digest(strings.ToLower(email)), m, func(ctx context.Context) (int64, bool, error) {
		return s.o.Zendesk.FindUserID(ctx, t, email)
	})
	if err != nil {
		return ticketList{}, err
	}
	if id == 0 {
		// No user has this as the primary email: ask search, which knows
		// secondary identities too. Its index lags, so this is a fallback,
		// cached like a lookup.
		key := "{" + t.Subdomain + "}:tv:search:" + digest(strings.ToLower(email))
		return s.listWith(ctx, key, s.o.LookupPolicy, m, func(ctx context.Context) ([]crossview.Ticket, error) {
			return s.o.Zendesk.SearchRequesterTickets(ctx, t, email, s.o.MaxTicketsPerSource)
		})
	}
	return s.list(ctx, userTicketsKey(t.Subdomain, id), m, func(ctx context.Context) ([]crossview.Ticket, error) {
		return s.o.Zendesk.RequestedTickets(ctx, t, id, s.o.MaxTicketsPerSource)
	})
}

// orgTickets lists the tickets of the Account's Zendesk organization:
// found by external id (= Account Id, as account sync sets it), falling
// back to the name, or by name only, as the connection's settings say.
func (s *Service) orgTickets(ctx context.Context, t crossview.Tenant, c crossview.Connection, rec crossview.SalesforceRecord, m mode) (ticketList, error) {
	ext := rec.AccountID
	if c.TicketView.AccountMatch == crossview.MatchName {
		ext = ""
	}
	key := "{" + t.Subdomain + "}:tv:oid:" + digest(ext, strings.ToLower(rec.AccountName))
	id, err := s.lookupID(ctx, key, m, func(ctx context.Context) (int64, bool, error) {
		return s.o.Zendesk.FindOrganizationID(ctx, t, ext, rec.AccountName)
	})
	if err != nil || id == 0 {
		return ticketList{}, err
	}
	return s.list(ctx, orgTicketsKey(t.Subdomain, id), m, func(ctx context.Context) ([]crossview.Ticket, error) {
		return s.o.Zendesk.OrganizationTickets(ctx, t, id, s.o.MaxTicketsPerSource)
	})
}

// lookupID caches an id found by a lookup; "none" (0) is cached too, so an
// unknown email does not cost a call on every poll. A refresh does not
// redo lookups: ids do not change.
func (s *Service) lookupID(ctx context.Context, key string, m mode, find func(context.Context) (int64, bool, error)) (int64, error) {
	return budget.LoadJSON(ctx, s.o.Loader, s.o.Memo, key, s.o.LookupPolicy, false, m.saving, s.o.Now(), func(ctx context.Context) (int64, error) {
		id, ok, err := find(ctx)
		if !ok {
			id = 0
		}
		return id, err
	})
}

func (s *Service) list(ctx context.Context, key string, m mode, fetch func(context.Context) ([]crossview.Ticket, error)) (ticketList, error) {
	return s.listWith(ctx, key, s.o.TicketPolicy, m, fetch)
}

func (s *Service) listWith(ctx context.Context, key string, p cache.Policy, m mode, fetch func(context.Context) ([]crossview.Ticket, error)) (ticketList, error) {
	return budget.LoadJSON(ctx, s.o.Loader, s.o.Memo, key, p, m.force, m.saving, s.o.Now(), func(ctx context.Context) (ticketList, error) {
		ts, err := fetch(ctx)
		return ticketList{Tickets: ts, FetchedAt: s.o.Now()}, err
	})
}

// merge joins lists, dropping a ticket seen twice (a contact's ticket is
// also the organization's); the oldest fetch time is reported.
func merge(lists []ticketList) ([]crossview.Ticket, time.Time) {
	seen := map[int64]bool{}
	var out []crossview.Ticket
	var oldest time.Time
	for _, l := range lists {
		if oldest.IsZero() || l.FetchedAt.Before(oldest) {
			oldest = l.FetchedAt
		}
		for _, t := range l.Tickets {
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	return out, oldest
}

// name fills requester and assignee names with one cached call per set of
// people.
func (s *Service) name(ctx context.Context, t crossview.Tenant, tickets []crossview.Ticket, m mode) error {
	var ids []int64
	for _, tk := range tickets {
		for _, id := range []int64{tk.RequesterID, tk.AssigneeID} {
			if id > 0 && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	key := "{" + t.Subdomain + "}:tv:names:" + digest(parts...)
	names, err := budget.LoadJSON(ctx, s.o.Loader, s.o.Memo, key, s.o.LookupPolicy, m.force, m.saving, s.o.Now(), func(ctx context.Context) (map[int64]string, error) {
		return s.o.Zendesk.UserNames(ctx, t, ids)
	})
	if err != nil {
		return err
	}
	for i := range tickets {
		tickets[i].RequesterName = names[tickets[i].RequesterID]
		tickets[i].AssigneeName = names[tickets[i].AssigneeID]
	}
	return nil
}
