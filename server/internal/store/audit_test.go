package store_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/boltstore"
)

// countingBackend counts full reads of audit tables, which only a
// retention sweep does on the append path.
type countingBackend struct {
	store.Backend
	mu    sync.Mutex
	lists int
}

func (b *countingBackend) List(ctx context.Context, partition, table string) ([][]byte, error) {
	if table == "audit" {
		b.mu.Lock()
		b.lists++
		b.mu.Unlock()
	}
	return b.Backend.List(ctx, partition, table)
}

func (b *countingBackend) sweeps() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lists
}

// An append sweeps a tenant's expired entries at most once an hour, so a
// busy admin's appends cost one write each, not a read of a year of log.
func TestAuditSweepsAtMostHourly(t *testing.T) {
	ctx := context.Background()
	bolt, err := boltstore.Open(filepath.Join(t.TempDir(), "crossview.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bolt.Close() })
	b := &countingBackend{Backend: bolt}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s := store.New(b, testKeys(t), func() time.Time { return now })
	for _, sub := range []string{"acme", "globex"} {
		if err := s.PutTenant(ctx, crossview.Tenant{Subdomain: sub, AppID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	appendAt := func(tenant string) {
		t.Helper()
		if err := s.AppendAudit(ctx, tenant, crossview.AuditEntry{Actor: "cli", Action: "feature.enable"}); err != nil {
			t.Fatal(err)
		}
	}

	for _, step := range []struct {
		advance time.Duration
		tenant  string
		sweeps  int
	}{
		{0, "acme", 1},                  // first append of the process sweeps
		{time.Minute, "acme", 1},        // within the hour: no sweep
		{58 * time.Minute, "acme", 1},   // still within it
		{0, "globex", 2},                // another tenant has its own hour
		{time.Minute, "acme", 3},        // an hour after acme's sweep: sweep again
		{10 * time.Minute, "globex", 3}, // globex's hour is not over
	} {
		now = now.Add(step.advance)
		appendAt(step.tenant)
		if got := b.sweeps(); got != step.sweeps {
			t.Fatalf("after appending to %s at %s: %d sweeps, want %d", step.tenant, now.Format(time.TimeOnly), got, step.sweeps)
		}
	}
}

func testKeys(t *testing.T) *secret.Keyring {
	t.Helper()
	k := make([]byte, secret.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	keys, err := secret.NewKeyring(secret.KeyID(k), map[string][]byte{secret.KeyID(k): k})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
