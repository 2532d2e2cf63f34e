package cache_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/crossview/crossview/server/internal/cache"
)

func TestLoaderInvalidate(t *testing.T) {
	l, mem, _, _ := setup(t)
	ctx := context.Background()
	var calls atomic.Int32
	mustLoad(t, l, "{acme}:ticket:1", false, value("open", &calls))
	mustLoad(t, l, "{acme}:ticket:2", false, value("open", &calls))
	if err := l.Invalidate(ctx, "{acme}:ticket:1"); err != nil {
		t.Fatalf("Invalidate: %v", err)
	}
	if e := mustLoad(t, l, "{acme}:ticket:1", false, value("solved", &calls)); string(e.Value) != "solved" {
		t.Fatalf("Load after Invalidate = %q, want solved", e.Value)
	}
	if e := mustLoad(t, l, "{acme}:ticket:2", false, value("solved", &calls)); string(e.Value) != "open" {
		t.Fatalf("Invalidate removed another key")
	}

	// A webhook invalidates a key while a load that read the old data is
	// still under way: that load's result must not stay cached.
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_, _ = l.Load(ctx, "{acme}:ticket:3", policy, false, func(context.Context) ([]byte, error) {
			close(started)
			<-release
			return []byte("open (read before the change)"), nil
		})
	}()
	<-started
	if err := l.Invalidate(ctx, "{acme}:ticket:3"); err != nil {
		t.Fatal(err)
	}
	close(release)
	waitFor(t, func() bool {
		_, ok, _ := mem.Get(ctx, "{acme}:ticket:3")
		e, err := l.Load(ctx, "{acme}:ticket:3", policy, false, value("solved", &calls))
		return !ok && err == nil && string(e.Value) == "solved"
	})
}

func TestLoaderZeroPolicyCachesNothing(t *testing.T) {
	l, mem, _, _ := setup(t)
	var calls atomic.Int32
	for range 3 {
		if _, err := l.Load(context.Background(), "k", cache.Policy{}, false, value("v", &calls)); err != nil {
			t.Fatal(err)
		}
	}
	if calls.Load() != 3 || mem.Len() != 0 {
		t.Fatalf("zero policy: %d calls, %d cached; want 3 and 0", calls.Load(), mem.Len())
	}
}
