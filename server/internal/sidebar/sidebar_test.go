package sidebar_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
)

type world struct {
	conns []crossview.Connection
}

func (w *world) Tenant(_ context.Context, sub string) (crossview.Tenant, error) {
	return crossview.Tenant{Subdomain: sub, AppID: 1}, nil
}

func (w *world) Connections(context.Context, string) ([]crossview.Connection, error) {
	return w.conns, nil
}

type requesters struct{ calls atomic.Int32 }

func (r *requesters) TicketFacts(_ context.Context, _ crossview.Tenant, id int64) (crossview.TicketScope, crossview.Requester, error) {
	r.calls.Add(1)
	return crossview.TicketScope{ID: id, GroupID: 10 + id%2, RequesterID: 5}, crossview.Requester{ZendeskUserID: 5, Name: "Pat O'Brien", Email: "pat.o'brien@example.com"}, nil
}

// crm answers after a per-org delay or fails as told, counting calls.
type crm struct {
	mu    sync.Mutex
	delay map[string]time.Duration
	fail  map[string]error
	calls map[string]int
}

func (c *crm) LookupCustomer(ctx context.Context, conn crossview.Connection, email string) (crossview.CustomerData, error) {
	c.mu.Lock()
	c.calls[conn.ID]++
	d, err := c.delay[conn.ID], c.fail[conn.ID]
	c.mu.Unlock()
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return crossview.CustomerData{}, ctx.Err()
	}
	if err != nil {
		return crossview.CustomerData{}, err
	}
	return crossview.CustomerData{Matches: []crossview.CustomerMatch{{Person: crossview.Record{Object: "Contact", Name: "Pat in " + conn.Name, ID: "003" + conn.ID}}}}, nil
}

func conn(id string, order int, sidebarOn bool) crossview.Connection {
	c := crossview.NewConnection("acme", crossview.Production, "00D00000000000"+id+"AAA", "https://"+id+".my.salesforce.com", time.Now())
	c.ID, c.Name, c.Sidebar.Order = "conn_"+id, "Org "+id, order
	c.Features[crossview.FeatureSidebar] = sidebarOn
	return c
}

func newService(w *world, c *crm, r *requesters, timeout time.Duration) *sidebar.Service {
	return sidebar.New(sidebar.Options{
		Tenants: w, Requesters: r, CRM: c,
		Loader:     cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now), Now: time.Now}),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:        time.Now,
		OrgTimeout: timeout,
	})
}

func newCRM() *crm {
	return &crm{delay: map[string]time.Duration{}, fail: map[string]error{}, calls: map[string]int{}}
}

var principal = crossview.Principal{Tenant: "acme", UserID: "7", Location: crossview.LocationZendeskSidebar}

func TestSlowAndBrokenOrgsAreLabelledSections(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true), conn("2", 1, true), conn("3", 2, true), conn("4", 3, false)}}
	c := newCRM()
	c.delay["conn_2"] = time.Hour // answers only when its deadline cancels it
	c.fail["conn_3"] = crossview.Errorf(crossview.ERATELIMITED, "This org's daily Salesforce API allowance is used up.")
	s := newService(w, c, &requesters{}, 300*time.Millisecond)

	p, err := s.Build(context.Background(), principal, 42, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sections) != 3 {
		t.Fatalf("%d sections, want 3 (org 4 has the sidebar off)", len(p.Sections))
	}
	if s0 := p.Sections[0]; s0.Problem != nil || s0.Data.Matches[0].Person.Name != "Pat in Org 1" {
		t.Errorf("org 1 = %+v", s0)
	}
	if s1 := p.Sections[1]; s1.Problem == nil || s1.Problem.Code != crossview.EUNAVAILABLE {
		t.Errorf("slow org 2 = %+v, want a timeout problem", s1)
	}
	if s2 := p.Sections[2]; s2.Problem == nil || s2.Problem.Code != crossview.ERATELIMITED || s2.Problem.Message == "" {
		t.Errorf("rate-limited org 3 = %+v", s2)
	}
}

// barrierCRM answers only once n lookups are in flight together, so it
// proves the fan-out is parallel without timing anything.
type barrierCRM struct {
	n       int
	mu      sync.Mutex
	waiting int
	all     chan struct{}
}

func (b *barrierCRM) LookupCustomer(ctx context.Context, conn crossview.Connection, _ string) (crossview.CustomerData, error) {
	b.mu.Lock()
	b.waiting++
	if b.waiting == b.n {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
		return crossview.CustomerData{}, nil
	case <-ctx.Done():
		return crossview.CustomerData{}, ctx.Err()
	}
}

