// Package sidebar builds the Zendesk ticket-sidebar panel: it resolves the
// ticket's requester through Zendesk, then asks every connected org with the
// sidebar on, in parallel and each under its own deadline, so one slow or
// broken org becomes one labelled section and never a failed panel.
package sidebar

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Tenants reads a tenant and its connections.
type Tenants interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
	Connections(ctx context.Context, tenant string) ([]crossview.Connection, error)
}

// Requesters reads a ticket from Zendesk: who asked for it, and who may
// see it.
type Requesters interface {
	TicketFacts(ctx context.Context, t crossview.Tenant, ticketID int64) (crossview.TicketScope, crossview.Requester, error)
}

// CRM looks a customer up in one org; errors it returns should be
// *crossview.Error with a message fit for the agent.
type CRM interface {
	LookupCustomer(ctx context.Context, conn crossview.Connection, email string) (crossview.CustomerData, error)
}

// Allowance reports an org's daily Salesforce API use as last seen.
type Allowance interface {
	APIUsage(orgID string) (used, limit int, ok bool)
}

// Loader reads through the cache with stale-while-revalidate and
// single-flight.
type Loader interface {
	Load(ctx context.Context, key string, p cache.Policy, force bool, fn cache.LoadFunc) (cache.Entry, error)
	Peek(ctx context.Context, key string) (cache.Entry, bool)
}

// Options configures a Service.
type Options struct {
	Tenants    Tenants
	Requesters Requesters
	// Access reads the signed-in agent's ticket access from Zendesk.
	Access Access
	CRM    CRM
	Loader Loader
	// Memo keeps decoded cache entries so warm panels skip JSON decoding.
	Memo   *cache.Memo
	Logger *slog.Logger
	Now    func() time.Time
	// OrgTimeout bounds each org's lookup (default 3 s).
	OrgTimeout time.Duration
	// Parallel bounds how many orgs are asked at once (default 16).
	Parallel int
	// CRMPolicy and RequesterPolicy set freshness (defaults: CRM fresh 5
	// minutes then stale for an hour; requester fresh 1 minute, stale 10).
	CRMPolicy       cache.Policy
	RequesterPolicy cache.Policy
	// AccessPolicy is how long an agent's access facts are trusted
	// (default 2 minutes, never served stale).
	AccessPolicy cache.Policy
	// RefreshCooldown holds off a user's second forced refresh of the same
	// ticket for this long; the cached answer is served instead (0: none).
	RefreshCooldown time.Duration
	// Allowance reports orgs' daily Salesforce API use; at Reserve (a share
	// of the allowance, default 0.9) optional calls stop. Nil: unknown.
	Allowance Allowance
	Reserve   float64
	// Outcome, when set, is told how each section ended (for metrics).
	Outcome func(outcome string)
}

// Service builds sidebar panels.
type Service struct {
	o        Options
	cooldown *budget.Cooldown
	mu       sync.Mutex
	digests  map[string][]byte // connection version → settings digest
}

// New returns a Service.
func New(o Options) *Service {
	if o.OrgTimeout <= 0 {
		o.OrgTimeout = 3 * time.Second
	}
	if o.Parallel <= 0 {
		o.Parallel = 16
	}
	if o.CRMPolicy.Fresh == 0 {
		o.CRMPolicy = cache.Policy{Fresh: 5 * time.Minute, Stale: time.Hour}
	}
	if o.RequesterPolicy.Fresh == 0 {
		o.RequesterPolicy = cache.Policy{Fresh: time.Minute, Stale: 10 * time.Minute}
	}
	if o.Outcome == nil {
		o.Outcome = func(string) {}
	}
	if o.Memo == nil {
		o.Memo = cache.NewMemo(10_000)
	}
	if o.AccessPolicy.Fresh == 0 {
		o.AccessPolicy = cache.Policy{Fresh: 2 * time.Minute}
	}
	if o.Reserve == 0 {
		o.Reserve = budget.DefaultReserve
	}
	return &Service{o: o, cooldown: budget.NewCooldown(o.Loader, o.RefreshCooldown, o.Now), digests: map[string][]byte{}}
}

