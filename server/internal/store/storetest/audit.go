package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// testAudit covers the audit log: order, limits, tenant isolation,
// retention and refusals. Subtests share the backend, each on its own
// tenants.
func testAudit(t *testing.T, e *env) {
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"OrderAndLimit", testAuditOrderAndLimit},
		{"DefaultLimit", testAuditDefaultLimit},
		{"TenantIsolation", testAuditTenantIsolation},
		{"Retention", testAuditRetention},
		{"UnknownTenant", testAuditUnknownTenant},
		{"InvalidEntry", testAuditInvalidEntry},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, e) })
	}
}

func mustAppendAudit(t *testing.T, s crossview.Store, tenant string, entries ...crossview.AuditEntry) {
	t.Helper()
	for _, en := range entries {
		if err := s.AppendAudit(context.Background(), tenant, en); err != nil {
			t.Fatalf("AppendAudit(%s, %s): %v", tenant, en.Action, err)
		}
	}
}

func mustAudit(t *testing.T, s crossview.Store, tenant string, limit int) []crossview.AuditEntry {
	t.Helper()
	got, err := s.Audit(context.Background(), tenant, limit)
	if err != nil {
		t.Fatalf("Audit(%s, %d): %v", tenant, limit, err)
	}
	return got
}

func auditActions(es []crossview.AuditEntry) []string {
	out := make([]string, len(es))
	for i, en := range es {
		out[i] = en.Action
	}
	return out
}

func testAuditOrderAndLimit(t *testing.T, e *env) {
	s := e.store
	mustPutTenants(t, s, "order")
	if got := mustAudit(t, s, "order", 10); len(got) != 0 {
		t.Fatalf("Audit of a new tenant = %v, want none", got)
	}
	start := e.clock.Now()
	added := crossview.AuditEntry{Actor: "ada@order.example", Action: "connection.add",
		ConnectionID: "conn_1", ConnectionName: "Production", Detail: "Connected org 00D5g000004ABCD"}
	mustAppendAudit(t, s, "order", added)
	e.clock.Advance(time.Second)
	mustAppendAudit(t, s, "order", crossview.AuditEntry{Actor: "ada@order.example", Action: "feature.enable"})
	e.clock.Advance(time.Second)
	// Two actions in one instant keep the order they were done in.
	mustAppendAudit(t, s, "order",
		crossview.AuditEntry{Actor: "cli", Action: "connection.rename"},
		crossview.AuditEntry{Actor: "cli", Action: "connection.disconnect"})
	// An entry may carry its own time; it sorts by that, not by arrival.
	mustAppendAudit(t, s, "order", crossview.AuditEntry{Actor: "cli", Action: "backfill.import", At: start.Add(-time.Minute)})

	want := []string{"connection.disconnect", "connection.rename", "feature.enable", "connection.add", "backfill.import"}
	got := mustAudit(t, s, "order", 10)
	if d := diff(want, auditActions(got)); d != "" {
		t.Fatalf("Audit order mismatch (-want +got):\n%s", d)
	}
	added.At = start
	if d := diff(added, got[3]); d != "" {
		t.Fatalf("an entry did not round-trip, or At was not set to now (-want +got):\n%s", d)
	}
	if got := mustAudit(t, s, "order", 2); len(got) != 2 || got[0].Action != "connection.disconnect" || got[1].Action != "connection.rename" {
		t.Fatalf("Audit(limit 2) = %v, want the two newest", auditActions(got))
	}
	// Another replica (a second Store over the same backend) sees the same log.
	if d := diff(want, auditActions(mustAudit(t, e.open(e.keys), "order", 10))); d != "" {
		t.Fatalf("another replica sees a different log (-want +got):\n%s", d)
	}
}

func testAuditDefaultLimit(t *testing.T, e *env) {
	s := e.store
	mustPutTenants(t, s, "busy")
	for i := range 101 {
		mustAppendAudit(t, s, "busy", crossview.AuditEntry{Actor: "cli", Action: fmt.Sprintf("step.%03d", i)})
		e.clock.Advance(time.Millisecond)
	}
	for _, limit := range []int{0, -5} {
		got := mustAudit(t, s, "busy", limit)
		if len(got) != 100 || got[0].Action != "step.100" || got[99].Action != "step.001" {
			t.Fatalf("Audit(limit %d) gave %d entries from %v to %v; want the 100 newest", limit, len(got), got[0].Action, got[len(got)-1].Action)
		}
	}
	if got := mustAudit(t, s, "busy", 5000); len(got) != 101 {
		t.Fatalf("Audit(limit 5000) gave %d entries, want all 101", len(got))
	}
}

