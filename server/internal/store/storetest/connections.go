package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

func testConnectionCRUD(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "acme")

	_, err := s.Connection(ctx, "conn_missing")
	wantNotFound(t, "Connection before any put", err)

	c := connectionFixture("acme", "conn_1", orgA)
	c.Features = nil // the store fills in an empty set
	mustPutConnection(t, s, c)
	got, err := s.Connection(ctx, "conn_1")
	if err != nil {
		t.Fatalf("Connection: %v", err)
	}
	want := c
	want.UpdatedAt = e.clock.Now()
	if d := diff(want, got); d != "" {
		t.Fatalf("Connection after put mismatch (-want +got):\n%s", d)
	}
	if got.Features == nil {
		t.Fatal("Features is nil after a round trip; callers could not turn a feature on")
	}

	// Replace: rename, turn a feature on, change settings.
	e.clock.Advance(time.Minute)
	c.Name = "Acme EMEA"
	c.Features = map[crossview.Feature]bool{crossview.FeatureSidebar: true}
	c.Sidebar.Order = 3
	c.Sidebar.Fields[crossview.ObjectContact] = []string{"Title", "Department"}
	mustPutConnection(t, s, c)
	got, err = s.Connection(ctx, "conn_1")
	if err != nil {
		t.Fatal(err)
	}
	want = c
	want.UpdatedAt = e.clock.Now()
	if d := diff(want, got); d != "" {
		t.Fatalf("Connection after update mismatch (-want +got):\n%s", d)
	}
	if !got.Active(crossview.FeatureSidebar) {
		t.Fatal("sidebar not active after turning it on")
	}

	if err := s.PutToken(ctx, "conn_1", tokenFixture(1)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteConnection(ctx, "conn_1"); err != nil {
		t.Fatalf("DeleteConnection: %v", err)
	}
	_, err = s.Connection(ctx, "conn_1")
	wantNotFound(t, "Connection after delete", err)
	_, err = s.Token(ctx, "conn_1")
	wantNotFound(t, "Token after delete", err)
	_, err = s.ConnectionByOrg(ctx, "acme", orgA)
	wantNotFound(t, "ConnectionByOrg after delete", err)
	if all, err := s.ConnectionsByOrg(ctx, orgA); err != nil || len(all) != 0 {
		t.Fatalf("ConnectionsByOrg after delete = %v, %v; want none", ids(all), err)
	}
	if all, err := s.Connections(ctx, "acme"); err != nil || len(all) != 0 {
		t.Fatalf("Connections after delete = %v, %v; want none", ids(all), err)
	}
	wantNotFound(t, "DeleteConnection twice", s.DeleteConnection(ctx, "conn_1"))

	// The same org can be connected again after a disconnect.
	mustPutConnection(t, s, connectionFixture("acme", "conn_2", orgA))
	if got, err := s.ConnectionByOrg(ctx, "acme", orgA); err != nil || got.ID != "conn_2" {
		t.Fatalf("ConnectionByOrg after reconnecting = %v, %v; want conn_2", got.ID, err)
	}
}

func testConnectionValidation(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "acme", "globex")
	mustPutConnection(t, s, connectionFixture("acme", "conn_1", orgA))

	tests := []struct {
		name   string
		modify func(*crossview.Connection)
		code   string
	}{
		{"no id", func(c *crossview.Connection) { c.ID = "" }, crossview.EINVALID},
		{"id with a colon", func(c *crossview.Connection) { c.ID = "conn:1" }, crossview.EINVALID},
		{"unknown tenant", func(c *crossview.Connection) { c.Tenant = "initech" }, crossview.EINVALID},
		{"invalid tenant", func(c *crossview.Connection) { c.Tenant = "Not Valid" }, crossview.EINVALID},
		{"no environment", func(c *crossview.Connection) { c.Environment = "" }, crossview.EINVALID},
		{"unknown environment", func(c *crossview.Connection) { c.Environment = "developer" }, crossview.EINVALID},
		{"org id of a user", func(c *crossview.Connection) { c.OrgID = "005R0000000DgJAIA0" }, crossview.EINVALID},
		{"short org id", func(c *crossview.Connection) { c.OrgID = "00D123" }, crossview.EINVALID},
		{"no status", func(c *crossview.Connection) { c.Status = "" }, crossview.EINVALID},
		{"unknown feature", func(c *crossview.Connection) { c.Features = map[crossview.Feature]bool{"telepathy": true} }, crossview.EINVALID},
		{"SOQL in a sidebar field", func(c *crossview.Connection) {
			c.Sidebar.Fields[crossview.ObjectContact] = []string{"Name FROM User --"}
		}, crossview.EINVALID},
		{"too many cases", func(c *crossview.Connection) { c.Sidebar.MaxCases = 500 }, crossview.EINVALID},
		{"moving to another tenant", func(c *crossview.Connection) { c.ID = "conn_1"; c.Tenant = "globex" }, crossview.ECONFLICT},
		{"second connection of a tenant to one org", func(c *crossview.Connection) { c.ID = "conn_dup" }, crossview.ECONFLICT},
		{"second connection to the 15-character org id", func(c *crossview.Connection) { c.ID = "conn_dup"; c.OrgID = orgA15 }, crossview.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := connectionFixture("acme", "conn_new", orgA)
			tt.modify(&c)
			err := s.PutConnection(ctx, c)
			wantCode(t, "PutConnection", err, tt.code)
			if msg := crossview.ErrorMessage(err); msg == "" || msg == "Internal error." {
				t.Fatalf("PutConnection error has no message a user could act on: %v", err)
			}
		})
	}
	all, err := s.Connections(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff([]string{"acme/conn_1"}, ids(all)); d != "" {
		t.Fatalf("rejected connections were stored (-want +got):\n%s", d)
	}
	if got, _ := s.Connection(ctx, "conn_1"); got.Tenant != "acme" {
		t.Fatalf("conn_1 moved to %q", got.Tenant)
	}
	if other, _ := s.Connections(ctx, "globex"); len(other) != 0 {
		t.Fatalf("globex gained %v", ids(other))
	}
}

