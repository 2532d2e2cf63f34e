package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// cli runs crossview commands in-process against one data directory and
// an emulated Salesforce.
type cli struct {
	env   map[string]string
	cloud *salesforcetest.Cloud
	org   *salesforcetest.Org
	admin salesforcetest.User
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	cloud, err := salesforcetest.New(salesforcetest.Options{ClientID: "cid", ClientSecret: "csecret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cloud.Close() })
	org, err := cloud.AddOrg(salesforcetest.OrgSpec{Name: "Globex Sales"})
	if err != nil {
		t.Fatal(err)
	}
	admin := org.AddUser(salesforcetest.User{Username: "admin@globex.example", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true}})
	return &cli{cloud: cloud, org: org, admin: admin, env: map[string]string{
		"CROSSVIEW_DATA_DIR":                     t.TempDir(),
		"CROSSVIEW_ENCRYPTION_KEY":               "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"CROSSVIEW_SALESFORCE_LOGIN_URL":         cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL": cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_CLIENT_ID":         "cid",
		"CROSSVIEW_SALESFORCE_CLIENT_SECRET":     "csecret",
	}}
}

func (c *cli) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return c.env[k] }, &out, io.Discard)
	return out.String(), err
}

func TestAdminCLI(t *testing.T) {
	c := newCLI(t)
	if out, err := c.run(t, "admin", "account", "add", "--subdomain", "acme", "--app-id", "123", "--api-email", "ops@acme.example", "--api-token", "zd-secret-token"); err != nil {
		t.Fatalf("account add: %v %s", err, out)
	}
	out, err := c.run(t, "admin", "account", "list")
	if err != nil || !strings.Contains(out, "acme") || strings.Contains(out, "zd-secret-token") {
		t.Fatalf("account list: %v\n%s", err, out)
	}

	_, refresh := c.org.IssueTokens(c.admin.ID)
	out, err = c.run(t, "admin", "connection", "add", "--subdomain", "acme", "--environment", "production", "--refresh-token", refresh, "--name", "Globex prod")
	if err != nil {
		t.Fatalf("connection add: %v", err)
	}
	id := strings.TrimSpace(out)
	if !strings.HasPrefix(id, "conn_") || strings.Contains(id, "\n") {
		t.Fatalf("connection add printed %q, want only the new id", out)
	}

	out, err = c.run(t, "admin", "connection", "list", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"org_name": "Globex Sales"`) {
		t.Errorf("the org's name was not read at connect:\n%s", out)
	}
	var conns []connectionJSON
	if err := json.Unmarshal([]byte(out), &conns); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if len(conns) != 1 || conns[0].ID != id || conns[0].OrgID != c.org.ID() || conns[0].Name != "Globex prod" || conns[0].Status != "active" {
		t.Fatalf("connections = %+v", conns)
	}
	for f, on := range conns[0].Features {
		if on {
			t.Errorf("new connection has %s on; every feature starts off", f)
		}
	}
	if strings.Contains(out, refresh) {
		t.Fatal("the refresh token appears in the listing")
	}

	if _, err := c.run(t, "admin", "connection", "enable", "--id", id, "--feature", "sidebar"); err != nil {
		t.Fatal(err)
	}
	out, _ = c.run(t, "admin", "connection", "list", "--subdomain", "acme")
	if !strings.Contains(out, "sidebar") {
		t.Fatalf("sidebar not shown as on:\n%s", out)
	}
	if _, err := c.run(t, "admin", "connection", "sidebar", "--id", id, "--order", "3", "--fields", "Contact=Title,Phone", "--fields", "Opportunity=StageName", "--max-cases", "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.run(t, "admin", "connection", "sidebar", "--id", id, "--fields", "Contact=Name'); DROP"); err == nil {
		t.Fatal("a field name that is not an identifier was accepted")
	}
	if _, err := c.run(t, "admin", "connection", "ticketview", "--id", id, "--account-match", "name", "--contact-emails", "false"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.run(t, "admin", "connection", "ticketview", "--id", id, "--account-match", "domain"); err == nil {
		t.Fatal("an unknown account match was accepted")
	}
	if _, err := c.run(t, "admin", "connection", "rename", "--id", id, "--name", "Globex (primary)"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.run(t, "admin", "connection", "disconnect", "--id", id); err != nil {
		t.Fatal(err)
	}
	if n := c.org.Stats().Revocations; n != 1 {
		t.Fatalf("disconnect revoked %d tokens at Salesforce, want 1", n)
	}
	out, _ = c.run(t, "admin", "connection", "list", "--json")
	_ = json.Unmarshal([]byte(out), &conns)
	if conns[0].Status != "disconnected" || conns[0].Features["sidebar"] || conns[0].Name != "Globex (primary)" {
		t.Fatalf("after disconnect: %+v", conns[0])
	}
}

func TestAdminCLIMistakes(t *testing.T) {
	c := newCLI(t)
	cases := [][]string{
		{"admin", "account", "add", "--subdomain", "acme"},
		{"admin", "connection", "add", "--subdomain", "acme", "--environment", "staging", "--refresh-token", "x"},
		{"admin", "connection", "enable", "--id", "conn_x", "--feature", "teleport"},
		{"admin", "nonsense", "verb"},
	}
	for _, args := range cases {
		if _, err := c.run(t, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
	_, err := c.run(t, "admin", "account", "add", "--subdomain", "acme")
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--app-id") {
		t.Errorf("missing flags error = %v", err)
	}
	c.env["CROSSVIEW_ENCRYPTION_KEY"] = ""
	if _, err := c.run(t, "admin", "account", "list"); err == nil || !strings.Contains(err.Error(), "CROSSVIEW_ENCRYPTION_KEY") {
		t.Errorf("admin without a key: %v", err)
	}
}

func TestServeRefusesIncompleteConfig(t *testing.T) {
	err := run(context.Background(), []string{"serve"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "CROSSVIEW_ENCRYPTION_KEY") || !strings.Contains(err.Error(), "CROSSVIEW_SALESFORCE_CLIENT_ID") {
		t.Fatalf("serve with no configuration: %v", err)
	}
}
