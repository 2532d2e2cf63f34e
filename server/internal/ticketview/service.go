// Package ticketview builds the Salesforce ticket panel: for the record a
// rep is looking at (resolved with the rep's own token), it finds the
// matching tickets in every Zendesk account connected to the org with the
// ticket view on, in parallel and each under its own deadline, then
// filters, sorts (open work first) and pages them.
package ticketview

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Stores reads tenants and the org's connections, and keeps reps' filters.
type Stores interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
	ConnectionsByOrg(ctx context.Context, orgID string) ([]crossview.Connection, error)
	Preference(ctx context.Context, scope, user string) ([]byte, error)
	PutPreference(ctx context.Context, scope, user string, value []byte) error
}

// Zendesk is what the panel needs from one Zendesk account. Errors should
// be *crossview.Error with words for the rep.
type Zendesk interface {
	FindUserID(ctx context.Context, t crossview.Tenant, email string) (int64, bool, error)
	FindOrganizationID(ctx context.Context, t crossview.Tenant, externalID, name string) (int64, bool, error)
	RequestedTickets(ctx context.Context, t crossview.Tenant, userID int64, max int) ([]crossview.Ticket, error)
	OrganizationTickets(ctx context.Context, t crossview.Tenant, orgID int64, max int) ([]crossview.Ticket, error)
	UserNames(ctx context.Context, t crossview.Tenant, ids []int64) (map[int64]string, error)
	// SearchRequesterTickets is the fallback for an email no user has as
	// primary: Zendesk's search also finds tickets by a requester's other
	// identities, but its index lags minutes behind. It returns only
	// tickets whose requester holds exactly email.
	SearchRequesterTickets(ctx context.Context, t crossview.Tenant, email string, max int) ([]crossview.Ticket, error)
}

// Loader reads through the cache with stale-while-revalidate and
// single-flight.
type Loader interface {
	Load(ctx context.Context, key string, p cache.Policy, force bool, fn cache.LoadFunc) (cache.Entry, error)
	Peek(ctx context.Context, key string) (cache.Entry, bool)
	Invalidate(ctx context.Context, keys ...string) error
}

// Options configures a Service.
type Options struct {
	Stores  Stores
	Zendesk Zendesk
	Loader  Loader
	Memo    *cache.Memo
	Logger  *slog.Logger
	Now     func() time.Time
	// AccountTimeout bounds each Zendesk account's part (default 4 s).
	AccountTimeout time.Duration
	// Parallel bounds concurrent lookups within one account (default 8).
	Parallel int
	// TicketPolicy is how long ticket lists stay fresh. Webhooks invalidate
	// them at once; this is the fallback (default fresh 30 s, stale 2 min).
	TicketPolicy cache.Policy
	// LookupPolicy is for email → user and account → organization
	// mappings and names (default fresh 10 min, stale 1 h).
	LookupPolicy cache.Policy
	// MaxTicketsPerSource caps each user's or organization's list (300).
	MaxTicketsPerSource int
	// PageSize is the tickets per page (20).
	PageSize int
	// PanelTTL keeps a built panel for polls of the same record, filter
	// and page (default 1 s): many reps polling one record cost one build
	// a second, and a change still shows within a poll or two.
	PanelTTL time.Duration
	// RefreshCooldown holds off a rep's second forced refresh of the same
	// record for this long; the cached answer is served instead (0: none).
	RefreshCooldown time.Duration
	// Allowance reports Zendesk accounts' per-minute API use; at Reserve (a
	// share of it, default 0.9) optional calls stop. Nil: unknown.
	Allowance Allowance
	Reserve   float64
	Outcome   func(outcome string)
}

// Service builds ticket panels.
type Service struct {
	o        Options
	cooldown *budget.Cooldown
	mu       sync.Mutex
	recent   map[string]builtPanel
	builds   uint64
}

type builtPanel struct {
	p  Panel
	at time.Time
}

