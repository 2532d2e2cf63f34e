package cache

import (
	"context"
	"strings"
	"time"
)

// Tiered puts a small in-process cache in front of a shared one (Redis). A
// warm panel then costs no network round trip, while every replica still
// shares loads through the shared tier. Entries live in the first tier for
// at most l1TTL; deletions are broadcast so other replicas drop their copy
// at once rather than at expiry.
type Tiered struct {
	l1      *Memory
	l2      Cache
	l1TTL   time.Duration
	timeout time.Duration
	bus     Bus
}

// Bus carries invalidations between replicas.
type Bus interface {
	PublishInvalidation(ctx context.Context, keys []string) error
}

var _ Cache = (*Tiered)(nil)

// NewTiered returns a two-tier cache. timeout bounds each call to l2; bus
// may be nil for a single replica.
func NewTiered(l1 *Memory, l2 Cache, l1TTL, timeout time.Duration, bus Bus) *Tiered {
	return &Tiered{l1: l1, l2: l2, l1TTL: l1TTL, timeout: timeout, bus: bus}
}

// Get reads the first tier, then the shared one.
func (t *Tiered) Get(ctx context.Context, key string) (Entry, bool, error) {
	if e, ok, _ := t.l1.Get(ctx, key); ok {
		return e, true, nil
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	e, ok, err := t.l2.Get(ctx, key)
	if err == nil && ok {
		_ = t.l1.Set(ctx, key, e, t.l1TTL)
	}
	return e, ok, err
}

// Set writes both tiers.
func (t *Tiered) Set(ctx context.Context, key string, e Entry, ttl time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	if err := t.l2.Set(tctx, key, e, ttl); err != nil {
		return err
	}
	return t.l1.Set(ctx, key, e, min(ttl, t.l1TTL))
}

// Delete removes keys everywhere and tells the other replicas.
func (t *Tiered) Delete(ctx context.Context, keys ...string) error {
	_ = t.l1.Delete(ctx, keys...)
	tctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	if err := t.l2.Delete(tctx, keys...); err != nil {
		return err
	}
	if t.bus != nil {
		return t.bus.PublishInvalidation(tctx, keys)
	}
	return nil
}

// Forget drops keys from this replica's first tier; the invalidation
// subscriber calls it for deletions made elsewhere.
func (t *Tiered) Forget(keys []string) {
	_ = t.l1.Delete(context.Background(), keys...)
}

// invalidationChannel is the Redis Pub/Sub channel of a cache prefix.
func invalidationChannel(prefix string) string { return prefix + "invalidate" }

// PublishInvalidation implements Bus over Redis Pub/Sub.
func (r *Redis) PublishInvalidation(ctx context.Context, keys []string) error {
	return r.c.Publish(ctx, invalidationChannel(r.prefix), strings.Join(keys, "\n")).Err()
}

// SubscribeInvalidations calls fn with the keys of every invalidation
// published by any replica until ctx ends; go-redis resubscribes after a
// lost connection.
func (r *Redis) SubscribeInvalidations(ctx context.Context, fn func(keys []string)) {
	sub := r.c.Subscribe(ctx, invalidationChannel(r.prefix))
	defer func() { _ = sub.Close() }()
	ch := sub.Channel()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-ch:
			if !ok {
				return
			}
			fn(strings.Split(m.Payload, "\n"))
		}
	}
}
