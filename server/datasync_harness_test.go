package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// holdClock is the real clock, or one instant while held: the emulated
// org stamps every change made while it is held with the same
// SystemModstamp second, however much real time passes.
type holdClock struct {
	mu   sync.Mutex
	held time.Time
}

func (c *holdClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held.IsZero() {
		return c.held
	}
	return time.Now()
}

func (c *holdClock) Hold(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held = t
}

func (c *holdClock) Release() { c.Hold(time.Time{}) }

// dataWorld is Crossview serving on loopback, with its pollers running,
// an emulated org ("Acme", generous API allowance) connected to an
// emulated Zendesk account with bulk user imports on and a "title" user
// field; no data sync is on yet.
type dataWorld struct {
	t        *testing.T
	ctx      context.Context
	orgClock *holdClock
	cloud    *salesforcetest.Cloud
	org      *salesforcetest.Org
	sfAdmin  salesforcetest.User
	zd       *zendesktest.Server
	acct     *zendesktest.Account
	admin    zendesktest.User
	app      *app
	url      string
	conn     crossview.Connection
}

const dataSubdomain = "acme"

func newDataWorld(t *testing.T, redisURL string) *dataWorld {
	t.Helper()
	w := &dataWorld{t: t, ctx: context.Background(), orgClock: &holdClock{}}
	var err error
	if w.cloud, err = salesforcetest.New(salesforcetest.Options{ClientID: "cid", ClientSecret: "csecret", Now: w.orgClock.Now}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.cloud.Close() })
	if w.org, err = w.cloud.AddOrg(salesforcetest.OrgSpec{Name: "Acme Corp", DailyAPILimit: 5_000_000}); err != nil {
		t.Fatal(err)
	}
	w.sfAdmin = w.org.AddUser(salesforcetest.User{Username: "admin@acme.sf", FirstName: "Sam", LastName: "Salesforce",
		ProfileName: "System Administrator", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true}})
	_, refresh := w.org.IssueTokens(w.sfAdmin.ID)

	if w.zd, err = zendesktest.New(zendesktest.Options{OAuthClients: map[string]string{"cid": "csecret"}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.zd.Close() })
	if w.acct, err = w.zd.AddAccount(zendesktest.AccountSpec{Subdomain: dataSubdomain, BulkUserImports: true, RateLimit: 1_000_000, HighVolumeAPI: true}); err != nil {
		t.Fatal(err)
	}
	w.admin = w.acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.example", Role: zendesktest.RoleAdmin})
	if _, err := w.acct.AddUserField(zendesktest.ObjectField{Key: "title", Type: "text", Title: "Title"}); err != nil {
		t.Fatal(err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w.url = "http://" + ln.Addr().String()
	cfg := config.Config{
		PublicURL: w.url, DataDir: filepath.Join(t.TempDir(), "data"), RedisURL: redisURL,
		EncryptionKey: []byte("0123456789abcdef0123456789abcdef"),
		ZendeskURL:    w.zd.URLTemplate(), ZendeskClientID: "cid", ZendeskClientSecret: "csecret",
		SalesforceLoginURL: w.cloud.LoginURL(), SalesforceSandboxLoginURL: w.cloud.LoginURL(),
		SalesforceClientID: "cid", SalesforceClientSecret: "csecret", SalesforceAPIVersion: "66.0",
		SalesforceInstanceHosts: "http://127.0.0.1", UpstreamTimeout: 5 * time.Second, DataSyncMinInterval: time.Second,
	}
	if w.app, err = newAppAt(cfg, slog.New(slog.DiscardHandler), time.Now); err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: w.app.handler(nil, nil, "", nil), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		w.app.close()
	})
	tenant := crossview.Tenant{Subdomain: dataSubdomain, APIEmail: w.admin.Email, APIToken: w.acct.IssueAPIToken()}
	if err := w.app.store.PutTenant(w.ctx, tenant); err != nil {
		t.Fatal(err)
	}
	if w.conn, err = w.app.admin.ConnectWithRefreshToken(w.ctx, "test", dataSubdomain, crossview.Production, refresh); err != nil {
		t.Fatal(err)
	}
	w.app.startDataSync()
	return w
}

