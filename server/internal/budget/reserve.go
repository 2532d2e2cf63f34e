package budget

import (
	"context"
	"encoding/json"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
)

// DefaultReserve is the share of an allowance past which optional calls
// stop.
const DefaultReserve = 0.9

// Reached reports whether used of limit is at or past share of it. An
// unknown limit (0) never is.
func Reached(share float64, used, limit int) bool {
	return share > 0 && limit > 0 && float64(used) >= share*float64(limit)
}

// Use is an allowance's use at or past the reserve.
type Use struct {
	Used, Limit int
	Share       float64
}

// InReserve returns the use when a report (ok) says used of limit is at
// or past share, else nil.
func InReserve(share float64, used, limit int, ok bool) *Use {
	if !ok || !Reached(share, used, limit) {
		return nil
	}
	return &Use{Used: used, Limit: limit, Share: share}
}

// LoadJSON is cache.LoadJSON that can save calls: with saving set, an
// entry within its stale window is served as it is, without the
// background refresh, and force is ignored; only a value the cache does
// not have (or has past its stale window) is loaded, since nothing can
// be shown without it.
func LoadJSON[T any](ctx context.Context, l Loader, m *cache.Memo, key string, p cache.Policy, force, saving bool, now time.Time, fetch func(context.Context) (T, error)) (T, error) {
	if saving {
		if e, ok := l.Peek(ctx, key); ok && now.Before(e.FreshUntil.Add(p.Stale)) {
			if v, err := decode[T](m, key, e); err == nil {
				return v, nil
			}
		}
		force = false
	}
	return cache.LoadJSON(ctx, l, m, key, p, force, fetch)
}

// LoadFreshJSON is cache.LoadJSON that accepts only a fresh entry: a stale
// one is loaded again before it is used, however the key's policy serves
// it to others. For values that decide access, where an old answer is
// not good enough.
func LoadFreshJSON[T any](ctx context.Context, l Loader, m *cache.Memo, key string, p cache.Policy, now time.Time, fetch func(context.Context) (T, error)) (T, error) {
	if e, ok := l.Peek(ctx, key); ok && now.Before(e.FreshUntil) {
		if v, err := decode[T](m, key, e); err == nil {
			return v, nil
		}
	}
	return cache.LoadJSON(ctx, l, m, key, p, true, fetch)
}

func decode[T any](m *cache.Memo, key string, e cache.Entry) (T, error) {
	return cache.Decode(m, key, e, func(b []byte) (T, error) {
		var v T
		err := json.Unmarshal(b, &v)
		return v, err
	})
}
