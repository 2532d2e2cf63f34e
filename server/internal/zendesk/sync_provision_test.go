package zendesk_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// delivery is one request the receiver got.
type delivery struct {
	timestamp, signature string
	connection           string
	body                 []byte
}

// receiver is Crossview's webhook endpoint as far as Zendesk can tell.
type receiver struct {
	srv *httptest.Server
	got chan delivery
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{got: make(chan delivery, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.got <- delivery{
			timestamp: req.Header.Get("X-Zendesk-Webhook-Signature-Timestamp"), signature: req.Header.Get("X-Zendesk-Webhook-Signature"),
			connection: req.URL.Query().Get("connection"), body: body,
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// endpoint is the address Crossview gives the webhook for a connection.
func (r *receiver) endpoint(connID string) string {
	return r.srv.URL + "/zendesk/webhook/acme?connection=" + connID
}

// next waits for the next delivery.
func (r *receiver) next(t *testing.T) delivery {
	t.Helper()
	select {
	case d := <-r.got:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivery arrived")
	}
	return delivery{}
}

// expectSigned waits for the next delivery, checks it is signed with
// secret, and that it names the ticket and connection.
func (r *receiver) expectSigned(t *testing.T, e *syncEmu, secret, connID string, ticketID int64) {
	t.Helper()
	d := r.next(t)
	if err := auth.NewWebhookVerifier(5*time.Minute, e.clock.Now).Verify(secret, d.timestamp, d.signature, d.body); err != nil {
		t.Fatalf("delivery for ticket %d does not verify: %v", ticketID, err)
	}
	tk, _ := e.acct.Ticket(ticketID)
	want := map[string]string{
		"type": "ticket_sync", "ticket_id": strconv.FormatInt(ticketID, 10),
		"updated_at": tk.UpdatedAt.UTC().Format(time.RFC3339), "connection": connID,
	}
	var got map[string]string
	if err := json.Unmarshal(d.body, &got); err != nil {
		t.Fatalf("delivery body %s: %v", d.body, err)
	}
	if diff := cmp.Diff(want, got); diff != "" || d.connection != connID {
		t.Fatalf("delivery (to connection %q) mismatch (-want +got):\n%s", d.connection, diff)
	}
}

// api calls the emulated account as its admin would in Admin Center.
func (e *syncEmu) api(t *testing.T, method, path string, body any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.acct.BaseURL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(e.tenant.APIEmail+"/token:"+e.tenant.APIToken)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
}

// syncConn is a connection with ticket sync limited to unsolved tickets.
func syncConn(id, name string) crossview.Connection {
	s := crossview.DefaultTicketSyncSettings()
	s.Conditions = []crossview.TriggerCondition{{Field: "status", Operator: "less_than", Value: "solved"}}
	return crossview.Connection{ID: id, Name: name, Tenant: "acme", TicketSync: s}
}

func TestProvisionDeliversSignedWebhooksForMatchingTickets(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	c := seedCatalog(e)
	rcv := newReceiver(t)
	conn := syncConn("conn_1", "Production")
	prov := zendesk.NewSyncProvisioner(e.client)

	hook, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	whs, trs := e.acct.Webhooks(), e.acct.Triggers()
	if len(whs) != 1 || len(trs) != 1 {
		t.Fatalf("provisioning made %d webhooks and %d triggers, want one of each", len(whs), len(trs))
	}
	wh, tr := whs[0], trs[0]
	if wh.ID != hook.WebhookID || wh.Secret != hook.Secret || wh.Name != zendesk.SyncHookTitle || wh.Status != "active" ||
		wh.Endpoint != rcv.endpoint(conn.ID) || wh.HTTPMethod != "POST" || wh.RequestFormat != "json" ||
		!cmp.Equal(wh.Subscriptions, []string{"conditional_ticket_events"}) {
		t.Fatalf("webhook = %+v, hook = %+v", wh, hook)
	}
	wantConds := zendesktest.Conditions{
		All: []zendesktest.Condition{{Field: "status", Operator: "less_than", Value: "solved"}},
		Any: []zendesktest.Condition{{Field: "update_type", Operator: "is", Value: "Create"}, {Field: "update_type", Operator: "is", Value: "Change"}},
	}
	if tr.ID != hook.TriggerID || tr.Title != zendesk.SyncHookTitle || !tr.Active || !cmp.Equal(tr.Conditions, wantConds) {
		t.Fatalf("trigger = %+v, hook = %+v", tr, hook)
	}

	// A new ticket and an update both notify; a solved ticket is outside
	// the admin's filter, so the next delivery is the later update's.
	created := e.acct.AddTicket(c.ticket("New one"))
	rcv.expectSigned(t, e, hook.Secret, conn.ID, created.ID)
	e.clock.Advance(time.Minute)
	if _, err := e.acct.UpdateTicket(created.ID, func(t *zendesktest.Ticket) { t.Priority = "urgent" }); err != nil {
		t.Fatal(err)
	}
	rcv.expectSigned(t, e, hook.Secret, conn.ID, created.ID)
	other := e.acct.AddTicket(c.ticket("Other"))
	rcv.expectSigned(t, e, hook.Secret, conn.ID, other.ID)
	if _, err := e.acct.UpdateTicket(other.ID, func(t *zendesktest.Ticket) { t.Status = "solved" }); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if _, err := e.acct.UpdateTicket(created.ID, func(t *zendesktest.Ticket) { t.Status = "pending" }); err != nil {
		t.Fatal(err)
	}
	rcv.expectSigned(t, e, hook.Secret, conn.ID, created.ID)

	problems, err := prov.Inspect(ctx, e.tenant, conn, hook, rcv.endpoint(conn.ID))
	if err != nil || len(problems) != 0 {
		t.Fatalf("Inspect right after Provision = %+v, %v; want nothing wrong", problems, err)
	}
}

func TestProvisionGivesASecondConnectionItsOwnTitle(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	rcv := newReceiver(t)
	prov := zendesk.NewSyncProvisioner(e.client)
	prod, sandbox := syncConn("conn_1", "Production"), syncConn("conn_2", "Full sandbox")
	hooks := map[string]crossview.SyncHook{}
	for _, conn := range []crossview.Connection{prod, sandbox} {
		h, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
		if err != nil {
			t.Fatal(err)
		}
		hooks[conn.ID] = h
	}
	var titles []string
	for _, tr := range e.acct.Triggers() {
		titles = append(titles, tr.Title)
	}
	if want := []string{zendesk.SyncHookTitle, zendesk.SyncHookTitle + " — Full sandbox"}; !cmp.Equal(titles, want) {
		t.Fatalf("trigger titles = %q, want %q", titles, want)
	}
	for _, conn := range []crossview.Connection{prod, sandbox} {
		if ps, err := prov.Inspect(ctx, e.tenant, conn, hooks[conn.ID], rcv.endpoint(conn.ID)); err != nil || len(ps) != 0 {
			t.Fatalf("%s: Inspect = %+v, %v", conn.Name, ps, err)
		}
	}
}

func TestProvisionLeavesNothingWhenTheTriggerIsRefused(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	rcv := newReceiver(t)
	conn := syncConn("conn_1", "Production")
	conn.TicketSync.Conditions = []crossview.TriggerCondition{{Field: "favourite_colour", Operator: "is", Value: "teal"}}
	_, err := zendesk.NewSyncProvisioner(e.client).Provision(context.Background(), e.tenant, conn, rcv.endpoint(conn.ID))
	if crossview.ErrorCode(err) != crossview.EINVALID {
		t.Fatalf("err = %v, want Zendesk's refusal as invalid input", err)
	}
	if whs, trs := e.acct.Webhooks(), e.acct.Triggers(); len(whs) != 0 || len(trs) != 0 {
		t.Fatalf("a refused trigger left %d webhooks and %d triggers behind", len(whs), len(trs))
	}
}

func TestProvisionTakesOverWhatAnInterruptedOneMade(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	rcv := newReceiver(t)
	conn := syncConn("conn_1", "Production")
	prov := zendesk.NewSyncProvisioner(e.client)
	first, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	// The caller crashed before storing first; turning sync on again must
	// not make a second pair that would deliver every change twice.
	again, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	if again != first || len(e.acct.Webhooks()) != 1 || len(e.acct.Triggers()) != 1 {
		t.Fatalf("second Provision = %+v (first %+v), %d webhooks, %d triggers", again, first, len(e.acct.Webhooks()), len(e.acct.Triggers()))
	}

	// A webhook left without its trigger is taken over too.
	e.api(t, http.MethodDelete, "/api/v2/triggers/"+strconv.FormatInt(first.TriggerID, 10)+".json", nil)
	third, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	if third.WebhookID != first.WebhookID || len(e.acct.Webhooks()) != 1 || len(e.acct.Triggers()) != 1 {
		t.Fatalf("Provision after a lost trigger = %+v, %d webhooks, %d triggers", third, len(e.acct.Webhooks()), len(e.acct.Triggers()))
	}
}

func TestRemoveDeletesBothAndToleratesTheirAbsence(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	rcv := newReceiver(t)
	conn := syncConn("conn_1", "Production")
	prov := zendesk.NewSyncProvisioner(e.client)
	hook, err := prov.Provision(ctx, e.tenant, conn, rcv.endpoint(conn.ID))
	if err != nil {
		t.Fatal(err)
	}
	if err := prov.Remove(ctx, e.tenant, hook); err != nil {
		t.Fatal(err)
	}
	if whs, trs := e.acct.Webhooks(), e.acct.Triggers(); len(whs) != 0 || len(trs) != 0 {
		t.Fatalf("Remove left %d webhooks and %d triggers", len(whs), len(trs))
	}
	if err := prov.Remove(ctx, e.tenant, hook); err != nil {
		t.Fatalf("removing again: %v", err)
	}
}

func TestProvisionNeedsAnAdmin(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	agent := e.acct.AddUser(zendesktest.User{Name: "Agent Smith", Email: "agent@acme.test", Role: zendesktest.RoleAgent})
	tenant := crossview.Tenant{Subdomain: "acme", APIEmail: agent.Email, APIToken: e.acct.IssueAPIToken()}
	_, err := zendesk.NewSyncProvisioner(e.client).Provision(context.Background(), tenant, syncConn("conn_1", "P"), "https://crossview.example/zendesk/webhook/acme?connection=conn_1")
	if !zendesk.IsForbidden(err) || !bytes.Contains([]byte(crossview.ErrorMessage(err)), []byte("admin")) {
		t.Fatalf("err = %v (message %q), want forbidden, naming the need for an admin", err, crossview.ErrorMessage(err))
	}
}
