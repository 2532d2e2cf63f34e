package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// syncWorld is Crossview serving on a loopback port (so the emulated
// Zendesk can deliver webhooks to it) with the sandbox's labs account and
// its production org connected, ticket sync not yet on.
type syncWorld struct {
	t     *testing.T
	clock *shiftClock
	world *sandbox.World
	labs  *sandbox.Labs
	app   *app
	url   string
	conn  crossview.Connection
	// requester is the labs account's customer whose tickets sync.
	requester zendesktest.User
}

// newSyncWorld starts it; redisURL, when set, puts state and queues in
// Redis.
func newSyncWorld(t *testing.T, redisURL string) *syncWorld {
	t.Helper()
	clock := &shiftClock{}
	w, err := sandbox.Start(sandbox.Options{ClientID: "cid", ClientSecret: "csecret", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sw := &syncWorld{t: t, clock: clock, world: w, labs: w.Labs, url: "http://" + ln.Addr().String()}
	cfg := config.Config{
		PublicURL: sw.url, DataDir: filepath.Join(t.TempDir(), "data"), RedisURL: redisURL,
		EncryptionKey: []byte("0123456789abcdef0123456789abcdef"),
		ZendeskURL:    w.Zendesk.URLTemplate(), ZendeskClientID: "cid", ZendeskClientSecret: "csecret",
		SalesforceLoginURL: w.Cloud.LoginURL(), SalesforceSandboxLoginURL: w.Cloud.LoginURL(),
		SalesforceClientID: "cid", SalesforceClientSecret: "csecret", SalesforceAPIVersion: "66.0",
		SalesforceInstanceHosts: "http://127.0.0.1", UpstreamTimeout: 5 * time.Second,
	}
	if sw.app, err = newAppAt(cfg, slog.New(slog.DiscardHandler), clock.Now); err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: sw.app.handler(nil, nil, "", nil), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		sw.app.close()
	})
	ctx := context.Background()
	tenant := w.LabsTenant()
	if err := sw.app.store.PutTenant(ctx, tenant); err != nil {
		t.Fatal(err)
	}
	_, refresh := sw.labs.Production.IssueTokens(sw.labs.OrgAdmin.ID)
	if sw.conn, err = sw.app.admin.ConnectWithRefreshToken(ctx, "test", tenant.Subdomain, crossview.Production, refresh); err != nil {
		t.Fatal(err)
	}
	sw.app.startTicketSync()
	org := sw.labs.Account.AddOrganization(zendesktest.Organization{Name: "Analytical Engines"})
	sw.requester = sw.labs.Account.AddUser(zendesktest.User{Name: "Ada Lovelace", Email: "ada@engines.example",
		Role: zendesktest.RoleEndUser, OrganizationID: org.ID})
	return sw
}

// ticket adds a ticket to the labs account, last changed age ago.
func (sw *syncWorld) ticket(subject, status string, age time.Duration) zendesktest.Ticket {
	now := time.Now().UTC()
	return sw.labs.Account.AddTicket(zendesktest.Ticket{
		Subject: subject, Description: subject + ", described.", Status: status, Priority: "normal", Type: "question",
		RequesterID: sw.requester.ID, SubmitterID: sw.requester.ID, AssigneeID: sw.labs.Admin.ID,
		CreatedAt: now.Add(-age - time.Hour), UpdatedAt: now.Add(-age),
	})
}

// comment adds a comment to a ticket, as its requester (public) or as the
// admin (an internal note when not public).
func (sw *syncWorld) comment(ticketID int64, body string, public bool) {
	sw.t.Helper()
	c := zendesktest.Comment{Body: body, Public: public}
	if !public {
		c.AuthorID = sw.labs.Admin.ID
	}
	if _, err := sw.labs.Account.AddComment(ticketID, c); err != nil {
		sw.t.Fatal(err)
	}
}

// enable turns ticket sync on as an admin would.
func (sw *syncWorld) enable() {
	sw.t.Helper()
	c, err := sw.app.admin.SetFeature(context.Background(), sw.conn.Tenant, "ada@northwind-labs.example", sw.conn.ID, crossview.FeatureTicketSync, true)
	if err != nil {
		sw.t.Fatalf("turning ticket sync on: %v", err)
	}
	sw.conn = c
}

// current reads the connection as stored now.
func (sw *syncWorld) current() crossview.Connection {
	sw.t.Helper()
	c, err := sw.app.store.Connection(context.Background(), sw.conn.ID)
	if err != nil {
		sw.t.Fatal(err)
	}
	return c
}

// syncedCase is a Case as Salesforce holds it, with its comments.
type syncedCase struct {
	ID, Subject, Status string
	Closed              bool
	Marker              string
	Comments            []string
}