func testConnectionOrdering(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "acme", "globex")
	add := func(tenant, id, name string, order, org int) {
		c := connectionFixture(tenant, id, orgN(org))
		c.Name, c.Sidebar.Order = name, order
		mustPutConnection(t, s, c)
	}
	add("acme", "conn_c", "Beta", 1, 1)
	add("acme", "conn_a", "Beta", 1, 2)
	add("acme", "conn_b", "Alpha", 1, 3)
	add("acme", "conn_z", "Zeta", 0, 4)
	add("acme", "conn_m", "Alpha", 2, 5)
	add("globex", "conn_g", "Alpha", -1, 6)

	got, err := s.Connections(ctx, "acme")
	if err != nil {
		t.Fatalf("Connections: %v", err)
	}
	want := []string{"acme/conn_z", "acme/conn_b", "acme/conn_a", "acme/conn_c", "acme/conn_m"}
	if d := diff(want, ids(got)); d != "" {
		t.Fatalf("Connections order (sidebar order, name, id) mismatch (-want +got):\n%s", d)
	}
	if none, err := s.Connections(ctx, "initech"); err != nil || len(none) != 0 {
		t.Fatalf("Connections of a tenant with none = %v, %v", ids(none), err)
	}
}

func testConnectionsByOrg(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "acme", "globex", "initech")
	mustPutConnection(t, s, connectionFixture("globex", "conn_g", orgA))
	mustPutConnection(t, s, connectionFixture("acme", "conn_a", orgA))
	mustPutConnection(t, s, connectionFixture("initech", "conn_i", orgB))
	disc := connectionFixture("acme", "conn_b", orgB)
	disc.Status = crossview.StatusDisconnected
	mustPutConnection(t, s, disc)

	for _, org := range []string{orgA, orgA15} {
		got, err := s.ConnectionsByOrg(ctx, org)
		if err != nil {
			t.Fatalf("ConnectionsByOrg(%s): %v", org, err)
		}
		if d := diff([]string{"acme/conn_a", "globex/conn_g"}, ids(got)); d != "" {
			t.Fatalf("ConnectionsByOrg(%s) mismatch (-want +got):\n%s", org, d)
		}
	}
	if got, err := s.ConnectionByOrg(ctx, "globex", orgA15); err != nil || got.ID != "conn_g" {
		t.Fatalf("ConnectionByOrg(globex, 15-char org) = %q, %v; want conn_g", got.ID, err)
	}
	// Disconnected connections are found too: a reconnect restores them.
	if got, err := s.ConnectionByOrg(ctx, "acme", orgB); err != nil || got.ID != "conn_b" || got.Status != crossview.StatusDisconnected {
		t.Fatalf("ConnectionByOrg(acme, orgB) = %q %q, %v; want the disconnected conn_b", got.ID, got.Status, err)
	}
	_, err := s.ConnectionByOrg(ctx, "globex", orgB)
	wantNotFound(t, "ConnectionByOrg for a tenant not connected to the org", err)
	if got, err := s.ConnectionsByOrg(ctx, orgN(99)); err != nil || len(got) != 0 {
		t.Fatalf("ConnectionsByOrg of an unconnected org = %v, %v", ids(got), err)
	}
	if got, err := s.ConnectionsByOrg(ctx, "not-an-org"); err != nil || len(got) != 0 {
		t.Fatalf("ConnectionsByOrg of a malformed id = %v, %v", ids(got), err)
	}

	// Moving a connection to another org moves it in the lookups.
	e.clock.Advance(time.Second)
	moved, err := s.Connection(ctx, "conn_g")
	if err != nil {
		t.Fatal(err)
	}
	moved.OrgID = orgB
	mustPutConnection(t, s, moved)
	if got, err := s.ConnectionsByOrg(ctx, orgA); err != nil || len(got) != 1 || got[0].ID != "conn_a" {
		t.Fatalf("ConnectionsByOrg(orgA) after conn_g moved = %v, %v; want only conn_a", ids(got), err)
	}
	got, err := s.ConnectionsByOrg(ctx, orgB)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff([]string{"acme/conn_b", "globex/conn_g", "initech/conn_i"}, ids(got)); d != "" {
		t.Fatalf("ConnectionsByOrg(orgB) after the move mismatch (-want +got):\n%s", d)
	}
	if !got[1].UpdatedAt.Equal(e.clock.Now()) {
		t.Fatalf("ConnectionsByOrg returned a stale record: updated %v, want %v", got[1].UpdatedAt, e.clock.Now())
	}
}
