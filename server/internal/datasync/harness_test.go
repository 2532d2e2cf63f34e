package datasync

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/boltstore"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// testClock is the one clock of a test world: both emulators and the
// service read it, and the test sets it, so SystemModstamp seconds are
// the test's to choose.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is an emulated org and Zendesk account (bulk user imports on)
// with a Service between them, as the server wires it, over a bbolt store.
type world struct {
	t      *testing.T
	ctx    context.Context
	clock  *testClock
	cloud  *salesforcetest.Cloud
	org    *salesforcetest.Org
	acct   *zendesktest.Account
	store  *store.Store
	svc    *Service
	conn   crossview.Connection
	tenant crossview.Tenant

	mu     sync.Mutex
	onWait func() // runs whenever the Directory waits for a Zendesk job
}

var t0 = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), clock: &testClock{t: t0}}
	cloud, err := salesforcetest.New(salesforcetest.Options{ClientID: "cid", ClientSecret: "csecret", Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cloud.Close() })
	w.cloud = cloud
	if w.org, err = cloud.AddOrg(salesforcetest.OrgSpec{Name: "Acme", DailyAPILimit: 1_000_000}); err != nil {
		t.Fatal(err)
	}
	admin := w.org.AddUser(salesforcetest.User{Username: "admin@acme.example", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true}})
	access, refresh := w.org.IssueTokens(admin.ID)

	zd, err := zendesktest.New(zendesktest.Options{Now: w.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = zd.Close() })
	if w.acct, err = zd.AddAccount(zendesktest.AccountSpec{Subdomain: "acme", BulkUserImports: true}); err != nil {
		t.Fatal(err)
	}
	zdAdmin := w.acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.test", Role: zendesktest.RoleAdmin})

	backend, err := boltstore.Open(filepath.Join(t.TempDir(), "crossview.db"))
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	keys, err := secret.NewKeyring(secret.KeyID(key), map[string][]byte{secret.KeyID(key): key})
	if err != nil {
		t.Fatal(err)
	}
	w.store = store.New(backend, keys, w.clock.Now)
	t.Cleanup(func() { _ = w.store.Close() })
	w.tenant = crossview.Tenant{Subdomain: "acme", APIEmail: zdAdmin.Email, APIToken: w.acct.IssueAPIToken()}
	if err := w.store.PutTenant(w.ctx, w.tenant); err != nil {
		t.Fatal(err)
	}
	w.conn = crossview.NewConnection("acme", crossview.Production, w.org.ID(), w.org.InstanceURL(), w.clock.Now())
	w.conn.Name, w.conn.DataSync = "Acme", crossview.DefaultDataSyncSettings()
	if err := w.store.PutConnection(w.ctx, w.conn); err != nil {
		t.Fatal(err)
	}
	if err := w.store.PutToken(w.ctx, w.conn.ID, crossview.Token{AccessToken: access, RefreshToken: refresh, InstanceURL: w.org.InstanceURL()}); err != nil {
		t.Fatal(err)
	}

	hosts, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts + ",http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	sf := salesforce.NewClient(salesforce.Config{ClientID: "cid", ClientSecret: "csecret", LoginURL: cloud.LoginURL(),
		SandboxLoginURL: cloud.LoginURL(), APIVersion: "66.0", Timeout: 5 * time.Second, InstanceHosts: hosts}, &http.Client{}, w.store, nil, w.clock.Now)
	zc := zendesk.NewClient(zd.URLTemplate(), &http.Client{}, 5*time.Second, quiet{}, w.clock.Now)
	w.svc = New(Options{
		Store: w.store, Records: backend, Leases: queue.NewLocalLeases(w.clock.Now), Log: backend.Log(),
		Source: salesforce.NewDataSource(sf, salesforce.DataSourceOptions{}),
		Sink:   zendesk.NewDirectory(zc, zendesk.DirectoryOptions{PollMin: 2 * time.Millisecond, PollMax: 10 * time.Millisecond, Sleep: w.jobWait}),
		Classify: func(err error) ticketsync.Failure {
			var fe *salesforce.FilterError
			if errors.As(err, &fe) {
				return ticketsync.Failure{Kind: ticketsync.Permanent, Message: fe.Error()}
			}
			return ticketsync.Failure{Kind: ticketsync.Transient, Message: err.Error()}
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.clock.Now, Worker: "test",
	})
	return w
}

// jobWait is the Directory's wait between looks at a job.
func (w *world) jobWait(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	hook := w.onWait
	w.mu.Unlock()
	if hook != nil {
		hook()
	}
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// quiet is a zendesk.Observer that keeps nothing.
type quiet struct{}

func (quiet) UpstreamCall(string, string, string, time.Duration) {}
func (quiet) RateLimitRemaining(string, string, int)             {}

// insert adds a record to the org at the clock's time.
func (w *world) insert(object string, fields map[string]any) string {
	w.t.Helper()
	id, err := w.org.Insert(object, fields)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

// update changes a record in the org at the clock's time.
func (w *world) update(object, id string, fields map[string]any) {
	w.t.Helper()
	if err := w.org.Update(object, id, fields); err != nil {
		w.t.Fatal(err)
	}
}

// enable turns a feature on through the service, as the admin pages do.
func (w *world) enable(f crossview.Feature) {
	w.t.Helper()
	c, err := w.svc.Enable(w.ctx, w.current(), f)
	if err != nil {
		w.t.Fatalf("enabling %s: %v", f, err)
	}
	w.conn = c
}

func (w *world) current() crossview.Connection {
	w.t.Helper()
	c, err := w.store.Connection(w.ctx, w.conn.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// poll runs one poll of the connection, as the poller would.
func (w *world) poll() {
	w.t.Helper()
	if err := w.tryPoll(); err != "" {
		w.t.Fatalf("poll failed: %s", err)
	}
}

// tryPoll runs one poll and returns its error, if any.
func (w *world) tryPoll() string {
	w.svc.cycle(w.ctx, w.current(), func() bool { return true })
	w.svc.mu.Lock()
	defer w.svc.mu.Unlock()
	return w.svc.polls[w.conn.ID].err
}

// user finds the Zendesk user with an external id.
func (w *world) user(externalID string) (zendesktest.User, bool) {
	for _, u := range w.acct.Users() {
		if u.ExternalID == externalID {
			return u, true
		}
	}
	return zendesktest.User{}, false
}

func (w *world) objectState(object string) objectState {
	w.t.Helper()
	st, err := w.svc.state(w.ctx, w.current(), object)
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

// users lists the Zendesk users Salesforce records became.
func (w *world) users() []zendesktest.User {
	var out []zendesktest.User
	for _, u := range w.acct.Users() {
		if u.ExternalID != "" {
			out = append(out, u)
		}
	}
	return out
}
