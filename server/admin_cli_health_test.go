package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
)

// storedConnection reads a connection straight from the CLI's store.
func (c *cli) storedConnection(t *testing.T, id string) crossview.Connection {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return c.env[k] }, config.ModeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	conn, err := a.store.Connection(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

// The CLI refuses a sidebar field the org lacks by name, saving nothing,
// and lists a disconnected connection as Disconnected.
func TestAdminCLISidebarFieldsAndStatus(t *testing.T) {
	c := newCLI(t)
	if out, err := c.run(t, "admin", "account", "add", "--subdomain", "acme", "--app-id", "123", "--api-email", "ops@acme.example", "--api-token", "t"); err != nil {
		t.Fatalf("account add: %v %s", err, out)
	}
	_, refresh := c.org.IssueTokens(c.admin.ID)
	out, err := c.run(t, "admin", "connection", "add", "--subdomain", "acme", "--environment", "production", "--refresh-token", refresh)
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(out)

	_, err = c.run(t, "admin", "connection", "sidebar", "--id", id, "--fields", "Account=Industry,Bogus__c", "--max-cases", "2")
	if err == nil || !strings.Contains(err.Error(), "Account has no field Bogus__c") {
		t.Fatalf("saving Bogus__c from the CLI: %v", err)
	}
	if got := c.storedConnection(t, id).Sidebar; strings.Join(got.Fields["Account"], ",") != "Industry,Type,Phone" || got.MaxCases != 5 {
		t.Fatalf("a refused change was saved: %+v", got)
	}
	if _, err := c.run(t, "admin", "connection", "sidebar", "--id", id, "--fields", "Account=Industry,AnnualRevenue"); err != nil {
		t.Fatalf("saving fields the org has: %v", err)
	}

	if out, _ := c.run(t, "admin", "connection", "list"); !strings.Contains(out, "Connected") {
		t.Errorf("an active connection is not listed as connected:\n%s", out)
	}
	if _, err := c.run(t, "admin", "connection", "disconnect", "--id", id); err != nil {
		t.Fatal(err)
	}
	out, _ = c.run(t, "admin", "connection", "list")
	if !strings.Contains(out, "Disconnected") || strings.Contains(out, "Connected") || strings.Contains(out, "Healthy") {
		t.Errorf("after disconnect:\n%s", out)
	}
	out, _ = c.run(t, "admin", "connection", "list", "--json")
	var rows []connectionJSON
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 || rows[0].Status != "disconnected" || rows[0].Health != "Disconnected" {
		t.Errorf("JSON after disconnect: %v\n%s", err, out)
	}
}
