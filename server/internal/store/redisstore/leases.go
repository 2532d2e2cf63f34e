package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crossview/crossview/server/internal/queue"
)

// Leases is queue.Leases shared by every replica. A lease is a hash
// (holder, token, until) with no TTL — under a volatile-* eviction policy a
// key with a TTL could be evicted and the lease handed out twice — and the
// expiry is compared by the scripts with the caller's clock.
type Leases struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time
}

var _ queue.Leases = (*Leases)(nil)

// NewLeases returns leases kept under prefix (e.g. "cv").
func NewLeases(c redis.UniversalClient, prefix string, now func() time.Time) *Leases {
	return &Leases{c: c, prefix: prefix, now: now}
}

func (l *Leases) key(name string) string { return l.prefix + ":{lease:" + name + "}" }

// acquireScript: ARGV holder, now, until. Returns token, until or nothing.
var acquireScript = redis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'until')
local now = tonumber(ARGV[2])
if h[1] and tonumber(h[3]) > now and h[1] ~= ARGV[1] then return false end
local token = tonumber(h[2] or 0)
if not h[1] or h[1] ~= ARGV[1] or tonumber(h[3]) <= now then token = token + 1 end
redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'token', token, 'until', ARGV[3])
return {tostring(token), ARGV[3]}
`)

// renewScript: ARGV token, now, until. Returns 1 if renewed.
var renewScript = redis.NewScript(`
local h = redis.call('HMGET', KEYS[1], 'holder', 'token', 'until')
if not h[1] or h[2] ~= ARGV[1] or tonumber(h[3]) <= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'until', ARGV[3])
return 1
`)

// releaseScript: ARGV token. Frees the lease if the token still holds it;
// the token counter stays, so the next holder's token is larger.
var releaseScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'holder', 'until')
end
return 1
`)

// Acquire implements queue.Leases.
func (l *Leases) Acquire(ctx context.Context, name, holder string, ttl time.Duration) (queue.Hold, bool, error) {
	now := l.now()
	until := now.Add(ttl).UnixMilli()
	res, err := acquireScript.Run(ctx, l.c, []string{l.key(name)}, holder, now.UnixMilli(), until).StringSlice()
	if errors.Is(err, redis.Nil) {
		return queue.Hold{}, false, nil
	}
	if err != nil {
		return queue.Hold{}, false, fmt.Errorf("redisstore: acquiring lease %s: %w", name, err)
	}
	tok, _ := strconv.ParseInt(res[0], 10, 64)
	return queue.Hold{Name: name, Holder: holder, Token: tok, Until: time.UnixMilli(until)}, true, nil
}

// Renew implements queue.Leases.
func (l *Leases) Renew(ctx context.Context, h queue.Hold, ttl time.Duration) (queue.Hold, error) {
	now := l.now()
	until := now.Add(ttl).UnixMilli()
	n, err := renewScript.Run(ctx, l.c, []string{l.key(h.Name)}, h.Token, now.UnixMilli(), until).Int()
	if err != nil {
		return h, fmt.Errorf("redisstore: renewing lease %s: %w", h.Name, err)
	}
	if n == 0 {
		return h, queue.ErrLeaseLost
	}
	h.Until = time.UnixMilli(until)
	return h, nil
}

// Release implements queue.Leases.
func (l *Leases) Release(ctx context.Context, h queue.Hold) error {
	if err := releaseScript.Run(ctx, l.c, []string{l.key(h.Name)}, h.Token).Err(); err != nil {
		return fmt.Errorf("redisstore: releasing lease %s: %w", h.Name, err)
	}
	return nil
}
