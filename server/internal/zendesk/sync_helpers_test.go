package zendesk_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The worker calls the Zendesk side through ticketsync's ports.
var (
	_ ticketsync.Source      = (*zendesk.SyncSource)(nil)
	_ ticketsync.Provisioner = (*zendesk.SyncProvisioner)(nil)
)

// testClock is the one clock the emulator and the client read, so the
// exports' "not the last minute" and rate-limit windows can be walked
// through without sleeping.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncEmu is an emulated account "acme" seen through a client whose
// credential belongs to an admin (the exports, webhooks and triggers are
// admin-only).
type syncEmu struct {
	acct   *zendesktest.Account
	clock  *testClock
	client *zendesk.Client
	tenant crossview.Tenant
	source *zendesk.SyncSource
	admin  zendesktest.User
}

func newSyncEmu(t *testing.T, spec zendesktest.AccountSpec) *syncEmu {
	t.Helper()
	clk := &testClock{t: emuNow()}
	srv, err := zendesktest.New(zendesktest.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	spec.Subdomain = "acme"
	acct, err := srv.AddAccount(spec)
	if err != nil {
		t.Fatal(err)
	}
	admin := acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.test", Role: zendesktest.RoleAdmin})
	client := zendesk.NewClient(srv.URLTemplate(), http.DefaultClient, 5*time.Second, nil, clk.Now)
	return &syncEmu{
		acct: acct, clock: clk, client: client, admin: admin,
		tenant: crossview.Tenant{Subdomain: "acme", APIEmail: admin.Email, APIToken: acct.IssueAPIToken()},
		source: zendesk.NewSyncSource(client, time.Minute),
	}
}