// insert adds a record to the org.
func (w *dataWorld) insert(object string, fields map[string]any) string {
	w.t.Helper()
	id, err := w.org.Insert(object, fields)
	if err != nil {
		w.t.Fatal(err)
	}
	return id
}

func (w *dataWorld) update(object, id string, fields map[string]any) {
	w.t.Helper()
	if err := w.org.Update(object, id, fields); err != nil {
		w.t.Fatal(err)
	}
}

// configure changes the data-sync settings as an admin would.
func (w *dataWorld) configure(change func(*crossview.DataSyncSettings)) {
	w.t.Helper()
	set := w.current().DataSync
	if len(set.UserMatch) == 0 {
		set = crossview.DefaultDataSyncSettings()
	}
	change(&set)
	if _, err := w.app.admin.UpdateDataSync(w.ctx, dataSubdomain, "ada@acme.example", w.conn.ID, set); err != nil {
		w.t.Fatalf("saving data-sync settings: %v", err)
	}
}

// enable turns a data-sync feature on as an admin would.
func (w *dataWorld) enable(f crossview.Feature) {
	w.t.Helper()
	if _, err := w.app.admin.SetFeature(w.ctx, dataSubdomain, "ada@acme.example", w.conn.ID, f, true); err != nil {
		w.t.Fatalf("turning %s on: %v", f, err)
	}
}

func (w *dataWorld) current() crossview.Connection {
	w.t.Helper()
	c, err := w.app.store.Connection(w.ctx, w.conn.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *dataWorld) status() datasync.Status {
	w.t.Helper()
	st, err := w.app.dataSync.Status(w.ctx, w.current())
	if err != nil {
		w.t.Fatal(err)
	}
	return st
}

// backfilled waits until every object syncing has finished its backfill.
func (w *dataWorld) backfilled(within time.Duration) datasync.Status {
	w.t.Helper()
	var st datasync.Status
	waitUntil(w.t, "the backfill", within, func() (bool, string) {
		st = w.status()
		var parts []string
		done := len(st.Objects) > 0
		for _, o := range st.Objects {
			if o.Backfill == nil || o.Backfill.State != datasync.BackfillDone {
				done = false
			}
			if o.Backfill != nil {
				parts = append(parts, fmt.Sprintf("%s %s %d/%d", o.Object, o.Backfill.State, o.Backfill.Done, o.Backfill.Total))
			}
		}
		return done, strings.Join(parts, ", ") + " " + st.LastError
	})
	return st
}

// users are the account's end users with an external id, by it; a
// Salesforce id that is more than one user fails the test.
func (w *dataWorld) users() map[string]zendesktest.User {
	w.t.Helper()
	out := map[string]zendesktest.User{}
	for _, u := range w.acct.Users() {
		if u.ExternalID == "" {
			continue
		}
		if _, dup := out[u.ExternalID]; dup {
			w.t.Fatalf("Salesforce record %s is more than one Zendesk user", u.ExternalID)
		}
		out[u.ExternalID] = u
	}
	return out
}

// orgs are the account's organizations with an external id, by it.
func (w *dataWorld) orgs() map[string]zendesktest.Organization {
	w.t.Helper()
	out := map[string]zendesktest.Organization{}
	for _, o := range w.acct.Organizations() {
		if o.ExternalID == "" {
			continue
		}
		if _, dup := out[o.ExternalID]; dup {
			w.t.Fatalf("Account %s is more than one Zendesk organization", o.ExternalID)
		}
		out[o.ExternalID] = o
	}
	return out
}

// title is a Zendesk user's title field.
func title(u zendesktest.User) string {
	s, _ := u.UserFields["title"].(string)
	return s
}

// pages signs the account's admin in to the admin pages.
func (w *dataWorld) pages() adminPages {
	w.t.Helper()
	sess, err := admintest.SignIn(w.t, w.app.admin, dataSubdomain, w.admin.Email)
	if err != nil {
		w.t.Fatal(err)
	}
	return adminPages{t: w.t, base: w.url, sess: sess}
}

// details is the connection's data sync as the admin pages read it.
func (w *dataWorld) details() admin.DataSyncDetails {
	w.t.Helper()
	d, err := w.app.admin.DataSync(w.ctx, dataSubdomain, w.conn.ID, time.Time{}, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}
