package cache_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/google/go-cmp/cmp"
)

var policy = cache.Policy{Fresh: time.Minute, Stale: 10 * time.Minute}

// setup returns a Loader over a memory cache on a fake clock.
func setup(t *testing.T) (*cache.Loader, *cache.Memory, *fakeClock, *results) {
	t.Helper()
	clock := newFakeClock()
	mem := cache.NewMemory(100, clock.Now)
	res := &results{}
	l := cache.NewLoader(cache.LoaderOptions{Cache: mem, Now: clock.Now, OnResult: res.record})
	return l, mem, clock, res
}

// value returns a LoadFunc that returns v and counts its calls.
func value(v string, calls *atomic.Int32) cache.LoadFunc {
	return func(context.Context) ([]byte, error) {
		calls.Add(1)
		return []byte(v), nil
	}
}

func mustLoad(t *testing.T, l *cache.Loader, key string, force bool, fn cache.LoadFunc) cache.Entry {
	t.Helper()
	e, err := l.Load(context.Background(), key, policy, force, fn)
	if err != nil {
		t.Fatalf("Load(%s): %v", key, err)
	}
	return e
}

func TestLoaderSingleFlight(t *testing.T) {
	l, _, _, res := setup(t)
	release := make(chan struct{})
	var calls atomic.Int32
	fn := func(context.Context) ([]byte, error) {
		calls.Add(1)
		<-release
		return []byte("account 42"), nil
	}
	var wg sync.WaitGroup
	got := make([]string, 100)
	errs := make([]error, 100)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := l.Load(context.Background(), "{acme}:k", policy, false, fn)
			got[i], errs[i] = string(e.Value), err
		}()
	}
	// Let every goroutine reach Load before the load finishes.
	deadline := time.Now().Add(5 * time.Second)
	for res.get()[cache.ResultMiss] < 100 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("100 concurrent Loads of one key called fn %d times, want 1", n)
	}
	for i := range 100 {
		if errs[i] != nil || got[i] != "account 42" {
			t.Fatalf("Load %d = %q, %v", i, got[i], errs[i])
		}
	}
	if e := mustLoad(t, l, "{acme}:k", false, value("other", &calls)); string(e.Value) != "account 42" || calls.Load() != 1 {
		t.Fatalf("Load after the shared load = %q with %d calls; want the cached value", e.Value, calls.Load())
	}
	if d := cmp.Diff(map[string]int{"miss": 100, "hit": 1}, res.get()); d != "" {
		t.Fatalf("results mismatch (-want +got):\n%s", d)
	}
}