// Build returns the panel for a ticket. refresh bypasses every cache,
// unless the user refreshed this ticket within the cooldown (then the
// cached answer is served and Held says so) or an org is in its reserve.
func (s *Service) Build(ctx context.Context, p crossview.Principal, ticketID int64, refresh bool) (Panel, error) {
	if ticketID <= 0 {
		return Panel{}, crossview.Errorf(crossview.EINVALID, "The ticket id must be a positive number.")
	}
	tenant, err := s.o.Tenants.Tenant(ctx, p.Tenant)
	if err != nil {
		return Panel{}, fmt.Errorf("sidebar: loading tenant: %w", err)
	}
	conns, err := s.o.Tenants.Connections(ctx, tenant.Subdomain)
	if err != nil {
		return Panel{}, fmt.Errorf("sidebar: listing connections: %w", err)
	}
	var active []crossview.Connection
	for _, c := range conns {
		if c.Active(crossview.FeatureSidebar) {
			active = append(active, c)
		}
	}
	panel := Panel{Tenant: tenant.Subdomain, TicketID: ticketID, NoConnections: len(active) == 0}
	if refresh {
		panel.Held = s.cooldown.Take(ctx, "{"+panel.Tenant+"}:cooldown:sidebar:"+p.UserID+":"+strconv.FormatInt(ticketID, 10))
		refresh = panel.Held == nil
	}
	facts, err := s.ticket(ctx, tenant, ticketID, refresh)
	if err != nil {
		return Panel{}, err
	}
	panel.Requester = facts.Requester
	if panel.NoConnections || panel.Requester.Email == "" {
		return panel, nil
	}
	panel.Sections = s.fanOut(ctx, active, panel.Requester.Email, refresh)
	return panel, nil
}

// fanOut asks every org at once (bounded), each under its own deadline, and
// keeps the tenant's org order.
func (s *Service) fanOut(ctx context.Context, conns []crossview.Connection, email string, refresh bool) []Section {
	sections := make([]Section, len(conns))
	sem := make(chan struct{}, s.o.Parallel)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				defer func() { <-sem }()
			case <-ctx.Done():
				sections[i] = Section{Connection: c, Problem: &Problem{Code: crossview.EUNAVAILABLE, Message: "The request ended before this org was asked."}}
				return
			}
			sections[i] = s.section(ctx, c, email, refresh)
		}()
	}
	wg.Wait()
	return sections
}

func (s *Service) section(ctx context.Context, c crossview.Connection, email string, refresh bool) Section {
	// A connection a health check found broken is not asked; its section
	// says what is wrong and who can fix it.
	if hp := c.Health.Blocking(); hp != nil {
		s.o.Outcome(crossview.EUNAUTHORIZED)
		return Section{Connection: c, Problem: &Problem{Code: crossview.EUNAUTHORIZED, Message: hp.Title + ". " + hp.Fix}}
	}
	key := s.crmKey(c, email)
	var reserve *budget.Use
	if s.o.Allowance != nil {
		used, limit, ok := s.o.Allowance.APIUsage(c.OrgID)
		reserve = budget.InReserve(s.o.Reserve, used, limit, ok)
	}
	// The deadline is set inside the load, not around Load: a warm hit then
	// costs no timer, and waiters still return when the load gives up.
	data, err := budget.LoadJSON(ctx, s.o.Loader, s.o.Memo, key, s.o.CRMPolicy, refresh, reserve != nil, s.o.Now(), func(lctx context.Context) (crossview.CustomerData, error) {
		lctx, cancel := context.WithTimeout(lctx, s.o.OrgTimeout)
		defer cancel()
		data, err := s.o.CRM.LookupCustomer(lctx, c, email)
		if err != nil {
			if lctx.Err() != nil {
				return data, errTimeout
			}
			return data, err
		}
		data.FetchedAt = s.o.Now()
		return data, nil
	})
	if err != nil {
		prob := s.problem(ctx, c, err)
		s.o.Outcome(prob.Code)
		sec := Section{Connection: c, Problem: prob, Reserve: reserve}
		// While an org is down or out of allowance, the last good answer is
		// better than nothing; after a revoked grant nothing is shown.
		if prob.Code == crossview.EUNAVAILABLE || prob.Code == crossview.ERATELIMITED {
			pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 250*time.Millisecond)
			defer cancel()
			if old, ok := s.o.Loader.Peek(pctx, key); ok && json.Unmarshal(old.Value, &sec.Data) == nil {
				prob.Stale = true
			}
		}
		return sec
	}
	if len(data.Matches) == 0 {
		s.o.Outcome("empty")
	} else {
		s.o.Outcome("ok")
	}
	return Section{Connection: c, Data: data, Reserve: reserve}
}

