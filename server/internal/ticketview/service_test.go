package ticketview_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketview"
)

const org = "00D000000000001AAA"

type stores struct {
	mu    sync.Mutex
	conns []crossview.Connection
	prefs map[string][]byte
}

func (s *stores) Tenant(_ context.Context, sub string) (crossview.Tenant, error) {
	return crossview.Tenant{Subdomain: sub, AppID: 1}, nil
}
func (s *stores) ConnectionsByOrg(context.Context, string) ([]crossview.Connection, error) {
	return s.conns, nil
}
func (s *stores) Preference(_ context.Context, scope, user string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.prefs[scope+"/"+user]
	if !ok {
		return nil, crossview.ErrNotFound
	}
	return b, nil
}
func (s *stores) PutPreference(_ context.Context, scope, user string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prefs[scope+"/"+user] = v
	return nil
}

// zd is a fake Zendesk with users, organizations and tickets per account.
type zd struct {
	mu      sync.Mutex
	users   map[string]map[string]int64 // tenant → email → id
	orgs    map[string]map[string]int64 // tenant → external id or name → id
	tickets map[string][]crossview.Ticket
	fail    map[string]error
	delay   map[string]time.Duration
	calls   map[string]int
}

func (z *zd) call(ctx context.Context, t crossview.Tenant, what string) error {
	z.mu.Lock()
	z.calls[t.Subdomain+":"+what]++
	err, d := z.fail[t.Subdomain], z.delay[t.Subdomain]
	z.mu.Unlock()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return ctx.Err()
	}
	return err
}

func (z *zd) FindUserID(ctx context.Context, t crossview.Tenant, email string) (int64, bool, error) {
	if err := z.call(ctx, t, "user"); err != nil {
		return 0, false, err
	}
	id, ok := z.users[t.Subdomain][email]
	return id, ok, nil
}
func (z *zd) FindOrganizationID(ctx context.Context, t crossview.Tenant, ext, name string) (int64, bool, error) {
	if err := z.call(ctx, t, "org"); err != nil {
		return 0, false, err
	}
	if id, ok := z.orgs[t.Subdomain][ext]; ok && ext != "" {
		return id, true, nil
	}
	id, ok := z.orgs[t.Subdomain][name]
	return id, ok, nil
}
func (z *zd) pick(t crossview.Tenant, keep func(crossview.Ticket) bool) []crossview.Ticket {
	z.mu.Lock()
	defer z.mu.Unlock()
	var out []crossview.Ticket
	for _, tk := range z.tickets[t.Subdomain] {
		if keep(tk) {
			out = append(out, tk)
		}
	}
	return out
}
func (z *zd) RequestedTickets(ctx context.Context, t crossview.Tenant, id int64, _ int) ([]crossview.Ticket, error) {
	if err := z.call(ctx, t, "requested"); err != nil {
		return nil, err
	}
	return z.pick(t, func(tk crossview.Ticket) bool { return tk.RequesterID == id }), nil
}
func (z *zd) OrganizationTickets(ctx context.Context, t crossview.Tenant, id int64, _ int) ([]crossview.Ticket, error) {
	if err := z.call(ctx, t, "orgtickets"); err != nil {
		return nil, err
	}
	return z.pick(t, func(tk crossview.Ticket) bool { return tk.OrganizationID == id }), nil
}
func (z *zd) UserNames(ctx context.Context, t crossview.Tenant, ids []int64) (map[int64]string, error) {
	if err := z.call(ctx, t, "names"); err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, id := range ids {
		m[id] = "User " + string(rune('A'+id%26))
	}
	return m, nil
}

func (z *zd) SearchRequesterTickets(ctx context.Context, t crossview.Tenant, email string, _ int) ([]crossview.Ticket, error) {
	if err := z.call(ctx, t, "search"); err != nil {
		return nil, err
	}
	// The fake's search knows one secondary identity: kim.alt@x.example is Kim (user 2).
	if strings.EqualFold(email, "kim.alt@x.example") {
		return z.pick(t, func(tk crossview.Ticket) bool { return tk.RequesterID == 2 }), nil
	}
	return nil, nil
}

func ticket(tenant string, id, requester, orgID int64, status, prio string, age time.Duration) crossview.Ticket {
	return crossview.Ticket{Tenant: tenant, ID: id, Subject: "T" + string(rune('0'+id%10)), Status: status, Priority: prio,
		RequesterID: requester, AssigneeID: 900, OrganizationID: orgID, UpdatedAt: time.Now().Add(-age)}
}

