package cache_test

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/redistest"
)

// BenchmarkLoaderHit measures a warm Load of a 4 KB panel, the path every
// warm sidebar request takes. Run with:
//
//	go test -run '^$' -bench BenchmarkLoaderHit ./server/internal/cache/
func BenchmarkLoaderHit(b *testing.B) {
	caches := []struct {
		name string
		open func(b *testing.B) cache.Cache
	}{
		{"memory", func(*testing.B) cache.Cache { return cache.NewMemory(10_000, time.Now) }},
		{"redis", func(b *testing.B) cache.Cache {
			b.Helper()
			return cache.NewRedis(redistest.Start(b).Client(b), "cv:")
		}},
	}
	for _, c := range caches {
		b.Run(c.name, func(b *testing.B) {
			var notHit atomic.Int64
			l := cache.NewLoader(cache.LoaderOptions{
				Cache: c.open(b),
				OnResult: func(r string) {
					if r != cache.ResultHit {
						notHit.Add(1)
					}
				},
			})
			page := bytes.Repeat([]byte("x"), 4096)
			fn := func(context.Context) ([]byte, error) { return page, nil }
			p := cache.Policy{Fresh: time.Hour, Stale: time.Hour}
			ctx := context.Background()
			if _, err := l.Load(ctx, "{acme}:sidebar:42", p, false, fn); err != nil {
				b.Fatal(err)
			}
			notHit.Store(0)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					e, err := l.Load(ctx, "{acme}:sidebar:42", p, false, fn)
					if err != nil || len(e.Value) != len(page) {
						b.Errorf("Load = %d bytes, %v", len(e.Value), err)
						return
					}
				}
			})
			if n := notHit.Load(); n != 0 {
				b.Fatalf("%d Loads were not hits; the benchmark measured something else", n)
			}
		})
	}
}
