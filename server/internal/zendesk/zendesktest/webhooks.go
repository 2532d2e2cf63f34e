package zendesktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"
	"sync"
	"time"
)

// Webhook is a webhook registered on an account.
type Webhook struct {
	// ID is generated when empty (a ULID, as Zendesk's are).
	ID   string
	Name string
	// Endpoint is the URL requests go to.
	Endpoint string
	// Secret is the signing secret, used as the HMAC key as-is; generated
	// when empty.
	Secret string
	// Status is "active" or "inactive"; "" means active. Inactive webhooks
	// send nothing.
	Status string
	// HTTPMethod is GET, POST, PUT, PATCH or DELETE; "" means POST.
	HTTPMethod string
	// RequestFormat is json, xml or form_encoded; "" means json.
	RequestFormat string
	// Subscriptions are event types such as
	// "zen:event-type:ticket.status_changed", or
	// "conditional_ticket_events" for a webhook that triggers and
	// automations invoke. Through AddWebhook (not the API), empty means
	// every ticket event, for tests that want them all.
	Subscriptions []string
	// Authentication is added to every request; nil means none.
	Authentication *WebhookAuth
	Description    string
	// CreatedBy and UpdatedBy are user ids; 0 is the system.
	CreatedBy, UpdatedBy int64
	CreatedAt, UpdatedAt time.Time
}

// WebhookAuth is a webhook's authentication: type basic_auth (Data
// username, password), bearer_token (token) or api_key (name, value),
// always added as a header.
type WebhookAuth struct {
	Type        string
	AddPosition string
	Data        map[string]string
}

// conditionalTicketEvents is the subscription of webhooks that triggers
// and automations invoke.
const conditionalTicketEvents = "conditional_ticket_events"

// Delivery is one attempt to deliver an invocation, or a record that the
// fault knobs dropped it.
type Delivery struct {
	WebhookID    string
	InvocationID string
	// EventID and EventType are set for event subscriptions; TriggerID for
	// invocations by a trigger.
	EventID   string
	EventType string
	TriggerID int64
	TicketID  int64
	// Attempt counts from 1.
	Attempt int
	// Status is the receiver's status code, 0 if there was no answer.
	Status int
	Err    string
	// Body is what was sent.
	Body []byte
	// Dropped says the invocation was never sent (DeliveryFaults);
	// Duplicate that this is an extra copy of an invocation.
	Dropped, Duplicate bool
	At                 time.Time
}

type webhook struct {
	id string // == spec.ID, which never changes
	// allEvents marks a Go-registered webhook with no subscriptions.
	allEvents bool
	wake      chan struct{}
	done      chan struct{} // closed when the webhook is deleted

	mu    sync.Mutex // guards spec and queue
	spec  Webhook
	queue []invocation
}

// invocation is one request waiting for delivery.
type invocation struct {
	eventID, eventType string
	triggerID          int64
	ticketID           int64
	body               []byte
	duplicate          bool
}