func TestFanOutIsParallel(t *testing.T) {
	var conns []crossview.Connection
	for i := range 8 {
		conns = append(conns, conn(string(rune('a'+i)), i, true))
	}
	b := &barrierCRM{n: len(conns), all: make(chan struct{})}
	s := sidebar.New(sidebar.Options{
		Tenants: &world{conns: conns}, Requesters: &requesters{}, CRM: b,
		Loader: cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(100, time.Now)}),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now,
		OrgTimeout: 10 * time.Second,
	})
	p, err := s.Build(context.Background(), principal, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range p.Sections {
		if sec.Problem != nil {
			t.Fatalf("section %s: %+v (the lookups did not all run at once)", sec.Connection.ID, sec.Problem)
		}
	}
}

func TestSimultaneousOpensCostOneCallPerOrg(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true), conn("2", 1, true)}}
	c := newCRM()
	c.delay["conn_1"], c.delay["conn_2"] = 50*time.Millisecond, 50*time.Millisecond
	r := &requesters{}
	s := newService(w, c, r, 2*time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Build(context.Background(), principal, 42, false); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if c.calls["conn_1"] != 1 || c.calls["conn_2"] != 1 || r.calls.Load() != 1 {
		t.Fatalf("calls: orgs %v, requester %d; want one each", c.calls, r.calls.Load())
	}
	// A forced refresh asks again.
	if _, err := s.Build(context.Background(), principal, 42, true); err != nil {
		t.Fatal(err)
	}
	if c.calls["conn_1"] != 2 {
		t.Fatalf("refresh did not reach Salesforce: %v", c.calls)
	}
}

func TestNoConnections(t *testing.T) {
	r := &requesters{}
	s := newService(&world{conns: []crossview.Connection{conn("1", 0, false)}}, newCRM(), r, time.Second)
	p, err := s.Build(context.Background(), principal, 1, false)
	if err != nil || !p.NoConnections || len(p.Sections) != 0 {
		t.Fatalf("panel = %+v, %v", p, err)
	}
}

func TestInternalErrorsAreNotShown(t *testing.T) {
	c := newCRM()
	c.fail["conn_1"] = errors.New("dial tcp 10.0.0.7:443: secret internal detail")
	s := newService(&world{conns: []crossview.Connection{conn("1", 0, true)}}, c, &requesters{}, time.Second)
	p, err := s.Build(context.Background(), principal, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.Sections[0].Problem; pr == nil || pr.Code != crossview.EINTERNAL || strings.Contains(pr.Message, "10.0.0.7") {
		t.Fatalf("problem = %+v", pr)
	}
}

func TestLastGoodAnswerShownWhileOrgIsDown(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true)}}
	c := newCRM()
	s := newService(w, c, &requesters{}, time.Second)
	ctx := context.Background()
	if _, err := s.Build(ctx, principal, 42, false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		err       error
		wantStale bool
	}{
		{crossview.Errorf(crossview.EUNAVAILABLE, "Salesforce is having trouble (HTTP 503)."), true},
		{crossview.Errorf(crossview.ERATELIMITED, "allowance used up"), true},
		{crossview.Errorf(crossview.EUNAUTHORIZED, "revoked; reconnect"), false},
	} {
		c.mu.Lock()
		c.fail["conn_1"] = tc.err
		c.mu.Unlock()
		p, err := s.Build(ctx, principal, 42, true)
		if err != nil {
			t.Fatal(err)
		}
		sec := p.Sections[0]
		if sec.Problem == nil || sec.Problem.Stale != tc.wantStale || (len(sec.Data.Matches) > 0) != tc.wantStale {
			t.Errorf("%v: problem %+v with %d matches", tc.err, sec.Problem, len(sec.Data.Matches))
		}
	}
}

func TestBrokenConnectionShowsItsHealthProblem(t *testing.T) {
	c := conn("1", 0, true)
	c.Health = crossview.Health{Problems: []crossview.HealthProblem{{Code: "admin_downgraded", Blocking: true,
		Title: "The connecting Zendesk admin is no longer an admin", Fix: "Another Zendesk admin reconnects the org."}}}
	cr := newCRM()
	s := newService(&world{conns: []crossview.Connection{c}}, cr, &requesters{}, time.Second)
	p, err := s.Build(context.Background(), principal, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if pr := p.Sections[0].Problem; pr == nil || !strings.Contains(pr.Message, "no longer an admin") || cr.calls["conn_1"] != 0 {
		t.Fatalf("problem %+v, calls %v: a stopped connection must say why and not be asked", pr, cr.calls)
	}
}
