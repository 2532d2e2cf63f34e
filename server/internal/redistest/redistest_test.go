package redistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
)

func TestStartLocalAnswersAndKills(t *testing.T) {
	t.Setenv(redistest.EnvURL, "")
	s := redistest.Start(t)
	c := s.Client(t)
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	policy, err := c.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		t.Fatal(err)
	}
	if policy["maxmemory-policy"] != "volatile-lru" {
		t.Fatalf("maxmemory-policy = %q, want volatile-lru", policy["maxmemory-policy"])
	}
	if save := c.ConfigGet(ctx, "save").Val()["save"]; save != "" {
		t.Fatalf("save = %q, want it off", save)
	}

	s.Kill(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err == nil {
		t.Fatal("PING succeeded after Kill")
	}
}

func TestStartGivesEachCallItsOwnServer(t *testing.T) {
	t.Setenv(redistest.EnvURL, "")
	a, b := redistest.Start(t), redistest.Start(t)
	if a.URL == b.URL {
		t.Fatalf("two calls got the same server %s", a.URL)
	}
	ctx := context.Background()
	if err := a.Client(t).Set(ctx, "only-in-a", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n := b.Client(t).Exists(ctx, "only-in-a").Val(); n != 0 {
		t.Fatal("a key written to one server is visible in the other")
	}
}

func TestStartUsesAndFlushesExternalServer(t *testing.T) {
	t.Setenv(redistest.EnvURL, "")
	external := redistest.StartLocal(t)
	ctx := context.Background()
	if err := external.Client(t).Set(ctx, "left-over", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}

	t.Setenv(redistest.EnvURL, external.URL)
	got := redistest.Start(t)
	if got.URL != external.URL {
		t.Fatalf("Start URL = %s, want the external %s", got.URL, external.URL)
	}
	if n := got.Client(t).DBSize(ctx).Val(); n != 0 {
		t.Fatalf("external server holds %d keys after Start, want a flushed database", n)
	}
}