// SignWebhook computes X-Zendesk-Webhook-Signature:
// base64(HMAC-SHA256(secret, timestamp + body)), no separator.
func SignWebhook(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// AddWebhook registers a webhook, as an admin would in Admin Center, and
// starts delivering to it. Empty fields get defaults (see Webhook).
func (a *Account) AddWebhook(w Webhook) Webhook {
	if w.Name == "" {
		w.Name = "Webhook"
	}
	if w.Status == "" {
		w.Status = "active"
	}
	if w.HTTPMethod == "" {
		w.HTTPMethod = "POST"
	}
	if w.RequestFormat == "" {
		w.RequestFormat = "json"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	wh := a.startWebhook(w, len(w.Subscriptions) == 0)
	return wh.snapshot()
}

// startWebhook stores a webhook and starts its delivery worker. Callers
// hold a.mu.
func (a *Account) startWebhook(w Webhook, allEvents bool) *webhook {
	if w.ID == "" {
		w.ID = newULID(a.now(), uint64(a.eventID()))
	}
	if w.Secret == "" {
		w.Secret = newSigningSecret()
	}
	now := a.now().Truncate(time.Second)
	if w.CreatedAt.IsZero() {
		w.CreatedAt = now
	}
	if w.UpdatedAt.IsZero() {
		w.UpdatedAt = w.CreatedAt
	}
	w.Subscriptions = slices.Clone(w.Subscriptions)
	w.Authentication = w.Authentication.clone()
	wh := &webhook{id: w.ID, spec: w, allEvents: allEvents, wake: make(chan struct{}, 1), done: make(chan struct{})}
	a.webhooks = append(a.webhooks, wh)
	if a.srv.ctx.Err() == nil { // a closed server delivers nothing
		a.srv.workers.Add(1)
		go a.deliverLoop(wh)
	}
	return wh
}

// Webhooks lists the account's webhooks, oldest first, secrets included.
func (a *Account) Webhooks() []Webhook {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Webhook, 0, len(a.webhooks))
	for _, wh := range a.webhooks {
		out = append(out, wh.snapshot())
	}
	return out
}

// Deliveries lists every delivery attempt so far, oldest first.
func (a *Account) Deliveries() []Delivery {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Delivery, len(a.deliveries))
	for i, d := range a.deliveries {
		d.Body = slices.Clone(d.Body)
		out[i] = d
	}
	return out
}

// webhookByID finds a webhook. Callers hold a.mu.
func (a *Account) webhookByID(id string) *webhook {
	for _, wh := range a.webhooks {
		if wh.id == id {
			return wh
		}
	}
	return nil
}

// deleteWebhook removes a webhook and stops its worker; queued requests
// are not sent. Callers hold a.mu.
func (a *Account) deleteWebhook(wh *webhook) {
	a.webhooks = slices.DeleteFunc(a.webhooks, func(w *webhook) bool { return w == wh })
	close(wh.done)
}

func (wh *webhook) snapshot() Webhook {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	w := wh.spec
	w.Subscriptions = slices.Clone(w.Subscriptions)
	w.Authentication = w.Authentication.clone()
	return w
}

// subscribed says whether an event of this type goes to the webhook.
func (wh *webhook) subscribed(typ string) bool {
	if wh.allEvents {
		return true
	}
	wh.mu.Lock()
	defer wh.mu.Unlock()
	return slices.Contains(wh.spec.Subscriptions, typ)
}

// conditional says whether triggers may invoke the webhook: not when it
// is subscribed to events.
func (wh *webhook) conditional() bool {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	for _, s := range wh.spec.Subscriptions {
		if strings.HasPrefix(s, "zen:event-type:") {
			return false
		}
	}
	return true
}

func (wh *webhook) push(inv invocation) {
	wh.mu.Lock()
	wh.queue = append(wh.queue, inv)
	wh.mu.Unlock()
	select {
	case wh.wake <- struct{}{}:
	default:
	}
}

// popAll takes every queued invocation, oldest first.
func (wh *webhook) popAll() []invocation {
	wh.mu.Lock()
	defer wh.mu.Unlock()
	q := wh.queue
	wh.queue = nil
	return q
}

func (w *WebhookAuth) clone() *WebhookAuth {
	if w == nil {
		return nil
	}
	c := *w
	c.Data = make(map[string]string, len(w.Data))
	for k, v := range w.Data {
		c.Data[k] = v
	}
	return &c
}

// newSigningSecret makes a secret like Zendesk's: 48 random
// alphanumerics.
func newSigningSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := randomBytes(48)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newULID makes a ULID: 10 characters of milliseconds, then 16 of which
// the last hold seq, in Crockford's base32. Zendesk's are random after
// the time; seq keeps the emulator's in creation order within a
// millisecond, so listing by id lists oldest first.
func newULID(now time.Time, seq uint64) string {
	const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var b [26]byte
	ms := uint64(now.UnixMilli())
	for i := 9; i >= 0; i-- {
		b[i] = crockford[ms&31]
		ms >>= 5
	}
	for i := 25; i >= 10; i-- {
		b[i] = crockford[seq&31]
		seq >>= 5
	}
	return string(b[:])
}
