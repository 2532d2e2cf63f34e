package zendesk_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// Data sync writes to Zendesk through its Sink port.
var _ datasync.Sink = (*zendesk.Directory)(nil)

// dirEmu is an emulated account "acme" with bulk user imports on, seen
// through a Directory whose clock is the emulator's: every wait it asks
// for is recorded and moves the clock on (so a Retry-After passes) while
// really sleeping at most a few milliseconds.
type dirEmu struct {
	acct   *zendesktest.Account
	clock  *testClock
	dir    *zendesk.Directory
	tenant crossview.Tenant
	admin  zendesktest.User

	mu       sync.Mutex
	waits    []time.Duration
	onSleep  func()         // runs at the next wait, once
	outcomes map[string]int // answers by status, as the client observed them
}

func newDirEmu(t *testing.T, spec zendesktest.AccountSpec) *dirEmu {
	t.Helper()
	e := &dirEmu{clock: &testClock{t: emuNow()}}
	srv, err := zendesktest.New(zendesktest.Options{Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	spec.Subdomain = "acme"
	if e.acct, err = srv.AddAccount(spec); err != nil {
		t.Fatal(err)
	}
	e.admin = e.acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.test", Role: zendesktest.RoleAdmin})
	e.outcomes = map[string]int{}
	client := zendesk.NewClient(srv.URLTemplate(), http.DefaultClient, 5*time.Second, e, e.clock.Now)
	e.dir = zendesk.NewDirectory(client, zendesk.DirectoryOptions{PollMin: 5 * time.Millisecond, PollMax: 20 * time.Millisecond, Sleep: e.sleep})
	e.tenant = crossview.Tenant{Subdomain: "acme", APIEmail: e.admin.Email, APIToken: e.acct.IssueAPIToken()}
	return e
}

func bulkSpec() zendesktest.AccountSpec { return zendesktest.AccountSpec{BulkUserImports: true} }

func (e *dirEmu) sleep(ctx context.Context, d time.Duration) error {
	e.mu.Lock()
	e.waits = append(e.waits, d)
	hook := e.onSleep
	e.onSleep = nil
	e.mu.Unlock()
	if hook != nil {
		hook()
	}
	e.clock.Advance(d)
	select {
	case <-time.After(min(d, 10*time.Millisecond)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// UpstreamCall counts the answers by outcome (the client's Observer).
func (e *dirEmu) UpstreamCall(_, _, outcome string, _ time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.outcomes[outcome]++
}

func (e *dirEmu) RateLimitRemaining(string, string, int) {}

// answered is how many answers had this outcome ("200", "429"...).
func (e *dirEmu) answered(outcome string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.outcomes[outcome]
}

// waited returns the waits asked for so far.
func (e *dirEmu) waited() []time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Duration(nil), e.waits...)
}

func (e *dirEmu) calls(endpoint string) int { return e.acct.Stats().ByEndpoint[endpoint] }

// Endpoints the Directory calls, keyed as Stats.ByEndpoint keys them.
const (
	epUsersShowMany   = "GET /api/v2/users/show_many.json"
	epOrgsShowMany    = "GET /api/v2/organizations/show_many.json"
	epUsersList       = "GET /api/v2/users.json"
	epOrgsList        = "GET /api/v2/organizations.json"
	epUsersUpsertMany = "POST /api/v2/users/create_or_update_many.json"
	epUsersCreateMany = "POST /api/v2/users/create_many.json"
	epUsersUpdateMany = "PUT /api/v2/users/update_many.json"
	epOrgsCreateMany  = "POST /api/v2/organizations/create_many.json"
	epOrgsUpdateMany  = "PUT /api/v2/organizations/update_many.json"
	epJobsShowMany    = "GET /api/v2/job_statuses/show_many.json"
	epMembersCreate   = "POST /api/v2/organization_memberships/create_many.json"
	epMembersDestroy  = "DELETE /api/v2/organization_memberships/destroy_many.json"
	epUserMemberships = "GET /api/v2/users/{user_id}/organization_memberships.json"
	epUserIdentities  = "GET /api/v2/users/{id}/identities.json"
	epUserFieldsList  = "GET /api/v2/user_fields.json"
	epOrgFieldsList   = "GET /api/v2/organization_fields.json"
)

// statuses lists the results' statuses, in order.
func statuses(rs []crossview.WriteResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Status
	}
	return out
}

func ptr(s string) *string { return &s }
