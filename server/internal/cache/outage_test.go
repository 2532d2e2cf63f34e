package cache_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// TestLoaderSurvivesRedisOutage kills a real redis-server under a Loader
// with go-redis's default client options: Loads must keep answering from
// fn, quickly, and the outage must be logged once, not once per Load.
func TestLoaderSurvivesRedisOutage(t *testing.T) {
	srv := redistest.StartLocal(t)
	logs := &logCounter{}
	res := &results{}
	l := cache.NewLoader(cache.LoaderOptions{
		Cache:       cache.NewRedis(srv.Client(t), "cv:"),
		Logger:      slog.New(logs),
		OnResult:    res.record,
		LogInterval: time.Hour,
	})
	ctx := context.Background()
	var calls atomic.Int32
	mustLoad(t, l, "{acme}:k", false, value("cached", &calls))
	if e := mustLoad(t, l, "{acme}:k", false, value("live", &calls)); string(e.Value) != "cached" {
		t.Fatalf("Load with Redis up = %q, want the cached value", e.Value)
	}

	srv.Kill(t)
	start := time.Now()
	for i := range 40 {
		key := fmt.Sprintf("{acme}:k%d", i%4)
		want := fmt.Sprintf("live %d", i)
		e, err := l.Load(ctx, key, policy, false, func(context.Context) ([]byte, error) { return []byte(want), nil })
		if err != nil || string(e.Value) != want {
			t.Fatalf("Load %d with Redis down = %q, %v; want fn's %q", i, e.Value, err, want)
		}
	}
	// Still single-flighted in this process.
	release := make(chan struct{})
	var shared atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := l.Load(ctx, "{acme}:hot", policy, false, func(context.Context) ([]byte, error) {
				shared.Add(1)
				<-release
				return []byte("hot"), nil
			})
			if err != nil || string(e.Value) != "hot" {
				t.Errorf("concurrent Load with Redis down = %q, %v", e.Value, err)
			}
		}()
	}
	waitFor(t, func() bool { return res.get()[cache.ResultError] >= 60 })
	close(release)
	wg.Wait()
	if n := shared.Load(); n != 1 {
		t.Fatalf("20 concurrent Loads with Redis down called fn %d times, want 1", n)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("60 Loads with Redis down took %v; a dead cache must not slow every Load", elapsed)
	}
	if got := res.get()[cache.ResultError]; got != 60 {
		t.Fatalf("%d Loads counted as error, want 60", got)
	}
	if n := logs.count(slog.LevelWarn); n != 1 {
		t.Fatalf("the outage was logged %d times, want once per interval", n)
	}
}

// TestLoaderUsesCacheAgainAfterRecovery checks that after CacheRetry the
// Loader tries the cache again and goes back to serving hits.
func TestLoaderUsesCacheAgainAfterRecovery(t *testing.T) {
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = client.Close() })
	clock := newFakeClock()
	logs := &logCounter{}
	res := &results{}
	l := cache.NewLoader(cache.LoaderOptions{
		Cache: cache.NewRedis(client, "cv:"), Now: clock.Now, Logger: slog.New(logs),
		OnResult: res.record, CacheRetry: 5 * time.Second,
	})
	var calls atomic.Int32

	mr.Close()
	mustLoad(t, l, "k", false, value("v1", &calls))
	mustLoad(t, l, "k", false, value("v2", &calls)) // resting: the cache is not tried
	if got := res.get()[cache.ResultError]; got != 2 {
		t.Fatalf("results with Redis down = %v, want 2 errors", res.get())
	}
	if err := mr.Restart(); err != nil {
		t.Fatal(err)
	}
	mustLoad(t, l, "k", false, value("v3", &calls))
	if got := res.get()[cache.ResultError]; got != 3 {
		t.Fatalf("the Loader used the cache again before CacheRetry passed: %v", res.get())
	}

	clock.Advance(5 * time.Second)
	if e := mustLoad(t, l, "k", false, value("v4", &calls)); string(e.Value) != "v4" {
		t.Fatalf("first Load after recovery = %q, want a fresh load", e.Value)
	}
	if e := mustLoad(t, l, "k", false, value("v5", &calls)); string(e.Value) != "v4" {
		t.Fatalf("second Load after recovery = %q, want the cached v4", e.Value)
	}
	if got := res.get(); got[cache.ResultHit] != 1 || got[cache.ResultMiss] != 1 {
		t.Fatalf("results after recovery = %v, want a miss then a hit", got)
	}
	if logs.count(slog.LevelInfo) != 1 {
		t.Fatalf("recovery logged %d times, want once", logs.count(slog.LevelInfo))
	}
}
