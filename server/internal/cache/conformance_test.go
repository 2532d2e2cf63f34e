package cache_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/redistest"
)

// cacheUnderTest is one Cache implementation and a way to let time pass
// for its TTLs.
type cacheUnderTest struct {
	name string
	open func(t *testing.T) (c cache.Cache, pass func(time.Duration))
}

func implementations() []cacheUnderTest {
	return []cacheUnderTest{
		{"Memory", func(t *testing.T) (cache.Cache, func(time.Duration)) {
			clock := newFakeClock()
			return cache.NewMemory(100, clock.Now), clock.Advance
		}},
		{"Redis", func(t *testing.T) (cache.Cache, func(time.Duration)) {
			client := redistest.Start(t).Client(t)
			return cache.NewRedis(client, "cv:cache:"), time.Sleep
		}},
	}
}

func TestCacheConformance(t *testing.T) {
	for _, impl := range implementations() {
		t.Run(impl.name, func(t *testing.T) {
			t.Run("RoundTrip", func(t *testing.T) {
				c, _ := impl.open(t)
				testRoundTrip(t, c)
			})
			t.Run("DeleteAndOverwrite", func(t *testing.T) {
				c, _ := impl.open(t)
				testDeleteAndOverwrite(t, c)
			})
			t.Run("RequiresTTL", func(t *testing.T) {
				c, _ := impl.open(t)
				testRequiresTTL(t, c)
			})
			t.Run("Expiry", func(t *testing.T) {
				c, pass := impl.open(t)
				testExpiry(t, c, pass)
			})
		})
	}
}

func testRoundTrip(t *testing.T, c cache.Cache) {
	ctx := context.Background()
	if _, ok, err := c.Get(ctx, "{acme}:k"); ok || err != nil {
		t.Fatalf("Get on an empty cache = ok %v, err %v; want a plain miss", ok, err)
	}
	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	stored := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	tests := []struct {
		key   string
		entry cache.Entry
	}{
		{"{acme}:html", cache.Entry{Value: []byte("<section>Acme</section>"), StoredAt: stored, FreshUntil: stored.Add(30 * time.Second)}},
		{"{acme}:binary", cache.Entry{Value: allBytes, StoredAt: stored, FreshUntil: stored}},
		{"{acme}:empty", cache.Entry{Value: []byte{}, StoredAt: stored, FreshUntil: stored.Add(time.Hour)}},
		{"{acme}:no times", cache.Entry{Value: []byte("x")}},
	}
	for _, tt := range tests {
		buf := append([]byte(nil), tt.entry.Value...)
		in := tt.entry
		in.Value = buf
		if err := c.Set(ctx, tt.key, in, time.Minute); err != nil {
			t.Fatalf("Set(%q): %v", tt.key, err)
		}
		// The caller reusing its buffer must not change the cached value.
		for i := range buf {
			buf[i] ^= 0xff
		}
	}
	for _, tt := range tests {
		got, ok, err := c.Get(ctx, tt.key)
		if err != nil || !ok {
			t.Fatalf("Get(%q) = ok %v, err %v", tt.key, ok, err)
		}
		if !bytes.Equal(got.Value, tt.entry.Value) {
			t.Errorf("Get(%q).Value = %q, want %q", tt.key, got.Value, tt.entry.Value)
		}
		if !got.StoredAt.Equal(tt.entry.StoredAt) || !got.FreshUntil.Equal(tt.entry.FreshUntil) {
			t.Errorf("Get(%q) times = %v, %v; want %v, %v", tt.key, got.StoredAt, got.FreshUntil, tt.entry.StoredAt, tt.entry.FreshUntil)
		}
	}
	if _, ok, _ := c.Get(ctx, "{acme}:htm"); ok {
		t.Fatal("a prefix of a key hit")
	}
}

func testDeleteAndOverwrite(t *testing.T, c cache.Cache) {
	ctx := context.Background()
	for _, k := range []string{"{a}:1", "{b}:2", "{c}:3"} {
		if err := c.Set(ctx, k, cache.Entry{Value: []byte(k)}, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Set(ctx, "{c}:3", cache.Entry{Value: []byte("new")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := c.Get(ctx, "{c}:3"); string(got.Value) != "new" {
		t.Fatalf("after overwrite Get = %q, want new", got.Value)
	}
	// Keys of different tenants (Cluster slots) and missing keys in one call.
	if err := c.Delete(ctx, "{a}:1", "{b}:2", "{z}:missing"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := c.Delete(ctx); err != nil {
		t.Fatalf("Delete of no keys: %v", err)
	}
	for k, want := range map[string]bool{"{a}:1": false, "{b}:2": false, "{c}:3": true} {
		if _, ok, err := c.Get(ctx, k); ok != want || err != nil {
			t.Errorf("Get(%q) after Delete = ok %v, err %v; want ok %v", k, ok, err, want)
		}
	}
}

func testRequiresTTL(t *testing.T, c cache.Cache) {
	ctx := context.Background()
	for _, ttl := range []time.Duration{0, -time.Second} {
		if err := c.Set(ctx, "{a}:k", cache.Entry{Value: []byte("v")}, ttl); err == nil {
			t.Errorf("Set with ttl %v succeeded; every cache key must expire", ttl)
		}
	}
	if _, ok, _ := c.Get(ctx, "{a}:k"); ok {
		t.Fatal("a Set without a TTL stored the entry")
	}
}

func testExpiry(t *testing.T, c cache.Cache, pass func(time.Duration)) {
	ctx := context.Background()
	if err := c.Set(ctx, "{a}:short", cache.Entry{Value: []byte("v")}, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := c.Set(ctx, "{a}:long", cache.Entry{Value: []byte("v")}, time.Minute); err != nil {
		t.Fatal(err)
	}
	pass(100 * time.Millisecond)
	if _, ok, err := c.Get(ctx, "{a}:short"); !ok || err != nil {
		t.Fatalf("entry gone before its TTL: ok %v, err %v", ok, err)
	}
	pass(400 * time.Millisecond)
	if _, ok, err := c.Get(ctx, "{a}:short"); ok || err != nil {
		t.Fatalf("entry still there after its TTL: ok %v, err %v", ok, err)
	}
	if _, ok, err := c.Get(ctx, "{a}:long"); !ok || err != nil {
		t.Fatalf("an entry with a longer TTL expired too: ok %v, err %v", ok, err)
	}
}
