package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
)

func testSecretsSealedAtRest(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	tn := tenantFixture("acme")
	tn.APIToken = "PLAINTEXT-zendesk-api-token-4f1c"
	tn.OAuthToken = "PLAINTEXT-zendesk-oauth-token-9a2e"
	tn.WebhookSecret = "PLAINTEXT-zendesk-webhook-secret-77d0"
	tn.SyncWebhookSecrets = map[string]string{"conn_a": "PLAINTEXT-sync-webhook-secret-31b5"}
	if err := s.PutTenant(ctx, tn); err != nil {
		t.Fatal(err)
	}
	c := connectionFixture("acme", "conn_a", orgA)
	c.Name = "Visible Connection Name"
	mustPutConnection(t, s, c)
	tok := tokenFixture(1)
	tok.AccessToken = "PLAINTEXT-salesforce-access-token-00Dxx!AQ"
	tok.RefreshToken = "PLAINTEXT-salesforce-refresh-token-5Aep86"
	if err := s.PutToken(ctx, "conn_a", tok); err != nil {
		t.Fatal(err)
	}

	raw := e.raw(t)
	// The reader must see the records, or finding no secret proves nothing.
	for _, visible := range []string{"admin@acme.example", "Visible Connection Name", orgA} {
		if !bytes.Contains(raw, []byte(visible)) {
			t.Fatalf("raw backend bytes lack the non-secret %q; the RawReader does not read what the backend stores", visible)
		}
	}
	for _, secretValue := range []string{tn.APIToken, tn.OAuthToken, tn.WebhookSecret, tn.SyncWebhookSecrets["conn_a"], tok.AccessToken, tok.RefreshToken, "PLAINTEXT"} {
		if bytes.Contains(raw, []byte(secretValue)) {
			t.Errorf("raw backend bytes contain the secret %q in plaintext", secretValue)
		}
	}
	if !bytes.Contains(raw, []byte(`"kid":"`+e.keys.PrimaryID()+`"`)) {
		t.Errorf("raw backend bytes do not name the sealing key %q", e.keys.PrimaryID())
	}
}

func testOtherKeyring(t *testing.T, e *env) {
	ctx := context.Background()
	mustPutTenants(t, e.store, "acme")
	mustPutConnection(t, e.store, connectionFixture("acme", "conn_a", orgA))
	if err := e.store.PutToken(ctx, "conn_a", tokenFixture(1)); err != nil {
		t.Fatal(err)
	}

	// A deployment started with another key cannot open the secrets, and
	// says which key it is missing.
	other := e.open(newKeyring(t))
	_, err := other.Tenant(ctx, "acme")
	if !errors.Is(err, secret.ErrUnknownKey) || !strings.Contains(err.Error(), e.keys.PrimaryID()) || !strings.Contains(err.Error(), `tenant "acme"`) {
		t.Fatalf("Tenant with another keyring: error = %v; want secret.ErrUnknownKey naming key %s and the tenant", err, e.keys.PrimaryID())
	}
	if _, err := other.Tenants(ctx); !errors.Is(err, secret.ErrUnknownKey) {
		t.Fatalf("Tenants with another keyring: error = %v; want secret.ErrUnknownKey", err)
	}
	_, err = other.Token(ctx, "conn_a")
	if !errors.Is(err, secret.ErrUnknownKey) || !strings.Contains(err.Error(), "conn_a") {
		t.Fatalf("Token with another keyring: error = %v; want secret.ErrUnknownKey naming the connection", err)
	}
	if errors.Is(err, crossview.ErrNotFound) {
		t.Fatal("a token that cannot be opened reads as not found")
	}

	// A key configured under the same id but with other bytes is caught too.
	wrong, err := secret.NewKeyring(e.keys.PrimaryID(), map[string][]byte{e.keys.PrimaryID(): newKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.open(wrong).Token(ctx, "conn_a"); !errors.Is(err, secret.ErrOpen) {
		t.Fatalf("Token with a different key under the same id: error = %v; want secret.ErrOpen", err)
	}

	// Records without secrets still read, so an admin can see what broke.
	if c, err := other.Connection(ctx, "conn_a"); err != nil || c.OrgID != orgA {
		t.Fatalf("Connection with another keyring = %v, %v; connections hold no secrets and must still read", c.ID, err)
	}
}

func testKeyRotation(t *testing.T, e *env) {
	ctx := context.Background()
	mustPutTenants(t, e.store, "acme")
	mustPutConnection(t, e.store, connectionFixture("acme", "conn_a", orgA))
	if err := e.store.PutToken(ctx, "conn_a", tokenFixture(1)); err != nil {
		t.Fatal(err)
	}

	// Rotate: a new primary, the old key kept for reading.
	oldID := e.keys.PrimaryID()
	rotatedKeys := newKeyring(t, e.primaryKey)
	rotated := e.open(rotatedKeys)
	if got, err := rotated.Token(ctx, "conn_a"); err != nil || got.RefreshToken != tokenFixture(1).RefreshToken {
		t.Fatalf("Token after rotation: %v", err)
	}
	if got, err := rotated.Tenant(ctx, "acme"); err != nil || got.APIToken != tenantFixture("acme").APIToken {
		t.Fatalf("Tenant after rotation: %v", err)
	}
	// New writes use the new key, so the old one can be retired once every
	// record has been written again.
	if err := rotated.PutToken(ctx, "conn_a", tokenFixture(2)); err != nil {
		t.Fatal(err)
	}
	raw := e.raw(t)
	if !bytes.Contains(raw, []byte(`"kid":"`+rotatedKeys.PrimaryID()+`"`)) {
		t.Fatalf("a token written after rotation is not sealed with the new key %s", rotatedKeys.PrimaryID())
	}
	onlyOld := e.store
	if _, err := onlyOld.Token(ctx, "conn_a"); !errors.Is(err, secret.ErrUnknownKey) {
		t.Fatalf("a replica without the new key reading a resealed token: error = %v; want ErrUnknownKey", err)
	}
	if _, err := onlyOld.Tenant(ctx, "acme"); err != nil {
		t.Fatalf("a record not yet resealed under %s stopped opening with its own key: %v", oldID, err)
	}
}

func testCiphertextBoundToRecord(t *testing.T, e *env) {
	ctx := context.Background()
	mustPutTenants(t, e.store, "acme")
	mustPutConnection(t, e.store, connectionFixture("acme", "conn_a", orgA))
	mustPutConnection(t, e.store, connectionFixture("acme", "conn_b", orgB))
	if err := e.store.PutToken(ctx, "conn_a", tokenFixture(1)); err != nil {
		t.Fatal(err)
	}
	// Someone with write access to the data copies conn_a's sealed token
	// into conn_b, hoping conn_b's users get conn_a's grant.
	sealed, err := e.backend.Get(ctx, "acme", "tokens", "conn_a")
	if err != nil {
		t.Fatalf("reading the sealed token where the store layout says it is (acme/tokens/conn_a): %v", err)
	}
	if err := e.backend.Put(ctx, "acme", "tokens", "conn_b", sealed); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Token(ctx, "conn_b"); !errors.Is(err, secret.ErrOpen) {
		t.Fatalf("Token of a record holding another record's ciphertext: error = %v; want secret.ErrOpen", err)
	}
	if _, err := e.store.Token(ctx, "conn_a"); err != nil {
		t.Fatalf("the original still opens: %v", err)
	}
}
