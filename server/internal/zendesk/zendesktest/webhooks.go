package zendesktest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Webhook is a webhook registered on an account.
type Webhook struct {
	// ID is generated when empty.
	ID string
	// Endpoint is the URL events are POSTed to.
	Endpoint string
	// Secret is the signing secret, used as the HMAC key as-is; generated
	// when empty.
	Secret string
	// Subscriptions are event types such as
	// "zen:event-type:ticket.status_changed", or "conditional_ticket_events"
	// for every ticket event. Empty means every ticket event.
	Subscriptions []string
}

// Delivery is one attempt to deliver an event.
type Delivery struct {
	WebhookID    string
	InvocationID string
	EventID      string
	EventType    string
	TicketID     int64
	// Attempt counts from 1; at most 3 attempts are made.
	Attempt int
	// Status is the receiver's status code, 0 if there was no answer.
	Status int
	Err    string
	At     time.Time
}

// webhookAttempts and webhookBackoff bound the retries of one event.
const (
	webhookAttempts = 3
	webhookBackoff  = 200 * time.Millisecond
)

type webhook struct {
	spec  Webhook
	mu    sync.Mutex
	queue []event
	wake  chan struct{}
}

// event is a rendered event waiting for delivery.
type event struct {
	id, typ  string
	ticketID int64
	body     []byte
}

// SignWebhook computes X-Zendesk-Webhook-Signature:
// base64(HMAC-SHA256(secret, timestamp + body)), no separator.
func SignWebhook(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// AddWebhook registers a webhook and starts delivering ticket events to
// it, asynchronously and in order.
func (a *Account) AddWebhook(w Webhook) Webhook {
	if w.ID == "" {
		w.ID = "01" + randomToken(12)
	}
	if w.Secret == "" {
		w.Secret = base64.StdEncoding.EncodeToString(randomBytes(32))
	}
	w.Subscriptions = append([]string(nil), w.Subscriptions...)
	wh := &webhook{spec: w, wake: make(chan struct{}, 1)}
	a.mu.Lock()
	a.webhooks = append(a.webhooks, wh)
	a.mu.Unlock()
	if a.srv.ctx.Err() == nil { // a closed server delivers nothing
		a.srv.workers.Add(1)
		go a.deliverLoop(wh)
	}
	return w
}

// Deliveries lists every delivery attempt so far, oldest first.
func (a *Account) Deliveries() []Delivery {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Delivery(nil), a.deliveries...)
}

func (wh *webhook) subscribed(typ string) bool {
	if len(wh.spec.Subscriptions) == 0 {
		return true
	}
	for _, s := range wh.spec.Subscriptions {
		if s == typ || s == "conditional_ticket_events" {
			return true
		}
	}
	return false
}

func (wh *webhook) push(ev event) {
	wh.mu.Lock()
	wh.queue = append(wh.queue, ev)
	wh.mu.Unlock()
	select {
	case wh.wake <- struct{}{}:
	default:
	}
}

func (wh *webhook) pop() (event, bool) {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	if len(wh.queue) == 0 {
		return event{}, false
	}
	ev := wh.queue[0]
	wh.queue = wh.queue[1:]
	return ev, true
}

// deliverLoop sends a webhook's events one at a time, so they arrive in
// the order they happened.
func (a *Account) deliverLoop(wh *webhook) {
	defer a.srv.workers.Done()
	for {
		select {
		case <-a.srv.ctx.Done():
			return
		case <-wh.wake:
		}
		for ev, ok := wh.pop(); ok; ev, ok = wh.pop() {
			if !a.deliver(wh, ev) {
				return
			}
		}
	}
}

// deliver makes up to webhookAttempts attempts; false means the server is
// closing.
func (a *Account) deliver(wh *webhook, ev event) bool {
	invocation := strconv.FormatUint(binary.BigEndian.Uint64(randomBytes(8))>>1, 10)
	for attempt := 1; ; attempt++ {
		status, err := a.post(wh, ev, invocation)
		d := Delivery{WebhookID: wh.spec.ID, InvocationID: invocation, EventID: ev.id, EventType: ev.typ,
			TicketID: ev.ticketID, Attempt: attempt, Status: status, At: a.now()}
		if err != nil {
			d.Err = err.Error()
		}
		a.mu.Lock()
		a.deliveries = append(a.deliveries, d)
		a.mu.Unlock()
		ok := err == nil && status >= 200 && status < 300
		a.srv.log.Debug("zendesktest: webhook delivery", "account", a.spec.Subdomain, "webhook", wh.spec.ID,
			"event", ev.typ, "attempt", attempt, "status", status, "ok", ok)
		if ok || attempt == webhookAttempts {
			return true
		}
		t := time.NewTimer(webhookBackoff << (attempt - 1))
		select {
		case <-a.srv.ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// post sends one signed attempt and returns the receiver's status.
func (a *Account) post(wh *webhook, ev event, invocation string) (int, error) {
	req, err := http.NewRequestWithContext(a.srv.ctx, http.MethodPost, wh.spec.Endpoint, bytes.NewReader(ev.body))
	if err != nil {
		return 0, fmt.Errorf("zendesktest: building webhook request: %w", err)
	}
	ts := stamp(a.now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Zendesk Webhook")
	req.Header.Set("X-Zendesk-Account-Id", strconv.FormatInt(a.id, 10))
	req.Header.Set("X-Zendesk-Webhook-Id", wh.spec.ID)
	req.Header.Set("X-Zendesk-Webhook-Invocation-Id", invocation)
	req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
	req.Header.Set("X-Zendesk-Webhook-Signature", SignWebhook(wh.spec.Secret, ts, ev.body))
	resp, err := a.srv.hooks.Do(req)
	if err != nil {
		if a.srv.ctx.Err() != nil {
			return 0, context.Canceled
		}
		return 0, fmt.Errorf("zendesktest: delivering webhook: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}
