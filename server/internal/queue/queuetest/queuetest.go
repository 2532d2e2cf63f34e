// Package queuetest is the conformance suite every queue.Queue must pass,
// run against the embedded (bbolt) and the Redis implementation.
package queuetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
)

// Clock is a settable clock shared by the suite and the queue under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Target is an implementation under test.
type Target struct {
	// Open returns a fresh, empty queue reading time from now, and a
	// function that closes it and opens it again on the same storage (as a
	// restarted process would). It cleans up with t.Cleanup.
	Open func(t *testing.T, now func() time.Time) (q queue.Queue, reopen func() queue.Queue)
}

type env struct {
	q      queue.Queue
	reopen func() queue.Queue
	clock  *Clock
	ctx    context.Context
}

// Run runs the suite.
func Run(t *testing.T, target Target) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"EnqueueClaimComplete", testEnqueueClaimComplete},
		{"BurstsCoalesce", testBurstsCoalesce},
		{"NotDueUntilItsTime", testNotDueUntilItsTime},
		{"ChangeWhileLeasedIsKept", testChangeWhileLeasedIsKept},
		{"ExpiredLeaseIsClaimedAgain", testExpiredLeaseIsClaimedAgain},
		{"RetryBacksOff", testRetryBacksOff},
		{"EnqueueKeepsBackoff", testEnqueueKeepsBackoff},
		{"BuryAndReplay", testBuryAndReplay},
		{"EnqueueRevivesBuried", testEnqueueRevivesBuried},
		{"ReplayAll", testReplayAll},
		{"Extend", testExtend},
		{"FencingTokensIncrease", testFencingTokensIncrease},
		{"LongestDueFirst", testLongestDueFirst},
		{"QueuesAreSeparate", testQueuesAreSeparate},
		{"Stats", testStats},
		{"Drop", testDrop},
		{"SurvivesReopen", testSurvivesReopen},
		{"ConcurrentWorkersNeverShareAKey", testConcurrentWorkers},
		{"StampIsTheNewestHeardOf", testStamp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &Clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
			q, reopen := target.Open(t, clock.Now)
			tt.fn(t, &env{q: q, reopen: reopen, clock: clock, ctx: t.Context()})
		})
	}
}

const lease = 30 * time.Second

func (e *env) enqueue(t *testing.T, q, key string) {
	t.Helper()
	if err := e.q.Enqueue(e.ctx, q, key, e.clock.Now(), 0); err != nil {
		t.Fatalf("Enqueue(%s, %s): %v", q, key, err)
	}
}

func (e *env) claim(t *testing.T, q, worker string, n int) []queue.Lease {
	t.Helper()
	ls, err := e.q.Claim(e.ctx, q, worker, n, lease)
	if err != nil {
		t.Fatalf("Claim(%s): %v", q, err)
	}
	return ls
}

func (e *env) claimOne(t *testing.T, q string) queue.Lease {
	t.Helper()
	ls := e.claim(t, q, "w1", 10)
	if len(ls) != 1 {
		t.Fatalf("Claim(%s) = %d leases %v, want 1", q, len(ls), keys(ls))
	}
	return ls[0]
}

// claimNone checks that queue "q" has nothing to hand out.
func (e *env) claimNone(t *testing.T) {
	t.Helper()
	if ls := e.claim(t, "q", "w9", 10); len(ls) != 0 {
		t.Fatalf("Claim = %v, want nothing", keys(ls))
	}
}

// stats counts queue "q".
func (e *env) stats(t *testing.T) queue.Stats {
	t.Helper()
	s, err := e.q.Stats(e.ctx, "q")
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return s
}

func keys(ls []queue.Lease) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Key
	}
	return out
}
