package boltstore_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/boltstore"
	"github.com/crossview/crossview/server/internal/store/storetest"
)

func open(t *testing.T, path string) *boltstore.Backend {
	t.Helper()
	b, err := boltstore.Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() }) // may already be closed by the test
	return b
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Target{
		Open: func(t *testing.T) (store.Backend, storetest.RawReader) {
			path := filepath.Join(t.TempDir(), "crossview.db")
			b := open(t, path)
			// The file itself, as a backup or a stolen disk would show it.
			raw := func(t *testing.T) []byte {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("reading %s: %v", path, err)
				}
				return data
			}
			return b, raw
		},
	})
}

func TestOpenCreatesPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "nested", "crossview.db")
	open(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("file mode = %v, want 0600: it holds sealed tokens", perm)
	}
}

func TestOpenLockedFileFailsClearly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crossview.db")
	open(t, path)
	start := time.Now()
	_, err := boltstore.Open(path)
	if err == nil {
		t.Fatal("a second Open of a file in use succeeded")
	}
	if !strings.Contains(err.Error(), "locked by another process") {
		t.Fatalf("second Open error = %q, want it to say the file is locked", err)
	}
	if waited := time.Since(start); waited > 5*boltstore.LockTimeout {
		t.Fatalf("second Open took %v to fail", waited)
	}
}

func TestRecordsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crossview.db")
	key := make([]byte, secret.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keys, err := secret.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }

	first := store.New(open(t, path), keys, now)
	if err := first.PutTenant(ctx, crossview.Tenant{Subdomain: "acme", AppID: 1, APIToken: "api-token"}); err != nil {
		t.Fatal(err)
	}
	c := crossview.NewConnection("acme", crossview.Sandbox, "00D5g000004ABCDEA2", "https://acme--dev.sandbox.my.salesforce.com", now())
	if err := first.PutConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := first.PutToken(ctx, c.ID, crossview.Token{RefreshToken: "refresh"}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := first.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded on a closed store")
	}

	second := store.New(open(t, path), keys, now)
	if tn, err := second.Tenant(ctx, "acme"); err != nil || tn.APIToken != "api-token" {
		t.Fatalf("Tenant after reopen: %v", err)
	}
	if got, err := second.ConnectionsByOrg(ctx, "00D5g000004ABCD"); err != nil || len(got) != 1 || got[0].ID != c.ID {
		t.Fatalf("ConnectionsByOrg after reopen: %v", err)
	}
	if tok, err := second.Token(ctx, c.ID); err != nil || tok.RefreshToken != "refresh" {
		t.Fatalf("Token after reopen: %v", err)
	}
}
