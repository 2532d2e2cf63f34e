package cache

import (
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
)

// Two replicas share one Redis: a load on one is a hit on the other, and a
// deletion on one reaches the other's first tier at once.
func TestTieredAcrossReplicas(t *testing.T) {
	srv := redistest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	replica := func() *Tiered {
		r := NewRedis(srv.Client(t), "cv:cache:")
		tc := NewTiered(NewMemory(100, time.Now), r, time.Minute, time.Second, r)
		go r.SubscribeInvalidations(ctx, tc.Forget)
		return tc
	}
	a, b := replica(), replica()
	time.Sleep(100 * time.Millisecond) // let both subscriptions start
	e := Entry{Value: []byte("v1"), StoredAt: time.Now(), FreshUntil: time.Now().Add(time.Minute)}
	if err := a.Set(ctx, "{acme}:k", e, time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := b.Get(ctx, "{acme}:k"); err != nil || !ok || string(got.Value) != "v1" {
		t.Fatalf("replica b: %q %v %v", got.Value, ok, err)
	}
	// b now holds k in its first tier; a deletes it.
	if err := a.Delete(ctx, "{acme}:k"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, ok, _ := b.Get(ctx, "{acme}:k"); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("replica b still serves a key deleted on replica a")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
