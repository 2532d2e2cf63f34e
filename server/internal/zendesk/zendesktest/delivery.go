package zendesktest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Zendesk's documented webhook retries: a 409 is retried up to three
// times; a 429 or 503 with a Retry-After under 60 seconds is retried after
// that delay; a timeout or connection failure up to five times. Any other
// answer is final.
const (
	retries409     = 3
	retriesWait    = 3
	retriesTimeout = 5
	webhookBackoff = 50 * time.Millisecond
)

// deliverLoop sends a webhook's invocations. Without fault knobs they go
// one at a time, in the order they happened.
func (a *Account) deliverLoop(wh *webhook) {
	defer a.srv.workers.Done()
	for {
		select {
		case <-a.srv.ctx.Done():
			return
		case <-wh.done:
			return
		case <-wh.wake:
		}
		batch := wh.popAll()
		for _, inv := range a.applyFaults(wh, batch) {
			if inv.delay > 0 || inv.async {
				a.srv.workers.Add(1)
				go func() {
					defer a.srv.workers.Done()
					if a.sleep(inv.delay) {
						a.deliver(wh, inv.invocation)
					}
				}()
				continue
			}
			if !a.deliver(wh, inv.invocation) {
				return
			}
		}
	}
}

// sleep waits d; false means the server is closing.
func (a *Account) sleep(d time.Duration) bool {
	if d <= 0 {
		return a.srv.ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-a.srv.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// deliver makes the attempts Zendesk's retry rules allow; false means the
// server is closing.
func (a *Account) deliver(wh *webhook, inv invocation) bool {
	spec := wh.snapshot()
	if spec.Status != "active" {
		return true
	}
	invocation := strconv.FormatUint(binary.BigEndian.Uint64(randomBytes(8))>>1, 10)
	var n409, nWait, nTimeout int
	for attempt := 1; ; attempt++ {
		status, retryAfter, err := a.post(spec, inv, invocation)
		d := Delivery{WebhookID: spec.ID, InvocationID: invocation, EventID: inv.eventID, EventType: inv.eventType,
			TriggerID: inv.triggerID, TicketID: inv.ticketID, Attempt: attempt, Status: status, Body: inv.body,
			Duplicate: inv.duplicate, At: a.now()}
		if err != nil {
			if a.srv.ctx.Err() != nil {
				return false
			}
			d.Err = err.Error()
		}
		a.mu.Lock()
		a.deliveries = append(a.deliveries, d)
		a.mu.Unlock()
		a.srv.log.Debug("zendesktest: webhook delivery", "account", a.spec.Subdomain, "webhook", spec.ID,
			"event", inv.eventType, "trigger", inv.triggerID, "attempt", attempt, "status", status)
		wait := webhookBackoff << min(attempt-1, 5)
		switch {
		case err != nil:
			if nTimeout++; nTimeout > retriesTimeout {
				return true
			}
		case status == http.StatusConflict:
			if n409++; n409 > retries409 {
				return true
			}
		case (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && retryAfter >= 0 && retryAfter < time.Minute:
			if nWait++; nWait > retriesWait {
				return true
			}
			wait = retryAfter
		default:
			return true // success, or an answer Zendesk does not retry
		}
		if !a.sleep(wait) {
			return false
		}
		spec = wh.snapshot() // an edit between attempts applies to the next one
	}
}

// post sends one signed attempt. retryAfter is the receiver's Retry-After
// in seconds, -1 when absent.
func (a *Account) post(spec Webhook, inv invocation, invocationID string) (status int, retryAfter time.Duration, err error) {
	body := inv.body
	if spec.HTTPMethod == http.MethodGet || spec.HTTPMethod == http.MethodDelete {
		body = nil
	}
	req, err := http.NewRequestWithContext(a.srv.ctx, spec.HTTPMethod, spec.Endpoint, bytes.NewReader(body))
	if err != nil {
		return 0, -1, fmt.Errorf("zendesktest: building webhook request: %w", err)
	}
	ts := stamp(a.now())
	if body != nil {
		req.Header.Set("Content-Type", contentType(spec.RequestFormat))
	}
	req.Header.Set("User-Agent", "Zendesk Webhook")
	req.Header.Set("X-Zendesk-Account-Id", strconv.FormatInt(a.id, 10))
	req.Header.Set("X-Zendesk-Webhook-Id", spec.ID)
	req.Header.Set("X-Zendesk-Webhook-Invocation-Id", invocationID)
	req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
	req.Header.Set("X-Zendesk-Webhook-Signature", SignWebhook(spec.Secret, ts, body))
	if auth := spec.Authentication; auth != nil {
		switch auth.Type {
		case "basic_auth":
			req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(auth.Data["username"]+":"+auth.Data["password"])))
		case "bearer_token":
			req.Header.Set("Authorization", "Bearer "+auth.Data["token"])
		case "api_key":
			req.Header.Set(auth.Data["name"], auth.Data["value"])
		}
	}
	resp, err := a.srv.hooks.Do(req)
	if err != nil {
		if a.srv.ctx.Err() != nil {
			return 0, -1, context.Canceled
		}
		return 0, -1, fmt.Errorf("zendesktest: delivering webhook: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	retryAfter = -1
	if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n >= 0 {
		retryAfter = secondsToDuration(n)
	}
	return resp.StatusCode, retryAfter, nil
}

// contentType is the Content-Type of a request format.
func contentType(format string) string {
	switch format {
	case "xml":
		return "application/xml"
	case "form_encoded":
		return "application/x-www-form-urlencoded"
	}
	return "application/json"
}
