package cache

import (
	"context"
	"fmt"
	"runtime/debug"
)

// call is one load of a key shared by every Load that wants it meanwhile.
type call struct {
	done  chan struct{}
	entry Entry
	err   error
	// invalidated is set (under Loader.mu) when the key is invalidated
	// while the load runs: its result predates the change and must not
	// stay in the cache.
	invalidated bool
}

// flight returns the load of key in progress, or starts one with fn. The
// load runs detached from ctx's cancellation (it keeps ctx's values), under
// its own timeout, so a caller giving up does not fail it for the others.
// recheck makes a new load look in the cache first: a caller that missed
// the cache just before another load stored its result and left would
// otherwise load the key a second time.
func (l *Loader) flight(ctx context.Context, key string, p Policy, fn LoadFunc, recheck bool) *call {
	l.mu.Lock()
	if c, ok := l.calls[key]; ok {
		l.mu.Unlock()
		return c
	}
	c := &call{done: make(chan struct{})}
	l.calls[key] = c
	l.mu.Unlock()
	go l.run(context.WithoutCancel(ctx), key, p, fn, c, recheck)
	return c
}

func (l *Loader) run(ctx context.Context, key string, p Policy, fn LoadFunc, c *call, recheck bool) {
	ctx, cancel := context.WithTimeout(ctx, l.loadTimeout)
	defer cancel()
	if recheck && l.health.usable(l.now()) {
		// A load that finished stores before it leaves l.calls, so a result
		// stored since this caller's miss is visible here.
		if e, ok, err := l.get(ctx, key); err == nil && ok && l.now().Before(e.FreshUntil) {
			l.finish(key, c, e, nil)
			return
		}
	}
	value, err := l.callFn(ctx, fn)
	if err == nil {
		now := l.now()
		c.entry = Entry{Value: value, StoredAt: now, FreshUntil: now.Add(p.Fresh)}
		l.store(ctx, key, p, c)
	}
	l.finish(key, c, c.entry, err)
}

// finish publishes a load's result and lets the next load of key start.
func (l *Loader) finish(key string, c *call, e Entry, err error) {
	c.entry, c.err = e, err
	l.mu.Lock()
	delete(l.calls, key)
	l.mu.Unlock()
	close(c.done)
}

// callFn runs fn, turning a panic into an error: the load runs on its own
// goroutine, where a panic would kill the process rather than one request.
func (l *Loader) callFn(ctx context.Context, fn LoadFunc) (value []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			l.log.Error("cache: load panicked", "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("cache: load panicked: %v", r)
		}
	}()
	return fn(ctx)
}

// store writes a loaded entry unless the policy keeps nothing or the cache
// is known to be down; errors only mark the cache down.
func (l *Loader) store(ctx context.Context, key string, p Policy, c *call) {
	ttl := p.Fresh + p.Stale
	if ttl <= 0 || !l.health.usable(l.now()) {
		return
	}
	if err := l.cacheOp(ctx, func(ctx context.Context) error { return l.cache.Set(ctx, key, c.entry, ttl) }); err != nil {
		l.health.failed(l.now(), "set", err)
		return
	}
	l.mu.Lock()
	invalidated := c.invalidated
	l.mu.Unlock()
	if invalidated {
		// Invalidate ran while this load was under way; its Delete may have
		// come before this Set, so delete again.
		if err := l.cacheOp(ctx, func(ctx context.Context) error { return l.cache.Delete(ctx, key) }); err != nil {
			l.health.failed(l.now(), "delete", err)
		}
	}
}

// cacheOp runs one cache operation under the cache timeout.
func (l *Loader) cacheOp(ctx context.Context, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, l.cacheTimeout)
	defer cancel()
	if err := op(ctx); err != nil {
		return err
	}
	l.health.succeeded()
	return nil
}

// wait returns c's result, or ctx's error if ctx ends first.
func wait(ctx context.Context, c *call) (Entry, error) {
	select {
	case <-c.done:
		return c.entry, c.err
	case <-ctx.Done():
		return Entry{}, ctx.Err()
	}
}
