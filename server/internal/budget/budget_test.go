package budget_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/redistest"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestCooldownAcrossReplicas: one forced refresh per key and period, on
// whichever replica it lands, and the refused ones learn when it was.
func TestCooldownAcrossReplicas(t *testing.T) {
	srv := redistest.Start(t)
	clk := &clock{t: time.Now()}
	newReplica := func() *cache.Loader {
		shared := cache.NewRedis(srv.Client(t), "cv:cache:")
		return cache.NewLoader(cache.LoaderOptions{Cache: cache.NewTiered(cache.NewMemory(100, time.Now), shared, 2*time.Second, time.Second, nil), Now: time.Now})
	}
	a := budget.NewCooldown(newReplica(), time.Minute, clk.now)
	b := budget.NewCooldown(newReplica(), time.Minute, clk.now)
	ctx := context.Background()
	first := clk.now()
	if h := a.Take(ctx, "{acme}:cooldown:u1:42"); h != nil {
		t.Fatalf("the first forced refresh was held: %+v", h)
	}
	clk.add(10 * time.Second)
	for i, c := range []*budget.Cooldown{a, b, b} {
		h := c.Take(ctx, "{acme}:cooldown:u1:42")
		if h == nil || !h.Since.Equal(first) || !h.Until.Equal(first.Add(time.Minute)) {
			t.Errorf("take %d within the cooldown: %+v, want held since %v", i, h, first)
		}
	}
	if h := b.Take(ctx, "{acme}:cooldown:u2:42"); h != nil {
		t.Error("another user's refresh was held")
	}
	if h := budget.NewCooldown(newReplica(), 0, clk.now).Take(ctx, "{acme}:cooldown:u1:42"); h != nil {
		t.Error("a zero cooldown held a refresh")
	}
}

func TestInReserve(t *testing.T) {
	for _, c := range []struct {
		share       float64
		used, limit int
		want        bool
	}{{0.9, 89_999, 100_000, false}, {0.9, 90_000, 100_000, true}, {0.9, 5, 0, false}, {0.9, 650, 700, true}, {0, 100, 100, false}, {1, 100, 100, true}} {
		if got := budget.InReserve(c.share, c.used, c.limit, true); (got != nil) != c.want {
			t.Errorf("InReserve(%v, %d, %d) = %+v", c.share, c.used, c.limit, got)
		}
	}
	if got := budget.InReserve(0.9, 100, 100, false); got != nil {
		t.Errorf("an unknown use is in the reserve: %+v", got)
	}
}

// TestSavingLoads: saving serves a stale entry without refreshing it and
// does not force; only a missing value is loaded.
func TestSavingLoads(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	l := cache.NewLoader(cache.LoaderOptions{Cache: cache.NewMemory(100, clk.now), Now: clk.now})
	m := cache.NewMemo(100)
	p := cache.Policy{Fresh: time.Minute, Stale: time.Hour}
	calls := 0
	fetch := func(context.Context) (int, error) { calls++; return calls, nil }
	ctx := context.Background()
	load := func(force, saving bool) int {
		t.Helper()
		v, err := budget.LoadJSON(ctx, l, m, "k", p, force, saving, clk.now(), fetch)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := load(false, true); v != 1 || calls != 1 {
		t.Fatalf("a missing value: %d after %d calls", v, calls)
	}
	if v := load(true, true); v != 1 || calls != 1 {
		t.Errorf("a forced load while saving called upstream: %d after %d calls", v, calls)
	}
	clk.add(10 * time.Minute) // stale
	if v := load(false, true); v != 1 {
		t.Errorf("a stale value while saving: %d", v)
	}
	time.Sleep(50 * time.Millisecond) // a background refresh would have run by now
	if calls != 1 {
		t.Errorf("saving still refreshed a stale value in the background (%d calls)", calls)
	}
	if v := load(true, false); v != 2 || calls != 2 {
		t.Errorf("a forced load when not saving: %d after %d calls", v, calls)
	}
	clk.add(2 * time.Hour) // gone
	if v := load(false, true); v != 3 {
		t.Errorf("an expired value while saving was not loaded: %d", v)
	}

	// Fresh-only reads load a stale value again before using it.
	clk.add(2 * time.Minute)
	v, err := budget.LoadFreshJSON(ctx, l, m, "k", p, clk.now(), fetch)
	if err != nil || v != 4 {
		t.Errorf("a stale value read fresh-only: %d, %v", v, err)
	}
	v, err = budget.LoadFreshJSON(ctx, l, m, "k", p, clk.now(), fetch)
	if err != nil || v != 4 || calls != 4 {
		t.Errorf("a fresh value read fresh-only: %d after %d calls, %v", v, calls, err)
	}
	failing := func(context.Context) (int, error) { return 0, errors.New("down") }
	if _, err := budget.LoadFreshJSON(ctx, l, m, "other", p, clk.now(), failing); err == nil {
		t.Error("a failed load was not reported")
	}
}