// New returns a Service.
func New(o Options) *Service {
	if o.AccountTimeout <= 0 {
		o.AccountTimeout = 4 * time.Second
	}
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.TicketPolicy.Fresh == 0 {
		o.TicketPolicy = cache.Policy{Fresh: 30 * time.Second, Stale: 2 * time.Minute}
	}
	if o.LookupPolicy.Fresh == 0 {
		o.LookupPolicy = cache.Policy{Fresh: 10 * time.Minute, Stale: time.Hour}
	}
	if o.MaxTicketsPerSource <= 0 {
		o.MaxTicketsPerSource = 300
	}
	if o.PageSize <= 0 {
		o.PageSize = 20
	}
	if o.Memo == nil {
		o.Memo = cache.NewMemo(10_000)
	}
	if o.Outcome == nil {
		o.Outcome = func(string) {}
	}
	if o.PanelTTL == 0 {
		o.PanelTTL = time.Second
	}
	if o.Reserve == 0 {
		o.Reserve = budget.DefaultReserve
	}
	return &Service{o: o, cooldown: budget.NewCooldown(o.Loader, o.RefreshCooldown, o.Now), recent: map[string]builtPanel{}}
}

// Section is one Zendesk account's part of the panel.
type Section struct {
	Tenant  string
	Count   int
	Problem *Problem
	// Reserve is set when the account has used its reserve share of the
	// minute's API allowance: lists were not refreshed unless they had to be.
	Reserve *budget.Use
}

// Problem says what went wrong with one Zendesk account.
type Problem struct {
	Code    string
	Message string
}

// Panel is what a Salesforce record page shows.
type Panel struct {
	Record crossview.SalesforceRecord
	// Sections list every Zendesk account asked, with its problem if any.
	Sections []Section
	// NoAccounts: no Zendesk account connected to this org has the ticket
	// view on.
	NoAccounts bool
	// Tickets is the current page, after filters, open work first.
	Tickets []crossview.Ticket
	// Matching counts tickets after filters; StatusCounts counts by status
	// with every filter but the status one, so each status shows what
	// choosing it would give.
	Matching     int
	StatusCounts map[string]int
	Filter       Filter
	Page, Pages  int
	// Newest is the latest fetch time among the lists shown.
	Newest time.Time
	// Version names this build; a panel served again from the short-lived
	// memo keeps it, so callers can keep work done per build.
	Version string
	// Held says a forced refresh was not done: this rep refreshed this
	// record within the cooldown, so the cached answer is shown.
	Held *budget.Hold
}

// Build returns the panel for the principal's record. filter nil means the
// rep's saved filter; a non-nil filter is applied and saved for next time.
func (s *Service) Build(ctx context.Context, p crossview.Principal, filter *Filter, page int, refresh bool) (Panel, error) {
	if p.Record == nil || p.OrgID == "" {
		return Panel{}, crossview.Errorf(crossview.EUNAUTHORIZED, "The panel was opened without a Salesforce record; reload the page.")
	}
	f := s.filterFor(ctx, p, filter)
	key := recentKey(p, f, page)
	var held *budget.Hold
	if refresh {
		held = s.cooldown.Take(ctx, "{"+p.OrgID+"}:cooldown:tv:"+p.UserID+":"+p.Record.ID)
		refresh = held == nil
	}
	if !refresh {
		if b, ok := s.recentPanel(key); ok {
			return withHeld(b, held), nil
		}
	}
	conns, err := s.o.Stores.ConnectionsByOrg(ctx, p.OrgID)
	if err != nil {
		return Panel{}, err
	}
	var active []crossview.Connection
	for _, c := range conns {
		if c.Active(crossview.FeatureTicketView) {
			active = append(active, c)
		}
	}
	panel := Panel{Record: *p.Record, NoAccounts: len(active) == 0}
	sections, tickets, newest := s.fanOut(ctx, active, *p.Record, refresh)
	panel.Sections, panel.Newest = sections, newest
	arrange(&panel, tickets, f, page, s.o.PageSize)
	s.mu.Lock()
	s.builds++
	panel.Version = strconv.FormatUint(s.builds, 36)
	s.mu.Unlock()
	s.keepPanel(key, panel)
	return withHeld(panel, held), nil
}

