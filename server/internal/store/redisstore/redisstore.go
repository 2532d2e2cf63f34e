// Package redisstore is the store.Backend for many replicas: each table is
// a Redis hash at <prefix>:{<partition>}:<table>. The partition is the hash
// tag, so Redis Cluster keeps a tenant's tables on one slot. Records are
// durable: no key here ever gets a TTL, so run Redis with a volatile-*
// eviction policy and eviction can only take cache keys.
package redisstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/redis/go-redis/v9"
)

// Backend keeps records in Redis hashes.
type Backend struct {
	c      redis.UniversalClient
	prefix string
}

var _ store.Backend = (*Backend)(nil)

// New returns a backend over client whose keys all start with prefix
// (e.g. "crossview"). The caller owns the client; Close leaves it open.
func New(client redis.UniversalClient, prefix string) *Backend {
	return &Backend{c: client, prefix: prefix}
}

// Key is the Redis key of a table.
func (b *Backend) Key(partition, table string) string {
	return b.prefix + ":{" + partition + "}:" + table
}

// Get returns the value at key, or crossview.ErrNotFound.
func (b *Backend) Get(ctx context.Context, partition, table, key string) ([]byte, error) {
	v, err := b.c.HGet(ctx, b.Key(partition, table), key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, crossview.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: get %s/%s: %w", partition, table, err)
	}
	return v, nil
}

// Put creates or replaces the value at key.
func (b *Backend) Put(ctx context.Context, partition, table, key string, value []byte) error {
	if err := b.c.HSet(ctx, b.Key(partition, table), key, value).Err(); err != nil {
		return fmt.Errorf("redisstore: put %s/%s: %w", partition, table, err)
	}
	return nil
}

// Delete removes key; Redis drops a hash when its last field goes.
func (b *Backend) Delete(ctx context.Context, partition, table, key string) error {
	if err := b.c.HDel(ctx, b.Key(partition, table), key).Err(); err != nil {
		return fmt.Errorf("redisstore: delete %s/%s: %w", partition, table, err)
	}
	return nil
}

// List returns every value in a table.
func (b *Backend) List(ctx context.Context, partition, table string) ([][]byte, error) {
	vals, err := b.c.HVals(ctx, b.Key(partition, table)).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: list %s/%s: %w", partition, table, err)
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}

// Count says how many keys a table holds.
func (b *Backend) Count(ctx context.Context, partition, table string) (int, error) {
	n, err := b.c.HLen(ctx, b.Key(partition, table)).Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: count %s/%s: %w", partition, table, err)
	}
	return int(n), nil
}

// Ping checks that Redis answers.
func (b *Backend) Ping(ctx context.Context) error {
	if err := b.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisstore: ping: %w", err)
	}
	return nil
}

// Close does nothing: the client belongs to the caller, who may share it
// with the cache.
func (b *Backend) Close() error { return nil }
