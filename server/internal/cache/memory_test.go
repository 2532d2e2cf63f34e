package cache_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
)

func TestMemoryEvictsLeastRecentlyUsed(t *testing.T) {
	ctx := context.Background()
	m := cache.NewMemory(3, newFakeClock().Now)
	for _, k := range []string{"a", "b", "c"} {
		if err := m.Set(ctx, k, cache.Entry{Value: []byte(k)}, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok, _ := m.Get(ctx, "a"); !ok { // a is now the most recently used
		t.Fatal("a missing")
	}
	if err := m.Set(ctx, "d", cache.Entry{Value: []byte("d")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
		if _, ok, _ := m.Get(ctx, k); ok != want {
			t.Errorf("after eviction Get(%q) ok = %v, want %v", k, ok, want)
		}
	}
	if m.Len() != 3 {
		t.Fatalf("Len = %d, want the bound 3", m.Len())
	}
}

func TestMemoryStaysBoundedUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	m := cache.NewMemory(50, time.Now)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := fmt.Sprintf("k%d", (g*500+i)%120)
				_ = m.Set(ctx, k, cache.Entry{Value: []byte(k)}, time.Minute)
				if e, ok, _ := m.Get(ctx, k); ok && string(e.Value) != k {
					t.Errorf("Get(%q) = %q", k, e.Value)
				}
				if i%50 == 0 {
					_ = m.Delete(ctx, k)
				}
			}
		}()
	}
	wg.Wait()
	if n := m.Len(); n > 50 {
		t.Fatalf("Len = %d after concurrent use, want at most 50", n)
	}
}