// recentKey names a built panel: the record as the rep resolved it, the
// filter and the page. Two reps with the same view share it; a rep's own
// visibility is already in the record (its emails).
func recentKey(p crossview.Principal, f Filter, page int) string {
	r := p.Record
	fb, _ := json.Marshal(f)
	return r.OrgID + "|" + r.Object + "|" + r.ID + "|" + r.AccountID + "|" + r.AccountName + "|" + strings.Join(r.Emails, ",") + "|" + string(fb) + "|" + strconv.Itoa(page)
}

func (s *Service) recentPanel(key string) (Panel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.recent[key]
	if !ok || s.o.Now().Sub(b.at) >= s.o.PanelTTL {
		return Panel{}, false
	}
	return b.p, true
}

func (s *Service) keepPanel(key string, p Panel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.recent) >= 10_000 {
		clear(s.recent)
	}
	s.recent[key] = builtPanel{p: p, at: s.o.Now()}
}

// fanOut asks every account at once, each under its own deadline.
func (s *Service) fanOut(ctx context.Context, conns []crossview.Connection, rec crossview.SalesforceRecord, refresh bool) ([]Section, []crossview.Ticket, time.Time) {
	sections := make([]Section, len(conns))
	lists := make([][]crossview.Ticket, len(conns))
	fetched := make([]time.Time, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			actx, cancel := context.WithTimeout(ctx, s.o.AccountTimeout)
			defer cancel()
			sections[i].Tenant = c.Tenant
			if hp := c.Health.Blocking(); hp != nil {
				sections[i].Problem = &Problem{Code: crossview.EUNAUTHORIZED, Message: hp.Title + ". " + hp.Fix}
				s.o.Outcome(crossview.EUNAUTHORIZED)
				return
			}
			reserve := s.reserve(c.Tenant)
			sections[i].Reserve = reserve
			ts, at, err := s.account(actx, c, rec, mode{force: refresh && reserve == nil, saving: reserve != nil})
			if err != nil {
				sections[i].Problem = s.problem(actx, c, err)
				s.o.Outcome(sections[i].Problem.Code)
				return
			}
			s.o.Outcome("ok")
			sections[i].Count, lists[i], fetched[i] = len(ts), ts, at
		}()
	}
	wg.Wait()
	var all []crossview.Ticket
	var newest time.Time
	for i := range conns {
		all = append(all, lists[i]...)
		if fetched[i].After(newest) {
			newest = fetched[i]
		}
	}
	return sections, all, newest
}

func (s *Service) problem(ctx context.Context, c crossview.Connection, err error) *Problem {
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return &Problem{Code: crossview.EUNAVAILABLE, Message: "Zendesk did not answer in time."}
	}
	code := crossview.ErrorCode(err)
	if code == crossview.EINTERNAL {
		s.o.Logger.Error("ticket view lookup failed", "tenant", c.Tenant, "org", c.OrgID, "err", err)
		return &Problem{Code: code, Message: "Something went wrong reading this Zendesk account; the error was logged."}
	}
	return &Problem{Code: code, Message: crossview.ErrorMessage(err)}
}

// TicketChanged acts on a Zendesk ticket event: it drops exactly the
// cached lists the change touches and this replica's recent panels, so
// open panels show the change on their next poll.
func (s *Service) TicketChanged(ctx context.Context, tenant string, requesterIDs, orgIDs []int64) error {
	s.mu.Lock()
	clear(s.recent)
	s.mu.Unlock()
	return s.o.Loader.Invalidate(ctx, InvalidationKeys(tenant, requesterIDs, orgIDs)...)
}
