package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// BenchmarkWarmSidebarPanel serves the panel of a ticket whose data is
// cached, through the whole HTTP stack (token check, store, cache, render).
func BenchmarkWarmSidebarPanel(b *testing.B) {
	base, sb := startTestSandbox(b, "CROSSVIEW_LOG_LEVEL", "error")
	tok := openSidebar(b, base, sb)
	req := httptest.NewRequest(http.MethodGet, "/zendesk/panel?ticket_id=1", nil)
	req.Header.Set("X-Crossview-Token", tok)
	rec := httptest.NewRecorder()
	sb.handler.ServeHTTP(rec, req) // warm the cache
	if rec.Code != 200 {
		b.Fatalf("panel: %d %s", rec.Code, rec.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			sb.handler.ServeHTTP(rec, req.Clone(req.Context()))
			if rec.Code != 200 {
				b.Errorf("panel: %d", rec.Code)
			}
		}
	})
}

// BenchmarkColdSidebarPanel measures a panel whose every org must be asked,
// with each org 100 ms slow: the answer should take the slowest org plus a
// little, not the sum.
func BenchmarkColdSidebarPanel(b *testing.B) {
	for _, orgs := range []int{1, 3, 10} {
		b.Run(map[int]string{1: "orgs=1", 3: "orgs=3", 10: "orgs=10"}[orgs], func(b *testing.B) {
			// Every iteration is a forced refresh: no cooldown.
			base, sb := startTestSandbox(b, "CROSSVIEW_LOG_LEVEL", "error", "CROSSVIEW_REFRESH_COOLDOWN", "0s")
			setOrgCount(b, sb, orgs)
			for _, o := range sb.world.OrgSeeds {
				o.Org.SetLatency(100 * time.Millisecond)
			}
			tok := openSidebar(b, base, sb)
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/zendesk/panel?ticket_id=1&refresh=1", nil)
				req.Header.Set("X-Crossview-Token", tok)
				rec := httptest.NewRecorder()
				sb.handler.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("panel: %d", rec.Code)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/panel")
		})
	}
}

// setOrgCount leaves exactly n orgs with the sidebar on, adding orgs that
// know ticket 1's requester when the sandbox has too few.
func setOrgCount(b *testing.B, sb *sandboxRun, n int) {
	b.Helper()
	ctx := context.Background()
	for i := len(sb.world.OrgSeeds); i < n; i++ {
		o, err := sb.world.AddRequesterOrg(fmt.Sprintf("x%d", i), fmt.Sprintf("Extra org %d", i))
		if err != nil {
			b.Fatal(err)
		}
		_, refresh := o.Org.IssueTokens(o.Admin.ID)
		conn, err := sb.app.admin.ConnectWithRefreshToken(ctx, "bench", sb.world.Tenant().Subdomain, o.Environment, refresh)
		if err != nil {
			b.Fatal(err)
		}
		conn.Features[crossview.FeatureSidebar] = true
		if err := sb.app.store.PutConnection(ctx, conn); err != nil {
			b.Fatal(err)
		}
	}
	conns, err := sb.app.store.Connections(ctx, sb.world.Tenant().Subdomain)
	if err != nil {
		b.Fatal(err)
	}
	for i, c := range conns {
		c.Features[crossview.FeatureSidebar] = i < n
		if err := sb.app.store.PutConnection(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdTicketPanel measures the Salesforce ticket panel of the
// Globex Account (two Zendesk accounts) with every Zendesk account 100 ms
// slow: first-view-ms is the signed Canvas load on an empty cache (email and
// organization lookups, then lists, then names); ms/panel is a refresh,
// which refetches the lists and names.
func BenchmarkColdTicketPanel(b *testing.B) {
	base, sb := startTestSandbox(b, "CROSSVIEW_LOG_LEVEL", "error", "CROSSVIEW_REFRESH_COOLDOWN", "0s")
	for _, a := range sb.world.Accounts {
		a.Account.SetLatency(100 * time.Millisecond)
	}
	start := time.Now()
	tok := openTicketPanel(b, base, sb, sb.world.Org("a").Records[0].ID)
	first := time.Since(start)
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/salesforce/panel?refresh=1", nil)
		req.Header.Set("X-Crossview-Token", tok)
		rec := httptest.NewRecorder()
		sb.handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("panel: %d", rec.Code)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/panel")
	b.ReportMetric(float64(first.Milliseconds()), "first-view-ms")
}

// BenchmarkWarmTicketPanel serves the ticket panel from cache through the
// whole HTTP stack.
func BenchmarkWarmTicketPanel(b *testing.B) {
	base, sb := startTestSandbox(b, "CROSSVIEW_LOG_LEVEL", "error")
	tok := openTicketPanel(b, base, sb, sb.world.Org("a").Records[0].ID)
	req := httptest.NewRequest(http.MethodGet, "/salesforce/panel?page=1", nil)
	req.Header.Set("X-Crossview-Token", tok)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			sb.handler.ServeHTTP(rec, req.Clone(req.Context()))
			if rec.Code != 200 {
				b.Errorf("panel: %d", rec.Code)
			}
		}
	})
}