// cases reads every Case with a labs ticket key through the REST API, by
// key; it fails the test if a key has more than one Case.
func (sw *syncWorld) cases() map[string]syncedCase {
	sw.t.Helper()
	rows := sw.query("SELECT Id, Subject, Status, IsClosed, Zendesk_Ticket_Key__c, Zendesk_Last_Comment_Id__c FROM Case WHERE Zendesk_Ticket_Key__c LIKE " +
		salesforce.Quote(sandbox.LabsSubdomain+":%"))
	out := map[string]syncedCase{}
	byID := map[string]string{}
	for _, r := range rows {
		key, _ := r["Zendesk_Ticket_Key__c"].(string)
		if _, dup := out[key]; dup {
			sw.t.Fatalf("ticket %s is more than one Case", key)
		}
		c := syncedCase{ID: r["Id"].(string)}
		c.Subject, _ = r["Subject"].(string)
		c.Status, _ = r["Status"].(string)
		c.Closed, _ = r["IsClosed"].(bool)
		c.Marker, _ = r["Zendesk_Last_Comment_Id__c"].(string)
		out[key] = c
		byID[c.ID] = key
	}
	if len(out) == 0 {
		return out
	}
	for _, r := range sw.query("SELECT ParentId, CommentBody FROM CaseComment ORDER BY CreatedDate, Id") {
		key, ok := byID[r["ParentId"].(string)]
		if !ok {
			continue
		}
		c := out[key]
		c.Comments = append(c.Comments, commentText(r["CommentBody"].(string)))
		out[key] = c
	}
	return out
}

func (sw *syncWorld) query(soql string) []map[string]any {
	sw.t.Helper()
	recs, err := sw.app.sf.QueryAll(context.Background(), sw.current(), soql, 0)
	if err != nil {
		sw.t.Fatalf("%s: %v", soql, err)
	}
	out := make([]map[string]any, len(recs))
	for i, raw := range recs {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			sw.t.Fatal(err)
		}
	}
	return out
}

// key is a labs ticket's Case key.
func key(id int64) string { return fmt.Sprintf("%s:%d", sandbox.LabsSubdomain, id) }

// waitFor polls cond until it holds or the time is up, then fails with
// what it last saw.
func (sw *syncWorld) waitFor(what string, within time.Duration, cond func() (bool, string)) {
	sw.t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			sw.t.Fatalf("%s: not within %s; last: %s", what, within, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// caseShows waits until ticket id's Case has the subject and exactly the
// comments listed (in order).
func (sw *syncWorld) caseShows(id int64, subject string, comments []string, within time.Duration) syncedCase {
	sw.t.Helper()
	var got syncedCase
	sw.waitFor(fmt.Sprintf("ticket %d as a Case", id), within, func() (bool, string) {
		got = sw.cases()[key(id)]
		return got.Subject == subject && strings.Join(got.Comments, "|") == strings.Join(comments, "|"), fmt.Sprintf("%+v", got)
	})
	return got
}

// syncTriggers lists the labs account's ticket-sync triggers.
func (sw *syncWorld) syncTriggers() []zendesktest.Trigger {
	var out []zendesktest.Trigger
	for _, tr := range sw.labs.Account.Triggers() {
		if strings.HasPrefix(tr.Title, "(Crossview) Sync tickets") {
			out = append(out, tr)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// syncWebhooks lists the labs account's webhooks that deliver to
// Crossview's ticket-sync endpoint.
func (sw *syncWorld) syncWebhooks() []zendesktest.Webhook {
	var out []zendesktest.Webhook
	for _, wh := range sw.labs.Account.Webhooks() {
		if strings.Contains(wh.Endpoint, "?connection=") {
			out = append(out, wh)
		}
	}
	return out
}

// commentText is a CaseComment's text without the heading ticket sync
// gives it (author, time and the Zendesk comment id).
func commentText(body string) string {
	if head, text, ok := strings.Cut(body, "\n"); ok && strings.Contains(head, "(Zendesk comment ") {
		return text
	}
	return body
}

// shiftClock is the real clock moved on by Advance: shared by Crossview
// and both emulators, it skips waits (Zendesk's export holding back its
// most recent minute) without changing how anything else behaves.
type shiftClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *shiftClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *shiftClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// zendeskAPI calls the labs account's Zendesk API as its admin, as an
// admin would in Admin Center.
func (sw *syncWorld) zendeskAPI(method, path string, body any) int {
	sw.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, sw.labs.Account.BaseURL()+path, rd)
	req.Header.Set("Content-Type", "application/json")
	ten := sw.world.LabsTenant()
	req.SetBasicAuth(ten.APIEmail+"/token", ten.APIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		sw.t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// finishBackfill lets the enabling backfill end: it waits out Zendesk's
// most recent minute, which the clock skips.
func (sw *syncWorld) finishBackfill() {
	sw.t.Helper()
	sw.clock.Advance(70 * time.Second)
	sw.waitFor("the backfill to finish", 20*time.Second, func() (bool, string) {
		p, ok, err := sw.app.ticketSync.BackfillProgress(context.Background(), sw.current())
		return err == nil && ok && p.State == ticketsync.BackfillDone, fmt.Sprintf("%+v %v", p, err)
	})
}

// status is the connection's ticket-sync status as the admin pages show it.
func (sw *syncWorld) status() ticketsync.Status {
	sw.t.Helper()
	st, err := sw.app.ticketSync.Status(context.Background(), sw.current())
	if err != nil {
		sw.t.Fatal(err)
	}
	return st
}

// zendeskTicket is a new ticket of the labs requester with a priority.
func zendeskTicket(sw *syncWorld, subject, priority string) zendesktest.Ticket {
	return zendesktest.Ticket{Subject: subject, Description: subject + ", described.", Status: "open", Priority: priority,
		RequesterID: sw.requester.ID, SubmitterID: sw.requester.ID}
}
