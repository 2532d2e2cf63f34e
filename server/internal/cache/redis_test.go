package cache_test

import (
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/redistest"
)

func TestRedisKeysAndEncoding(t *testing.T) {
	ctx := context.Background()
	client := redistest.Start(t).Client(t)
	c := cache.NewRedis(client, "crossview:cache:")
	value := make([]byte, 4096)
	for i := range value {
		value[i] = byte(i * 7)
	}
	now := time.Now()
	if err := c.Set(ctx, "{acme}:sidebar:42", cache.Entry{Value: value, StoredAt: now, FreshUntil: now.Add(time.Minute)}, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	keys, err := client.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "crossview:cache:{acme}:sidebar:42" {
		t.Fatalf("keys = %q, want exactly the prefixed key", keys)
	}
	ttl, err := client.PTTL(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Fatalf("PTTL = %v, want about 10m: every cache key must expire", ttl)
	}
	size, err := client.StrLen(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if size > int64(len(value))+32 {
		t.Fatalf("a %d-byte value takes %d bytes in Redis; the encoding should add a small fixed header, not inflate the value", len(value), size)
	}
}

func TestRedisForeignValueIsAnError(t *testing.T) {
	ctx := context.Background()
	client := redistest.Start(t).Client(t)
	c := cache.NewRedis(client, "cv:")
	if err := client.Set(ctx, "cv:{a}:k", "not an entry", time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.Get(ctx, "{a}:k"); err == nil || ok {
		t.Fatalf("Get of a value the cache did not write = ok %v, err %v; want an error", ok, err)
	}
}