func world() (*stores, *zd) {
	mk := func(tenant string) crossview.Connection {
		c := crossview.NewConnection(tenant, crossview.Production, org, "https://x.my.salesforce.com", time.Now())
		c.Features[crossview.FeatureTicketView] = true
		return c
	}
	off := mk("initech")
	off.Features[crossview.FeatureTicketView] = false
	s := &stores{conns: []crossview.Connection{mk("acme"), mk("globex"), off}, prefs: map[string][]byte{}}
	z := &zd{
		users: map[string]map[string]int64{"acme": {"pat@x.example": 1, "kim@x.example": 2}, "globex": {"pat@x.example": 7}},
		orgs:  map[string]map[string]int64{"acme": {"001A": 50}, "globex": {"Globex": 60}},
		tickets: map[string][]crossview.Ticket{
			"acme": {
				ticket("acme", 101, 1, 50, "solved", "low", time.Hour),
				ticket("acme", 102, 1, 50, "open", "high", 3*time.Hour),
				ticket("acme", 103, 2, 50, "pending", "", 2*time.Hour),
				ticket("acme", 104, 3, 50, "new", "urgent", 4*time.Hour), // org ticket, requester not in Salesforce
				ticket("acme", 105, 1, 0, "closed", "normal", time.Minute),
			},
			"globex":  {ticket("globex", 101, 7, 60, "open", "normal", 30*time.Minute)},
			"initech": {ticket("initech", 1, 1, 1, "open", "normal", 0)},
		},
		fail: map[string]error{}, delay: map[string]time.Duration{}, calls: map[string]int{},
	}
	return s, z
}

func service(s *stores, z *zd) *ticketview.Service {
	return ticketview.New(ticketview.Options{
		Stores: s, Zendesk: z,
		Loader: cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now)}),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now,
		AccountTimeout: 300 * time.Millisecond, PageSize: 3,
	})
}

func accountPrincipal() crossview.Principal {
	return crossview.Principal{OrgID: org, UserID: "005000000000001AAA", Location: crossview.LocationSalesforceRecord,
		Record: &crossview.SalesforceRecord{OrgID: org, Object: "Account", ID: "001A", Name: "Globex", AccountID: "001A", AccountName: "Globex", Emails: []string{"pat@x.example", "kim@x.example"}}}
}

func ids(ts []crossview.Ticket) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Tenant+"#"+string(rune('0'+t.ID%10)))
	}
	return out
}

func TestAccountPanelAcrossZendeskAccounts(t *testing.T) {
	s, z := world()
	p, err := service(s, z).Build(context.Background(), accountPrincipal(), nil, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sections) != 2 {
		t.Fatalf("sections %+v: initech has the ticket view off", p.Sections)
	}
	// acme: 5 tickets (org 50 by external id, plus pat's org-less one), globex: 1 (org by name).
	if p.Matching != 6 {
		t.Fatalf("matching %d, want 6", p.Matching)
	}
	// Open work first, most recent first within a status; page size 3.
	if got := ids(p.Tickets); len(got) != 3 || got[0] != "acme#4" || got[1] != "globex#1" || got[2] != "acme#2" {
		t.Fatalf("first page %v, want new acme#4, then open globex#1 (newer), acme#2", got)
	}
	if p.Pages != 2 || p.StatusCounts["open"] != 2 || p.StatusCounts["closed"] != 1 {
		t.Fatalf("pages %d counts %v", p.Pages, p.StatusCounts)
	}
	if p.Tickets[0].AssigneeName == "" {
		t.Error("assignee names not filled")
	}
}

func TestFiltersAreRememberedPerRep(t *testing.T) {
	s, z := world()
	svc := service(s, z)
	ctx := context.Background()
	p, err := svc.Build(ctx, accountPrincipal(), &ticketview.Filter{Statuses: []string{"open", "bogus"}, Accounts: []string{"acme"}}, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Tickets); len(got) != 1 || got[0] != "acme#2" {
		t.Fatalf("filtered %v", got)
	}
	// Status counts ignore the status filter but honour the account one.
	if p.StatusCounts["solved"] != 1 || p.StatusCounts["open"] != 1 {
		t.Fatalf("counts %v", p.StatusCounts)
	}
	again, _ := svc.Build(ctx, accountPrincipal(), nil, 1, false)
	if len(again.Filter.Statuses) != 1 || again.Filter.Statuses[0] != "open" || len(again.Tickets) != 1 {
		t.Fatalf("the saved filter was not applied: %+v", again.Filter)
	}
	other := accountPrincipal()
	other.UserID = "005000000000002AAA"
	theirs, _ := svc.Build(ctx, other, nil, 1, false)
	if theirs.Matching != 6 {
		t.Fatalf("another rep inherited the filter: %d tickets", theirs.Matching)
	}
}