func TestLoaderFreshThenStaleThenGone(t *testing.T) {
	l, mem, clock, res := setup(t)
	var calls atomic.Int32
	first := mustLoad(t, l, "k", false, value("v1", &calls))
	if !first.StoredAt.Equal(clock.Now()) || !first.FreshUntil.Equal(clock.Now().Add(policy.Fresh)) {
		t.Fatalf("entry times = %v, %v", first.StoredAt, first.FreshUntil)
	}

	clock.Advance(59 * time.Second)
	if e := mustLoad(t, l, "k", false, value("v2", &calls)); string(e.Value) != "v1" {
		t.Fatalf("fresh Load = %q, want v1", e.Value)
	}
	if calls.Load() != 1 {
		t.Fatalf("a fresh hit called fn")
	}

	// Stale: served at once, refreshed once in the background.
	clock.Advance(2 * time.Minute)
	release := make(chan struct{})
	var refreshes atomic.Int32
	var refreshCtxErr atomic.Value
	slow := func(ctx context.Context) ([]byte, error) {
		refreshes.Add(1)
		<-release
		refreshCtxErr.Store(fmt.Sprint(ctx.Err()))
		return []byte("v2"), nil
	}
	for range 20 {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		e, err := l.Load(ctx, "k", policy, false, slow)
		cancel() // the caller is gone; the refresh must go on
		if err != nil || string(e.Value) != "v1" {
			t.Fatalf("stale Load = %q, %v; want the stale v1", e.Value, err)
		}
		if waited := time.Since(start); waited > 100*time.Millisecond {
			t.Fatalf("stale Load waited %v for the refresh", waited)
		}
	}
	close(release)
	waitFor(t, func() bool {
		e, ok, _ := mem.Get(context.Background(), "k")
		return ok && string(e.Value) == "v2"
	})
	if n := refreshes.Load(); n != 1 {
		t.Fatalf("20 stale Loads started %d refreshes, want 1", n)
	}
	if got := refreshCtxErr.Load(); got != "<nil>" {
		t.Fatalf("the refresh's context ended with the caller's: %v", got)
	}
	if e := mustLoad(t, l, "k", false, value("v3", &calls)); string(e.Value) != "v2" {
		t.Fatalf("Load after the refresh = %q, want v2", e.Value)
	}

	// Past Fresh+Stale the entry is gone and Load waits for fn.
	clock.Advance(policy.Fresh + policy.Stale)
	if e := mustLoad(t, l, "k", false, value("v4", &calls)); string(e.Value) != "v4" {
		t.Fatalf("Load after Fresh+Stale = %q, want v4", e.Value)
	}
	if d := cmp.Diff(map[string]int{"miss": 2, "hit": 2, "stale": 20}, res.get()); d != "" {
		t.Fatalf("results mismatch (-want +got):\n%s", d)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestLoaderForceBypassesFreshEntry(t *testing.T) {
	l, mem, _, res := setup(t)
	var calls atomic.Int32
	mustLoad(t, l, "k", false, value("old", &calls))
	if e := mustLoad(t, l, "k", true, value("new", &calls)); string(e.Value) != "new" {
		t.Fatalf("forced Load = %q, want new", e.Value)
	}
	if calls.Load() != 2 {
		t.Fatalf("fn called %d times, want 2", calls.Load())
	}
	if e, _, _ := mem.Get(context.Background(), "k"); string(e.Value) != "new" {
		t.Fatalf("cache after a forced Load holds %q, want new", e.Value)
	}
	if e := mustLoad(t, l, "k", false, value("newer", &calls)); string(e.Value) != "new" {
		t.Fatalf("Load after force = %q, want the forced value", e.Value)
	}
	if d := cmp.Diff(map[string]int{"miss": 2, "hit": 1}, res.get()); d != "" {
		t.Fatalf("results mismatch (-want +got):\n%s", d)
	}
}

func TestLoaderErrorsAreNotCached(t *testing.T) {
	l, mem, clock, _ := setup(t)
	ctx := context.Background()
	boom := errors.New("salesforce: 503")
	var calls atomic.Int32
	failing := func(context.Context) ([]byte, error) { calls.Add(1); return nil, boom }

	if _, err := l.Load(ctx, "k", policy, false, failing); !errors.Is(err, boom) {
		t.Fatalf("Load error = %v, want fn's error", err)
	}
	if _, ok, _ := mem.Get(ctx, "k"); ok {
		t.Fatal("a failed load was cached")
	}
	if e := mustLoad(t, l, "k", false, value("ok", &calls)); string(e.Value) != "ok" || calls.Load() != 2 {
		t.Fatalf("Load after an error = %q after %d calls; want fn called again", e.Value, calls.Load())
	}

	// A failed background refresh keeps serving the stale value.
	clock.Advance(2 * time.Minute)
	for range 3 {
		e, err := l.Load(ctx, "k", policy, false, failing)
		if err != nil || string(e.Value) != "ok" {
			t.Fatalf("stale Load with a failing refresh = %q, %v; want the stale value", e.Value, err)
		}
		waitFor(t, func() bool { return calls.Load() >= 3 })
	}
	waitFor(t, func() bool { e, ok, _ := mem.Get(ctx, "k"); return ok && string(e.Value) == "ok" })
}

func TestLoaderPanicIsAnError(t *testing.T) {
	l, _, _, _ := setup(t)
	_, err := l.Load(context.Background(), "k", policy, false, func(context.Context) ([]byte, error) {
		panic("nil map")
	})
	if err == nil || err.Error() != "cache: load panicked: nil map" {
		t.Fatalf("Load of a panicking fn = %v, want an error naming the panic", err)
	}
}

func TestLoaderCallerGivingUpDoesNotCancelOthers(t *testing.T) {
	l, _, _, _ := setup(t)
	release := make(chan struct{})
	var fnCtxErr atomic.Value
	fn := func(ctx context.Context) ([]byte, error) {
		<-release
		fnCtxErr.Store(fmt.Sprint(ctx.Err()))
		if _, ok := ctx.Deadline(); !ok {
			return nil, errors.New("the shared load has no deadline")
		}
		return []byte("v"), nil
	}
	impatient, cancel := context.WithCancel(context.Background())
	impatientErr := make(chan error, 1)
	go func() {
		_, err := l.Load(impatient, "k", policy, false, fn)
		impatientErr <- err
	}()
	patient := make(chan string, 1)
	go func() {
		e, err := l.Load(context.Background(), "k", policy, false, fn)
		patient <- fmt.Sprintf("%s %v", e.Value, err)
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-impatientErr:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled caller got %v, want context.Canceled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled caller kept waiting for the shared load")
	}
	close(release)
	if got := <-patient; got != "v <nil>" {
		t.Fatalf("the other caller got %q, want v", got)
	}
	if got := fnCtxErr.Load(); got != "<nil>" {
		t.Fatalf("the shared load's context ended with a caller's: %v", got)
	}
}

// An entry cached under a longer policy (before a configuration change)
// is not served stale beyond the policy the caller asks for now.
func TestLoaderHonoursTheCallersPolicy(t *testing.T) {
	l, _, clock, _ := setup(t)
	var calls atomic.Int32
	mustLoad(t, l, "k", false, value("old", &calls))
	clock.Advance(5 * time.Minute)
	shorter := cache.Policy{Fresh: time.Minute, Stale: time.Minute}
	e, err := l.Load(context.Background(), "k", shorter, false, value("new", &calls))
	if err != nil || string(e.Value) != "new" {
		t.Fatalf("Load past the shorter policy = %q, %v; want a fresh load", e.Value, err)
	}
}
