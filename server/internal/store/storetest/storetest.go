// Package storetest is the conformance suite every store.Backend must pass.
// It drives the backend through store.Store, so it checks the crossview.Store
// contract (not-found errors, validation, indexes, ordering, sealing) and the
// backend's own behaviour together, on the bytes the backend really keeps.
package storetest

import (
	"crypto/rand"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
)

// RawReader returns every byte a backend holds, read around the Backend
// interface (the file on disk, every Redis key and value), so the suite can
// look for plaintext secrets where an attacker with the data would.
type RawReader func(t *testing.T) []byte

// Target is a backend under test.
type Target struct {
	// Open returns a fresh, empty backend and a reader of its raw bytes.
	// It is called once per subtest and cleans up after itself with
	// t.Cleanup. The suite may wrap one backend in several Stores.
	Open func(t *testing.T) (store.Backend, RawReader)
}

// Run runs the suite against target.
func Run(t *testing.T, target Target) {
	tests := []struct {
		name string
		fn   func(t *testing.T, e *env)
	}{
		{"TenantCRUD", testTenantCRUD},
		{"TenantValidation", testTenantValidation},
		{"ConnectionCRUD", testConnectionCRUD},
		{"ConnectionValidation", testConnectionValidation},
		{"ConnectionOrdering", testConnectionOrdering},
		{"ConnectionsByOrg", testConnectionsByOrg},
		{"Tokens", testTokens},
		{"SecretsSealedAtRest", testSecretsSealedAtRest},
		{"OtherKeyring", testOtherKeyring},
		{"KeyRotation", testKeyRotation},
		{"CiphertextBoundToRecord", testCiphertextBoundToRecord},
		{"ConcurrentPutConnection", testConcurrentPutConnection},
		{"Preferences", testPreferences},
		{"Audit", testAudit},
		{"AdminSessions", testAdminSessions},
		{"AdminSessionsSwept", testAdminSessionsSwept},
		{"AdminSessionsSealed", testAdminSessionsSealed},
		{"AdminSessionValidation", testAdminSessionValidation},
		{"Ping", testPing},
		{"BackendCount", testBackendCount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, raw := target.Open(t)
			e := &env{backend: b, raw: raw, clock: &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}}
			e.primaryKey = newKey(t)
			e.keys = keyring(t, e.primaryKey)
			e.store = e.open(e.keys)
			tt.fn(t, e)
		})
	}
}

// env is one subtest's backend and the store over it.
type env struct {
	backend store.Backend
	raw     RawReader
	clock   *clock
	keys    *secret.Keyring
	// primaryKey is the bytes of keys' primary key, which a keyring never
	// gives back, for building a rotated keyring that still holds it.
	primaryKey []byte
	store      crossview.Store
}

// open wraps the subtest's backend in another Store, as another replica or
// a restarted process with a different keyring would.
func (e *env) open(keys *secret.Keyring) crossview.Store {
	return store.New(e.backend, keys, e.clock.Now)
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, secret.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

// newKeyring returns a keyring with a new primary key and more old keys.
func newKeyring(t *testing.T, more ...[]byte) *secret.Keyring {
	t.Helper()
	return keyring(t, newKey(t), more...)
}

func keyring(t *testing.T, primary []byte, more ...[]byte) *secret.Keyring {
	t.Helper()
	keys := map[string][]byte{secret.KeyID(primary): primary}
	for _, k := range more {
		keys[secret.KeyID(k)] = k
	}
	k, err := secret.NewKeyring(secret.KeyID(primary), keys)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