// A status filter a rep chose on one record must not silently hide tickets
// on the next record they open: filters are remembered per record.
func TestFilterStaysWithItsRecord(t *testing.T) {
	s, z := world()
	svc := service(s, z)
	ctx := context.Background()
	acme := accountPrincipal()
	if _, err := svc.Build(ctx, acme, &ticketview.Filter{Statuses: []string{"solved"}}, 1, false); err != nil {
		t.Fatal(err)
	}
	contact := accountPrincipal()
	contact.Record = &crossview.SalesforceRecord{OrgID: org, Object: "Contact", ID: "003B", Name: "Pat", Emails: []string{"pat@x.example"}}
	p, err := svc.Build(ctx, contact, nil, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Filter.Statuses) != 0 || p.Matching != 4 {
		t.Fatalf("record B shows %d tickets under filter %+v; the filter chosen on record A must not apply", p.Matching, p.Filter)
	}
	back, err := svc.Build(ctx, acme, nil, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Filter.Statuses) != 1 || back.Filter.Statuses[0] != "solved" {
		t.Fatalf("record A forgot its filter: %+v", back.Filter)
	}
}

func TestFailingAccountIsALabelledSection(t *testing.T) {
	s, z := world()
	z.fail["globex"] = crossview.Errorf(crossview.ERATELIMITED, "Zendesk's API rate limit was reached; try again in 30s.")
	z.delay["acme"] = 0
	p, err := service(s, z).Build(context.Background(), accountPrincipal(), nil, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	var g ticketview.Section
	for _, sec := range p.Sections {
		if sec.Tenant == "globex" {
			g = sec
		}
	}
	if g.Problem == nil || g.Problem.Code != crossview.ERATELIMITED || p.Matching != 5 {
		t.Fatalf("globex %+v, matching %d", g, p.Matching)
	}
	z.fail["globex"] = nil
	z.delay["globex"] = time.Hour
	p, _ = service(s, z).Build(context.Background(), accountPrincipal(), nil, 1, false)
	for _, sec := range p.Sections {
		if sec.Tenant == "globex" && (sec.Problem == nil || sec.Problem.Code != crossview.EUNAVAILABLE) {
			t.Fatalf("slow account: %+v", sec)
		}
	}
}

func TestWebhookInvalidationRefreshesExactlyTheList(t *testing.T) {
	s, z := world()
	loader := cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now)})
	svc := ticketview.New(ticketview.Options{Stores: s, Zendesk: z, Loader: loader, Logger: slog.New(slog.DiscardHandler), Now: time.Now})
	ctx := context.Background()
	contact := crossview.Principal{OrgID: org, UserID: "u1", Record: &crossview.SalesforceRecord{OrgID: org, Object: "Contact", ID: "003A", Emails: []string{"kim@x.example"}}}
	p, _ := svc.Build(ctx, contact, nil, 1, false)
	if p.Matching != 1 || p.Tickets[0].Status != "pending" {
		t.Fatalf("before: %+v", p.Tickets)
	}
	z.mu.Lock()
	z.tickets["acme"][2].Status = "solved"
	z.mu.Unlock()
	if p, _ = svc.Build(ctx, contact, nil, 1, false); p.Tickets[0].Status != "pending" {
		t.Fatal("the cache should hold the list until told")
	}
	calls := z.calls["acme:requested"]
	if err := svc.TicketChanged(ctx, "acme", []int64{2}, []int64{50}); err != nil {
		t.Fatal(err)
	}
	if p, _ = svc.Build(ctx, contact, nil, 1, false); p.Tickets[0].Status != "solved" {
		t.Fatalf("after invalidation: %+v", p.Tickets)
	}
	if z.calls["acme:requested"] != calls+1 || z.calls["acme:user"] != 1 {
		t.Fatalf("calls %v: only the ticket list should be fetched again", z.calls)
	}
}

func TestRecordRequired(t *testing.T) {
	s, z := world()
	if _, err := service(s, z).Build(context.Background(), crossview.Principal{OrgID: org}, nil, 1, false); crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
		t.Fatalf("err = %v", err)
	}
}

func TestSearchFallbackForUnknownEmail(t *testing.T) {
	s, z := world()
	p := crossview.Principal{OrgID: org, UserID: "u1", Record: &crossview.SalesforceRecord{OrgID: org, Object: "Contact", ID: "003B", Emails: []string{"kim.alt@x.example"}}}
	panel, err := service(s, z).Build(context.Background(), p, nil, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if panel.Matching != 1 || z.calls["acme:search"] != 1 {
		t.Fatalf("matching %d, calls %v: an email no user has should fall back to search", panel.Matching, z.calls)
	}
}
