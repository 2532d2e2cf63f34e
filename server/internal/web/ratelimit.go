package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter is a token bucket per client: each client may make burst
// requests at once, then one per every. It lives in one process; with
// several replicas each holds its own, which still bounds a client.
type limiter struct {
	burst float64
	every time.Duration
	max   int // clients remembered
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(burst int, every time.Duration, maxClients int, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), every: every, max: maxClients, now: now, buckets: map[string]bucket{}}
}

// allow takes a token for client, or says how long until one is due.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[client]
	if !ok {
		if len(l.buckets) >= l.max {
			l.forget(now)
		}
		b = bucket{tokens: l.burst, at: now}
	}
	b = l.refill(b, now)
	if b.tokens < 1 {
		l.buckets[client] = b
		return false, time.Duration((1 - b.tokens) * float64(l.every))
	}
	b.tokens--
	l.buckets[client] = b
	return true, 0
}

func (l *limiter) refill(b bucket, now time.Time) bucket {
	if now.After(b.at) {
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.at))/float64(l.every))
		b.at = now
	}
	return b
}

// forget drops clients whose bucket is full again (they lose nothing). If
// that frees too little, it drops every client rather than grow without
// bound or sweep on every new client: a flood from that many addresses is
// not one client's to limit.
func (l *limiter) forget(now time.Time) {
	for k, b := range l.buckets {
		if l.refill(b, now).tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) > l.max*3/4 {
		clear(l.buckets)
	}
}

// Sign-in attempts (starts and callbacks) per client: a burst of 20, then
// one every 3 seconds.
const (
	signInBurst   = 20
	signInEvery   = 3 * time.Second
	signInClients = 10_000
)

// retryAfter sets the Retry-After header, in whole seconds rounded up.
func retryAfter(h http.Header, d time.Duration) {
	h.Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
}
