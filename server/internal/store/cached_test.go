package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/store"
)

// flaky is a Store whose reads can be made to fail, counting them.
type flaky struct {
	crossview.Store
	down  bool
	reads int
	t     crossview.Tenant
	cs    []crossview.Connection
}

func (f *flaky) Tenant(context.Context, string) (crossview.Tenant, error) {
	f.reads++
	if f.down {
		return crossview.Tenant{}, errors.New("redis: connection refused")
	}
	return f.t, nil
}

func (f *flaky) Connections(context.Context, string) ([]crossview.Connection, error) {
	f.reads++
	if f.down {
		return nil, errors.New("redis: connection refused")
	}
	return f.cs, nil
}

func (f *flaky) PutConnection(_ context.Context, c crossview.Connection) error {
	f.cs = []crossview.Connection{c}
	return nil
}

func TestCachedServesFromMemoryAndThroughOutages(t *testing.T) {
	now := time.Unix(1000, 0)
	f := &flaky{t: crossview.Tenant{Subdomain: "acme", AppID: 1}, cs: []crossview.Connection{{ID: "c1", Name: "one"}}}
	c := store.NewCached(f, 5*time.Second, time.Minute, func() time.Time { return now })
	ctx := context.Background()
	for range 10 {
		if _, err := c.Tenant(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Connections(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
	}
	if f.reads != 2 {
		t.Fatalf("%d backend reads for 10 panels within the TTL, want 2", f.reads)
	}
	// A write through the cache shows at once.
	if err := c.PutConnection(ctx, crossview.Connection{ID: "c1", Tenant: "acme", Name: "renamed"}); err != nil {
		t.Fatal(err)
	}
	if cs, _ := c.Connections(ctx, "acme"); cs[0].Name != "renamed" {
		t.Fatalf("after a write: %q", cs[0].Name)
	}
	// The backend goes away: the last copy serves for maxStale, then errors.
	f.down = true
	now = now.Add(30 * time.Second)
	if _, err := c.Tenant(ctx, "acme"); err != nil {
		t.Fatalf("30 s into an outage: %v", err)
	}
	now = now.Add(time.Minute)
	if _, err := c.Connections(ctx, "acme"); err == nil {
		t.Fatal("served a copy older than maxStale")
	}
}
