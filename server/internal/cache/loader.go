package cache

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Results reported to LoaderOptions.OnResult, one per Load.
const (
	ResultHit   = "hit"   // served fresh from the cache
	ResultStale = "stale" // served stale from the cache, refresh started
	ResultMiss  = "miss"  // loaded (missing, expired or forced)
	ResultError = "error" // the cache failed or is resting; loaded without it
)

// Defaults for zero LoaderOptions fields.
const (
	DefaultLoadTimeout  = 30 * time.Second
	DefaultCacheTimeout = 250 * time.Millisecond
	DefaultCacheRetry   = time.Second
	DefaultLogInterval  = time.Minute
)

// LoaderOptions configures a Loader. Only Cache is required.
type LoaderOptions struct {
	Cache  Cache
	Now    func() time.Time
	Logger *slog.Logger
	// OnResult, when set, is told how each Load was served (the Result
	// constants), e.g. to count them in Prometheus.
	OnResult func(result string)
	// LoadTimeout bounds a shared or background load, which no caller's
	// context bounds.
	LoadTimeout time.Duration
	// CacheTimeout bounds each cache operation, so a hung Redis costs a
	// Load this much at most.
	CacheTimeout time.Duration
	// CacheRetry is how long Loads skip the cache after it fails.
	CacheRetry time.Duration
	// LogInterval is how often a failing cache is logged.
	LogInterval time.Duration
}

// Policy says how long a loaded value is served: fresh for Fresh, then stale
// (served at once while a refresh runs in the background) until
// Fresh+Stale, then it is gone and the next Load waits for a new one.
// A zero Policy caches nothing but still shares concurrent loads.
type Policy struct {
	Fresh time.Duration
	Stale time.Duration
}

// LoadFunc produces the value for a key, typically by calling an API.
type LoadFunc func(ctx context.Context) ([]byte, error)

// Loader reads through a Cache with stale-while-revalidate and
// single-flight: however many callers want a key at once, one LoadFunc runs
// in this process. Cache failures never fail a Load.
type Loader struct {
	cache        Cache
	now          func() time.Time
	log          *slog.Logger
	onResult     func(string)
	loadTimeout  time.Duration
	cacheTimeout time.Duration
	health       *health

	mu    sync.Mutex
	calls map[string]*call
}

// NewLoader returns a Loader over o.Cache.
func NewLoader(o LoaderOptions) *Loader {
	l := &Loader{
		cache:        o.Cache,
		now:          o.Now,
		log:          o.Logger,
		onResult:     o.OnResult,
		loadTimeout:  orDefault(o.LoadTimeout, DefaultLoadTimeout),
		cacheTimeout: orDefault(o.CacheTimeout, DefaultCacheTimeout),
		calls:        map[string]*call{},
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	if l.onResult == nil {
		l.onResult = func(string) {}
	}
	l.health = &health{
		log:        l.log,
		retryAfter: orDefault(o.CacheRetry, DefaultCacheRetry),
		logEvery:   orDefault(o.LogInterval, DefaultLogInterval),
	}
	return l
}

// Load returns the value for key under policy p. A fresh entry is returned
// as is; a stale one is returned at once and refreshed in the background;
// otherwise, or when force is set, fn is called (once for all concurrent
// callers of the key, so only the first caller's fn runs) and its result
// cached for Fresh+Stale. Errors from fn are returned and not cached. If
// ctx ends first Load returns ctx.Err(), and the load carries on for the
// others. The returned Value is shared and must not be modified.
func (l *Loader) Load(ctx context.Context, key string, p Policy, force bool, fn LoadFunc) (Entry, error) {
	if !l.health.usable(l.now()) {
		l.onResult(ResultError)
		return wait(ctx, l.flight(ctx, key, p, fn, false))
	}
	if !force {
		e, ok, err := l.get(ctx, key)
		if err != nil {
			if ctx.Err() != nil {
				return Entry{}, ctx.Err() // the caller gave up; the cache is not to blame
			}
			l.health.failed(l.now(), "get", err)
			l.onResult(ResultError)
			return wait(ctx, l.flight(ctx, key, p, fn, false))
		}
		if ok {
			now := l.now()
			if now.Before(e.FreshUntil) {
				l.onResult(ResultHit)
				return e, nil
			}
			// Past Fresh+Stale by this policy the entry is gone, even if
			// the backend has not expired it yet (a policy change, skew).
			if now.Before(e.FreshUntil.Add(p.Stale)) {
				l.onResult(ResultStale)
				l.flight(ctx, key, p, fn, false) // joins a refresh already running
				return e, nil
			}
		}
	}
	l.onResult(ResultMiss)
	return wait(ctx, l.flight(ctx, key, p, fn, !force))
}

// get reads key from the cache under the cache timeout. The in-process
// cache cannot hang, and a timer per hit would cost more than the hit.
func (l *Loader) get(ctx context.Context, key string) (Entry, bool, error) {
	if !selfTimed(l.cache) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.cacheTimeout)
		defer cancel()
	}
	e, ok, err := l.cache.Get(ctx, key)
	if err == nil {
		l.health.succeeded()
	}
	return e, ok, err
}

// Invalidate removes keys from the cache, so the next Load of each loads
// afresh. A load of one of the keys already under way is not cached.
func (l *Loader) Invalidate(ctx context.Context, keys ...string) error {
	l.mu.Lock()
	for _, k := range keys {
		if c, ok := l.calls[k]; ok {
			c.invalidated = true
		}
	}
	l.mu.Unlock()
	if err := l.cacheOp(ctx, func(ctx context.Context) error { return l.cache.Delete(ctx, keys...) }); err != nil {
		if ctx.Err() == nil {
			l.health.failed(l.now(), "delete", err)
		}
		return fmt.Errorf("cache: invalidating %d keys: %w", len(keys), err)
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Peek returns what the cache holds for key, however old, without loading
// it; ok is false on a miss or when the cache cannot be read. Callers use it
// to show the last good answer beside a failure.
func (l *Loader) Peek(ctx context.Context, key string) (Entry, bool) {
	if !l.health.usable(l.now()) {
		return Entry{}, false
	}
	e, ok, err := l.get(ctx, key)
	if err != nil {
		if ctx.Err() == nil {
			l.health.failed(l.now(), "get", err)
		}
		return Entry{}, false
	}
	return e, ok
}

// selfTimed reports whether c bounds its own calls: the in-process cache
// cannot hang, and the tiered one times its shared tier itself.
func selfTimed(c Cache) bool {
	switch c.(type) {
	case *Memory, *Tiered:
		return true
	}
	return false
}
