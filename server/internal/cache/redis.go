package cache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Cache in Redis: one string key per entry, written with a TTL
// (PX), so a volatile-* eviction policy may drop cache keys under memory
// pressure but never durable records.
type Redis struct {
	c      redis.UniversalClient
	prefix string
}

var _ Cache = (*Redis)(nil)

// NewRedis returns a cache whose keys are prefix+key. Callers put the
// tenant's hash tag in key (e.g. "{acme}:sidebar:...") so Redis Cluster
// keeps a tenant together. The caller owns the client.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	return &Redis{c: client, prefix: prefix}
}

// Get returns the entry at key.
func (r *Redis) Get(ctx context.Context, key string) (Entry, bool, error) {
	raw, err := r.c.Get(ctx, r.prefix+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, fmt.Errorf("cache: redis get: %w", err)
	}
	e, err := decodeEntry(raw)
	if err != nil {
		return Entry{}, false, err
	}
	return e, true, nil
}

// Set stores e at key for ttl.
func (r *Redis) Set(ctx context.Context, key string, e Entry, ttl time.Duration) error {
	if ttl <= 0 {
		return errNoTTL
	}
	// Redis refuses PX 0, and go-redis would round below a millisecond to it.
	ttl = max(ttl, time.Millisecond)
	if err := r.c.Set(ctx, r.prefix+key, encodeEntry(e), ttl).Err(); err != nil {
		return fmt.Errorf("cache: redis set: %w", err)
	}
	return nil
}

// Delete removes keys. Each key is deleted on its own (pipelined), so keys
// of different tenants — different Cluster slots — can go in one call.
func (r *Redis) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.Del(ctx, r.prefix+k)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: redis delete: %w", err)
	}
	return nil
}

// The encoding is a version byte, StoredAt and FreshUntil as big-endian
// Unix nanoseconds (0 for the zero time), then the value's bytes as they
// are: 17 bytes of overhead, where JSON with base64 would add a third.
const (
	codecVersion = 1
	headerLen    = 1 + 8 + 8
)

func encodeEntry(e Entry) []byte {
	b := make([]byte, headerLen, headerLen+len(e.Value))
	b[0] = codecVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(unixNano(e.StoredAt)))
	binary.BigEndian.PutUint64(b[9:17], uint64(unixNano(e.FreshUntil)))
	return append(b, e.Value...)
}

func decodeEntry(b []byte) (Entry, error) {
	if len(b) < headerLen || b[0] != codecVersion {
		return Entry{}, errors.New("cache: malformed entry in redis")
	}
	return Entry{
		StoredAt:   fromUnixNano(int64(binary.BigEndian.Uint64(b[1:9]))),
		FreshUntil: fromUnixNano(int64(binary.BigEndian.Uint64(b[9:17]))),
		Value:      b[headerLen:],
	}, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
