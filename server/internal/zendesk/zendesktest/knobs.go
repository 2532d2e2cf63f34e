package zendesktest

import (
	"maps"
	"time"
)

// Stats counts what an account has served.
type Stats struct {
	// Requests counts every request to the account, API or not.
	Requests int
	// ByEndpoint counts requests per route, keyed like
	// "GET /api/v2/tickets/{id}.json"; unmatched paths count under
	// "<METHOD> (unknown)".
	ByEndpoint map[string]int
	// WebhookDeliveries counts delivery attempts, retries included;
	// invocations the fault knobs dropped are not attempts.
	WebhookDeliveries int
}

// Stats returns a snapshot of the account's counters.
func (a *Account) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	sent := 0
	for _, d := range a.deliveries {
		if !d.Dropped {
			sent++
		}
	}
	return Stats{Requests: a.requests, ByEndpoint: maps.Clone(a.byEndpoint), WebhookDeliveries: sent}
}

// Calls is how many requests a route has served, keyed as in
// Stats.ByEndpoint, e.g. Calls("GET /api/v2/tickets/{id}.json").
func (a *Account) Calls(route string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.byEndpoint[route]
}

// ResetStats zeroes the request counters, so a test can count the calls of
// one phase. Webhook deliveries are kept.
func (a *Account) ResetStats() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests = 0
	clear(a.byEndpoint)
}

// SetLatency delays every request to the account by d before it is
// answered.
func (a *Account) SetLatency(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.latency = d
}

// SetFailure makes every request to the account fail with status: 500
// answers a JSON error, 502, 503 and 504 answer text/plain. 0 clears it.
func (a *Account) SetFailure(status int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.failure = status
}

// RateLimitFor answers every rate-limited request with 429 and a
// Retry-After until retryAfter has passed on the server clock.
func (a *Account) RateLimitFor(retryAfter time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.limitedUntil = a.now().Add(retryAfter)
}

// SetSearchIndexLag makes GET /api/v2/search see tickets as they were d
// ago: newer tickets are missing and newer changes invisible, as with
// Zendesk's indexing delay.
func (a *Account) SetSearchIndexLag(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lag = d
}

// rateWindow is the per-minute request counter. Windows align to the
// minute of the server clock.
type rateWindow struct {
	start time.Time
	count int
}

// admit counts a request against the rate limit. retry > 0 means it is
// refused and says when to come back.
func (a *Account) admit() (limit, remaining int, retry time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	limit = a.spec.RateLimit
	if start := now.Truncate(time.Minute); !start.Equal(a.window.start) {
		a.window = rateWindow{start: start, count: a.otherUsage}
	}
	a.window.count++
	remaining = max(0, limit-a.window.count)
	if now.Before(a.limitedUntil) {
		return limit, 0, a.limitedUntil.Sub(now)
	}
	if a.window.count > limit {
		return limit, 0, a.window.start.Add(time.Minute).Sub(now)
	}
	return limit, remaining, 0
}

// record counts a request and returns the knobs that apply to it.
func (a *Account) record(key string) (latency time.Duration, failure int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.requests++
	a.byEndpoint[key]++
	return a.latency, a.failure
}

func secondsToDuration(n int) time.Duration { return time.Duration(n) * time.Second }