func testAuditTenantIsolation(t *testing.T, e *env) {
	s := e.store
	mustPutTenants(t, s, "iso-a", "iso-b")
	mustAppendAudit(t, s, "iso-a", crossview.AuditEntry{Actor: "ada@a.example", Action: "connection.add"})
	mustAppendAudit(t, s, "iso-b", crossview.AuditEntry{Actor: "bob@b.example", Action: "connection.remove"})
	if got := auditActions(mustAudit(t, s, "iso-a", 10)); diff([]string{"connection.add"}, got) != "" {
		t.Fatalf("iso-a sees %v", got)
	}
	if got := mustAudit(t, s, "iso-b", 10); len(got) != 1 || got[0].Actor != "bob@b.example" {
		t.Fatalf("iso-b sees %+v", got)
	}
}

func testAuditRetention(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "keep")
	mustAppendAudit(t, s, "keep", crossview.AuditEntry{Actor: "cli", Action: "oldest"})
	e.clock.Advance(200 * 24 * time.Hour)
	mustAppendAudit(t, s, "keep", crossview.AuditEntry{Actor: "cli", Action: "middle"})

	// Once past retention, an entry is gone from the list at once...
	e.clock.Advance(crossview.AuditRetention - 200*24*time.Hour + time.Minute)
	if got := auditActions(mustAudit(t, s, "keep", 10)); diff([]string{"middle"}, got) != "" {
		t.Fatalf("Audit past retention = %v, want only the entry still within it", got)
	}
	// ...and from the backend once the next append sweeps.
	mustAppendAudit(t, s, "keep", crossview.AuditEntry{Actor: "cli", Action: "newest"})
	if got := auditActions(mustAudit(t, s, "keep", 10)); diff([]string{"newest", "middle"}, got) != "" {
		t.Fatalf("Audit after the sweep = %v", got)
	}
	raws, err := e.backend.List(ctx, "keep", "audit")
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 2 {
		t.Fatalf("the backend holds %d audit entries after the sweep, want 2", len(raws))
	}
	for _, raw := range raws {
		if strings.Contains(string(raw), "oldest") {
			t.Fatalf("the expired entry is still stored: %s", raw)
		}
	}
}

func testAuditUnknownTenant(t *testing.T, e *env) {
	ctx := context.Background()
	for _, tenant := range []string{"nosuch", "Not A Subdomain", ""} {
		err := e.store.AppendAudit(ctx, tenant, crossview.AuditEntry{Actor: "cli", Action: "connection.add"})
		wantNotFound(t, fmt.Sprintf("AppendAudit(%q)", tenant), err)
		_, err = e.store.Audit(ctx, tenant, 10)
		wantNotFound(t, fmt.Sprintf("Audit(%q)", tenant), err)
	}
}

func testAuditInvalidEntry(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "strict")
	for _, tc := range []struct {
		name  string
		entry crossview.AuditEntry
		code  string
	}{
		{"no action", crossview.AuditEntry{Actor: "cli"}, crossview.EINVALID},
		{"blank action", crossview.AuditEntry{Actor: "cli", Action: "  \t"}, crossview.EINVALID},
		{"overlong action", crossview.AuditEntry{Actor: "cli", Action: strings.Repeat("a", 101)}, crossview.EINVALID},
		{"oversized detail", crossview.AuditEntry{Actor: "cli", Action: "x", Detail: strings.Repeat("d", 9<<10)}, crossview.ETOOLARGE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := s.AppendAudit(ctx, "strict", tc.entry)
			wantCode(t, "AppendAudit", err, tc.code)
			if msg := crossview.ErrorMessage(err); msg == "Internal error." {
				t.Fatalf("AppendAudit error has no message a user could act on: %v", err)
			}
		})
	}
	if got := mustAudit(t, s, "strict", 10); len(got) != 0 {
		t.Fatalf("invalid entries were stored: %v", auditActions(got))
	}
}
