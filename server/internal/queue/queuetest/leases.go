package queuetest

import (
	"errors"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
)

// LeaseTarget is a Leases implementation under test.
type LeaseTarget struct {
	// Open returns fresh, empty leases reading time from now.
	Open func(t *testing.T, now func() time.Time) queue.Leases
}

// RunLeases runs the lease suite.
func RunLeases(t *testing.T, target LeaseTarget) {
	clock := &Clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	ls := target.Open(t, clock.Now)
	ctx := t.Context()
	const ttl = 10 * time.Second

	a, ok, err := ls.Acquire(ctx, "poll:org1", "replica-a", ttl)
	if err != nil || !ok || a.Holder != "replica-a" || a.Token <= 0 || !a.Until.Equal(clock.Now().Add(ttl)) {
		t.Fatalf("first Acquire = %+v, %v, %v", a, ok, err)
	}
	if _, ok, err := ls.Acquire(ctx, "poll:org1", "replica-b", ttl); err != nil || ok {
		t.Fatalf("Acquire of a held lease by another holder = %v, %v; want refused", ok, err)
	}
	if _, ok, err := ls.Acquire(ctx, "poll:org2", "replica-b", ttl); err != nil || !ok {
		t.Fatalf("Acquire of another name = %v, %v; want granted", ok, err)
	}
	clock.Advance(5 * time.Second)
	a, err = ls.Renew(ctx, a, ttl)
	if err != nil || !a.Until.Equal(clock.Now().Add(ttl)) {
		t.Fatalf("Renew = %+v, %v", a, err)
	}
	clock.Advance(9 * time.Second) // inside the renewal
	if _, ok, _ := ls.Acquire(ctx, "poll:org1", "replica-b", ttl); ok {
		t.Fatal("a renewed lease was taken")
	}
	clock.Advance(2 * time.Second) // replica-a died: its lease runs out
	b, ok, err := ls.Acquire(ctx, "poll:org1", "replica-b", ttl)
	if err != nil || !ok || b.Token <= a.Token {
		t.Fatalf("Acquire after expiry = %+v, %v, %v; want granted with a larger token than %d", b, ok, err, a.Token)
	}
	if _, err := ls.Renew(ctx, a, ttl); !errors.Is(err, queue.ErrLeaseLost) {
		t.Errorf("Renew by the old holder = %v, want ErrLeaseLost", err)
	}
	if err := ls.Release(ctx, a); err != nil { // the old holder's release must not free b's lease
		t.Fatal(err)
	}
	if _, ok, _ := ls.Acquire(ctx, "poll:org1", "replica-c", ttl); ok {
		t.Fatal("a stale Release freed the new holder's lease")
	}
	if err := ls.Release(ctx, b); err != nil {
		t.Fatal(err)
	}
	c, ok, err := ls.Acquire(ctx, "poll:org1", "replica-c", ttl)
	if err != nil || !ok || c.Token <= b.Token {
		t.Fatalf("Acquire after Release = %+v, %v, %v", c, ok, err)
	}
}