// errTimeout marks a lookup that ran out of its per-org time.
var errTimeout = errors.New("sidebar: org lookup timed out")

// problem turns a lookup failure into words; a deadline is named as such
// because the underlying error may only say "context canceled".
func (s *Service) problem(ctx context.Context, c crossview.Connection, err error) *Problem {
	if errors.Is(err, errTimeout) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return &Problem{Code: crossview.EUNAVAILABLE, Message: fmt.Sprintf("Salesforce did not answer within %s.", s.o.OrgTimeout)}
	}
	code := crossview.ErrorCode(err)
	switch code {
	case crossview.EINTERNAL:
		s.o.Logger.Error("sidebar lookup failed", "tenant", c.Tenant, "connection", c.ID, "err", err)
		return &Problem{Code: code, Message: "Something went wrong reading this org; the error was logged."}
	case crossview.EINVALID:
		// The org refused the query the settings shape. Only an admin can
		// fix that, and Salesforce's words may quote the query with the
		// requester's email, so agents get a note and the log the cause.
		s.o.Logger.Warn("sidebar settings refused", "tenant", c.Tenant, "connection", c.ID, "err", err)
		return &Problem{Code: code, Message: SettingsNote}
	}
	return &Problem{Code: code, Message: crossview.ErrorMessage(err)}
}

// SettingsNote is all an agent is told when an org refuses the sidebar's
// query because of its settings.
const SettingsNote = "This org's sidebar settings need attention — ask your Zendesk admin."

// crmKey names a cached lookup. It carries the tenant hash tag, the
// connection, and a digest of the email and the settings that shape the
// answer, so a settings change never serves an old layout and no email
// appears in a key.
func (s *Service) crmKey(c crossview.Connection, email string) string {
	h := sha256.New()
	h.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	h.Write([]byte{0})
	h.Write(s.settingsDigest(c))
	return "{" + c.Tenant + "}:crm:" + c.ID + ":" + hex.EncodeToString(h.Sum(nil)[:16])
}

// settingsDigest hashes what shapes a connection's answers, once per
// stored version of the connection (the store stamps UpdatedAt on every
// write).
func (s *Service) settingsDigest(c crossview.Connection) []byte {
	version := c.ID + "@" + strconv.FormatInt(c.UpdatedAt.UnixNano(), 10)
	s.mu.Lock()
	d, ok := s.digests[version]
	s.mu.Unlock()
	if ok {
		return d
	}
	settings, _ := json.Marshal(c.Sidebar)
	sum := sha256.Sum256(append(append(settings, 0), c.InstanceURL...))
	s.mu.Lock()
	if len(s.digests) >= 10_000 {
		clear(s.digests)
	}
	s.digests[version] = sum[:]
	s.mu.Unlock()
	return sum[:]
}
