package sidebar_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
)

// usage is a fixed report of orgs' API use.
type usage map[string][2]int

func (u usage) APIUsage(orgID string) (int, int, bool) {
	v, ok := u[orgID]
	return v[0], v[1], ok
}

func budgetService(w *world, c *crm, r *requesters, cooldown time.Duration, u usage) *sidebar.Service {
	return sidebar.New(sidebar.Options{
		Tenants: w, Requesters: r, CRM: c,
		Loader:          cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now), Now: time.Now}),
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:             time.Now,
		RefreshCooldown: cooldown,
		Allowance:       u,
	})
}

// TestRefreshCooldownIsPerUserAndTicket: a second forced refresh within
// the cooldown is served from the cache and says since when; another
// user, or another ticket, refreshes.
func TestRefreshCooldownIsPerUserAndTicket(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true)}}
	c, r := newCRM(), &requesters{}
	s := budgetService(w, c, r, time.Minute, nil)
	ctx := context.Background()
	build := func(p crossview.Principal, ticket int64) sidebar.Panel {
		t.Helper()
		panel, err := s.Build(ctx, p, ticket, true)
		if err != nil {
			t.Fatal(err)
		}
		return panel
	}
	first := build(principal, 42)
	if first.Held != nil || c.calls["conn_1"] != 1 {
		t.Fatalf("first refresh: held %v, calls %v", first.Held, c.calls)
	}
	for range 5 {
		p := build(principal, 42)
		if p.Held == nil || p.Held.Since.IsZero() || !p.Held.Until.Equal(p.Held.Since.Add(time.Minute)) || len(p.Sections[0].Data.Matches) != 1 {
			t.Fatalf("refresh within the cooldown: %+v", p)
		}
	}
	if c.calls["conn_1"] != 1 || r.calls.Load() != 1 {
		t.Errorf("refreshes within the cooldown cost calls: orgs %v, Zendesk %d", c.calls, r.calls.Load())
	}
	other := principal
	other.UserID = "8"
	if p := build(other, 42); p.Held != nil {
		t.Error("another agent's refresh was held")
	}
	if p := build(principal, 43); p.Held != nil {
		t.Error("a refresh of another ticket was held")
	}
	if c.calls["conn_1"] != 3 {
		t.Errorf("calls %v, want 3", c.calls)
	}
}

// TestReserveSkipsOptionalCalls: an org at its reserve is neither forced
// nor revalidated; it is still asked when nothing is cached.
func TestReserveSkipsOptionalCalls(t *testing.T) {
	low, ok := conn("1", 0, true), conn("2", 1, true)
	w := &world{conns: []crossview.Connection{low, ok}}
	c := newCRM()
	s := budgetService(w, c, &requesters{}, 0, usage{low.OrgID: {92_000, 100_000}, ok.OrgID: {10, 100_000}})
	ctx := context.Background()
	p, err := s.Build(ctx, principal, 42, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.calls["conn_1"] != 1 || p.Sections[0].Reserve == nil || p.Sections[0].Reserve.Used != 92_000 || p.Sections[1].Reserve != nil {
		t.Fatalf("cold panel: calls %v, reserves %+v %+v", c.calls, p.Sections[0].Reserve, p.Sections[1].Reserve)
	}
	p, err = s.Build(ctx, principal, 42, true)
	if err != nil {
		t.Fatal(err)
	}
	if c.calls["conn_1"] != 1 || c.calls["conn_2"] != 2 {
		t.Errorf("forced refresh: calls %v; the org in its reserve must not be asked", c.calls)
	}
	if len(p.Sections[0].Data.Matches) != 1 || p.Sections[0].Reserve == nil {
		t.Errorf("the org in its reserve lost its data or its note: %+v", p.Sections[0])
	}
}

// access is a fixed table of agents' access facts.
type access map[int64]crossview.AgentAccess

func (a access) AgentAccess(_ context.Context, _ crossview.Tenant, id int64) (crossview.AgentAccess, error) {
	if v, ok := a[id]; ok {
		return v, nil
	}
	return crossview.AgentAccess{}, crossview.Errorf(crossview.EFORBIDDEN, "unknown user")
}

// TestAuthorize: the access check decides by Zendesk's rules and shares
// its ticket read with the panel.
func TestAuthorize(t *testing.T) {
	w := &world{conns: []crossview.Connection{conn("1", 0, true)}}
	r := &requesters{}
	s := sidebar.New(sidebar.Options{
		Tenants: w, Requesters: r, CRM: newCRM(),
		Access: access{
			7: {UserID: 7, Role: crossview.RoleAgent, Active: true, Restriction: crossview.RestrictGroups, Restricted: true, GroupIDs: []int64{10}},
			9: {UserID: 9, Role: crossview.RoleEndUser, Active: true, Restriction: crossview.RestrictRequested},
		},
		Loader: cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(1000, time.Now), Now: time.Now}),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now,
	})
	ctx := context.Background()
	// The fake puts even tickets in group 10, odd ones in group 11.
	if err := s.Authorize(ctx, principal, 42); err != nil {
		t.Fatalf("ticket 42 in the agent's group: %v", err)
	}
	if _, err := s.Build(ctx, principal, 42, false); err != nil || r.calls.Load() != 1 {
		t.Fatalf("the panel after the check: %v, %d Zendesk ticket reads, want 1", err, r.calls.Load())
	}
	if err := s.Authorize(ctx, principal, 43); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Errorf("ticket 43 outside the agent's groups: %v", err)
	}
	for _, who := range []string{"9", "0", "x", "12345"} {
		p := principal
		p.UserID = who
		if err := s.Authorize(ctx, p, 42); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
			t.Errorf("user %q: %v", who, err)
		}
	}
}
