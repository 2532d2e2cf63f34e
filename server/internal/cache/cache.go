// Package cache keeps CRM and ticket lookups close: a bounded in-memory
// cache for one process, Redis for many, and a Loader that reads through
// either with stale-while-revalidate and single-flight, and carries on
// without the cache when the cache's backend fails.
package cache

import (
	"context"
	"errors"
	"time"
)

// Entry is a cached value and when it was stored. When it expires (the hard
// TTL) is the backend's business; FreshUntil says when it turns stale.
type Entry struct {
	// Value is shared by every reader and must not be modified.
	Value      []byte
	StoredAt   time.Time
	FreshUntil time.Time
}

// Cache stores entries under string keys. Every key expires: Set requires
// a positive TTL. Implementations are safe for concurrent use.
type Cache interface {
	// Get returns the entry at key and whether there was one.
	Get(ctx context.Context, key string) (Entry, bool, error)
	// Set stores e at key for ttl, which must be positive.
	Set(ctx context.Context, key string, e Entry, ttl time.Duration) error
	// Delete removes keys; missing keys are not an error.
	Delete(ctx context.Context, keys ...string) error
}

// errNoTTL is returned by Set without a positive TTL: a key that never
// expires would escape volatile-* eviction and fill Redis.
var errNoTTL = errors.New("cache: ttl must be positive; every cache key expires")
