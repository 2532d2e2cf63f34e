package zendesktest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSignWebhookVector(t *testing.T) {
	got := SignWebhook("dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==", "2021-03-25T05:09:27Z", []byte(`{"event":"ticket.updated","id":123}`))
	if want := "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM="; got != want {
		t.Errorf("SignWebhook = %s, want %s", got, want)
	}
}

// receiver records webhook requests and answers with the next status in
// its script (200 once the script is used up).
type receiver struct {
	mu     sync.Mutex
	script []int
	got    []received
	// retryAfter, when set, is sent with 429 and 503 answers.
	retryAfter string
}

type received struct {
	header http.Header
	body   []byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, received{r.Header.Clone(), b})
	status := http.StatusOK
	if len(rc.script) > 0 {
		status, rc.script = rc.script[0], rc.script[1:]
	}
	if rc.retryAfter != "" && (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) {
		w.Header().Set("Retry-After", rc.retryAfter)
	}
	rc.mu.Unlock()
	w.WriteHeader(status)
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func startReceiver(t *testing.T, script ...int) (*receiver, string) {
	rc := &receiver{script: script}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

func TestWebhookDelivery(t *testing.T) {
	f := newFixture(t)
	rc, endpoint := startReceiver(t)
	wh := f.acct.AddWebhook(Webhook{Endpoint: endpoint, Secret: "whsec"})
	tk := f.acct.AddTicket(Ticket{Subject: "Printer", RequesterID: f.endUser.ID})
	resp, b := f.send(t, "PUT", "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+".json",
		`{"ticket":{"status":"open","priority":"urgent"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	waitFor(t, "three deliveries", func() bool { return len(rc.requests()) == 3 })

	var types []string
	for _, r := range rc.requests() {
		h := r.header
		if h.Get("Content-Type") != "application/json" || h.Get("X-Zendesk-Webhook-Id") != wh.ID || h.Get("X-Zendesk-Webhook-Invocation-Id") == "" {
			t.Errorf("headers = %v", h)
		}
		ts := h.Get("X-Zendesk-Webhook-Signature-Timestamp")
		if _, err := time.Parse(time.RFC3339, ts); err != nil || ts[len(ts)-1] != 'Z' {
			t.Errorf("timestamp %q is not RFC 3339 UTC", ts)
		}
		if got, want := h.Get("X-Zendesk-Webhook-Signature"), SignWebhook("whsec", ts, r.body); got != want {
			t.Errorf("signature %s, want %s", got, want)
		}
		var ev map[string]any
		if err := json.Unmarshal(r.body, &ev); err != nil {
			t.Fatal(err)
		}
		types = append(types, ev["type"].(string))
		d := ev["detail"].(map[string]any)
		if d["id"] != "1" || d["requester_id"] != strconv.FormatInt(f.endUser.ID, 10) ||
			d["organization_id"] != strconv.FormatInt(f.org.ID, 10) || ev["subject"] != "zen:ticket:1" ||
			ev["account_id"] != float64(f.acct.ID()) || ev["zendesk_event_version"] != "2022-11-06" || ev["id"] == "" {
			t.Errorf("event = %s", r.body)
		}
		if ev["type"] == "zen:event-type:ticket.status_changed" {
			if diff := cmp.Diff(map[string]any{"previous": "NEW", "current": "OPEN"}, ev["event"]); diff != "" {
				t.Errorf("status event (-want +got):\n%s", diff)
			}
			if d["status"] != "OPEN" || d["priority"] != "URGENT" || d["actor_id"] != strconv.FormatInt(f.admin.ID, 10) {
				t.Errorf("detail = %v", d)
			}
		}
	}
	want := []string{"zen:event-type:ticket.created", "zen:event-type:ticket.status_changed", "zen:event-type:ticket.priority_changed"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("event order (-want +got):\n%s", diff)
	}
	// A delivery is recorded once the receiver's answer is back, which can
	// be a moment after the receiver saw the request.
	waitFor(t, "three recorded deliveries", func() bool { return f.acct.Stats().WebhookDeliveries == 3 })
	if st := f.acct.Stats(); st.WebhookDeliveries != 3 {
		t.Errorf("Stats.WebhookDeliveries = %d, want 3", st.WebhookDeliveries)
	}
}

func TestWebhookRetriesAndSubscriptions(t *testing.T) {
	f := newFixture(t)
	rc, endpoint := startReceiver(t, 409, 409)
	f.acct.AddWebhook(Webhook{Endpoint: endpoint, Subscriptions: []string{"zen:event-type:ticket.status_changed"}})
	tk := f.acct.AddTicket(Ticket{Subject: "a", RequesterID: f.endUser.ID}) // not subscribed
	if _, err := f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Status = "pending" }); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "three attempts", func() bool { return len(f.acct.Deliveries()) == 3 })
	var statuses []int
	for i, d := range f.acct.Deliveries() {
		statuses = append(statuses, d.Status)
		if d.Attempt != i+1 || d.EventType != "zen:event-type:ticket.status_changed" || d.TicketID != tk.ID {
			t.Errorf("delivery %d = %+v", i, d)
		}
	}
	if diff := cmp.Diff([]int{409, 409, 200}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	reqs := rc.requests()
	if reqs[0].header.Get("X-Zendesk-Webhook-Invocation-Id") != reqs[2].header.Get("X-Zendesk-Webhook-Invocation-Id") {
		t.Error("retries of one event have different invocation ids")
	}
}

// TestWebhookRetryRules checks Zendesk's documented retry rules: 409 up
// to three retries; 429 and 503 only with a Retry-After under a minute;
// nothing else.
func TestWebhookRetryRules(t *testing.T) {
	for _, tt := range []struct {
		name       string
		script     []int
		retryAfter string
		want       []int
	}{
		{"409 retried three times", []int{409, 409, 409, 409, 409}, "", []int{409, 409, 409, 409}},
		{"500 is final", []int{500}, "", []int{500}},
		{"404 is final", []int{404}, "", []int{404}},
		{"503 without Retry-After is final", []int{503}, "", []int{503}},
		{"503 with a short Retry-After", []int{503}, "0", []int{503, 200}},
		{"429 with a short Retry-After", []int{429, 429}, "1", []int{429, 429, 200}},
		{"429 with a long Retry-After is final", []int{429}, "60", []int{429}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			rc, endpoint := startReceiver(t, tt.script...)
			rc.retryAfter = tt.retryAfter
			f.acct.AddWebhook(Webhook{Endpoint: endpoint})
			f.acct.AddTicket(Ticket{Subject: "b", RequesterID: f.endUser.ID})
			waitFor(t, "the attempts", func() bool { return len(f.acct.Deliveries()) == len(tt.want) })
			time.Sleep(400 * time.Millisecond) // room for a wrong extra attempt
			var got []int
			for _, d := range f.acct.Deliveries() {
				got = append(got, d.Status)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWebhookConnectionErrorIsRecorded(t *testing.T) {
	f := newFixture(t)
	_, endpoint := startReceiver(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	f.acct.AddWebhook(Webhook{Endpoint: closed.URL})
	f.acct.AddWebhook(Webhook{Endpoint: endpoint})
	f.acct.AddTicket(Ticket{Subject: "a", RequesterID: f.endUser.ID})
	// A connection failure is retried five times.
	waitFor(t, "seven attempts", func() bool { return len(f.acct.Deliveries()) == 7 })
	failed := 0
	for _, d := range f.acct.Deliveries() {
		if d.Status == 0 && d.Err != "" {
			failed++
		}
	}
	if failed != 6 {
		t.Errorf("%d attempts recorded as connection errors, want 6: %+v", failed, f.acct.Deliveries())
	}
}
