package web

import (
	"fmt"
	"testing"
	"time"
)

// TestLimiterBucket: a burst, then one request per interval; clients are
// limited apart.
func TestLimiterBucket(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(3, 2*time.Second, 100, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > 2*time.Second {
		t.Fatalf("past the burst: allowed=%v, wait %v", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Fatal("another client was limited by the first one's requests")
	}
	now = now.Add(2 * time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Fatal("a token was not refilled after the interval")
	}
	if ok, _ := l.allow("a"); ok {
		t.Fatal("two tokens refilled in one interval")
	}
}

// TestLimiterBounded: a flood from many addresses cannot grow the
// limiter's memory without bound, and a limited client stays limited while
// only a few others come and go.
func TestLimiterBounded(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(2, time.Minute, 100, func() time.Time { return now })
	for range 3 {
		l.allow("heavy")
	}
	for i := range 10 {
		l.allow(fmt.Sprintf("light-%d", i))
	}
	if ok, _ := l.allow("heavy"); ok {
		t.Fatal("a limited client was forgotten while the limiter had room")
	}
	for i := range 100_000 {
		l.allow(fmt.Sprintf("flood-%d", i))
		if n := len(l.buckets); n > 100 {
			t.Fatalf("the limiter remembers %d clients, more than its 100", n)
		}
	}
}
