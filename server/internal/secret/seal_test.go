package secret_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/secret"
)

func TestSealOpenRoundTrip(t *testing.T) {
	k := mustKeyring(t, "k1", map[string][]byte{"k1": newKey(t)})
	ad := []byte("connection/conn_1/token")
	for _, plaintext := range [][]byte{[]byte("refresh-token-value"), {}, bytes.Repeat([]byte{0}, 4096)} {
		s, err := k.Seal(plaintext, ad)
		if err != nil {
			t.Fatal(err)
		}
		if s.KeyID != "k1" {
			t.Fatalf("KeyID = %q, want k1", s.KeyID)
		}
		if len(plaintext) > 0 && bytes.Contains(s.Ciphertext, plaintext) {
			t.Fatal("ciphertext contains the plaintext")
		}
		// Through JSON, as stores keep it.
		raw, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back secret.Sealed
		if err := json.Unmarshal(raw, &back); err != nil {
			t.Fatal(err)
		}
		got, err := k.Open(back, ad)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, plaintext) {
			t.Fatalf("Open = %q, want %q", got, plaintext)
		}
	}
}

func TestOpenFails(t *testing.T) {
	k := mustKeyring(t, "k1", map[string][]byte{"k1": newKey(t)})
	ad := []byte("connection/conn_1/token")
	s, err := k.Seal([]byte("access-token-value"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i] ^= 1
		return c
	}
	otherSameID := mustKeyring(t, "k1", map[string][]byte{"k1": newKey(t)})

	tests := []struct {
		name    string
		keys    *secret.Keyring
		s       secret.Sealed
		ad      string
		wantErr error
		want    string
	}{
		{"wrong associated data", k, s, "connection/conn_2/token", secret.ErrOpen, "wrong key, wrong record or tampered data"},
		{"no associated data", k, s, "", secret.ErrOpen, "wrong key"},
		{"tampered ciphertext", k, secret.Sealed{KeyID: "k1", Nonce: s.Nonce, Ciphertext: flip(s.Ciphertext, 0)}, string(ad), secret.ErrOpen, "tampered"},
		{"tampered tag", k, secret.Sealed{KeyID: "k1", Nonce: s.Nonce, Ciphertext: flip(s.Ciphertext, len(s.Ciphertext)-1)}, string(ad), secret.ErrOpen, "tampered"},
		{"tampered nonce", k, secret.Sealed{KeyID: "k1", Nonce: flip(s.Nonce, 3), Ciphertext: s.Ciphertext}, string(ad), secret.ErrOpen, "tampered"},
		{"truncated nonce", k, secret.Sealed{KeyID: "k1", Nonce: s.Nonce[:4], Ciphertext: s.Ciphertext}, string(ad), secret.ErrOpen, "nonce is 4 bytes"},
		{"truncated ciphertext", k, secret.Sealed{KeyID: "k1", Nonce: s.Nonce, Ciphertext: s.Ciphertext[:3]}, string(ad), secret.ErrOpen, "tampered"},
		{"unknown key id", k, secret.Sealed{KeyID: "gone", Nonce: s.Nonce, Ciphertext: s.Ciphertext}, string(ad), secret.ErrUnknownKey, `unknown key id "gone"`},
		{"same id, different key", otherSameID, s, string(ad), secret.ErrOpen, `key "k1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.keys.Open(tt.s, []byte(tt.ad))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Open error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open error = %q, want it to contain %q", err, tt.want)
			}
			if got != nil {
				t.Fatalf("Open returned plaintext %q alongside an error", got)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	oldKey, newKeyBytes := newKey(t), newKey(t)
	oldID, newID := secret.KeyID(oldKey), secret.KeyID(newKeyBytes)
	before := mustKeyring(t, oldID, map[string][]byte{oldID: oldKey})
	ad := []byte("tenant/acme/secrets")
	sealedOld, err := before.Seal([]byte("zendesk-api-token"), ad)
	if err != nil {
		t.Fatal(err)
	}

	after := mustKeyring(t, newID, map[string][]byte{newID: newKeyBytes, oldID: oldKey})
	got, err := after.Open(sealedOld, ad)
	if err != nil {
		t.Fatalf("opening an old value after rotation: %v", err)
	}
	if string(got) != "zendesk-api-token" {
		t.Fatalf("Open = %q", got)
	}
	sealedNew, err := after.Seal(got, ad)
	if err != nil {
		t.Fatal(err)
	}
	if sealedNew.KeyID != newID {
		t.Fatalf("new values sealed with %q, want the new primary %q", sealedNew.KeyID, newID)
	}
	// Once the old key is dropped, only values resealed under the new key open.
	dropped := mustKeyring(t, newID, map[string][]byte{newID: newKeyBytes})
	if _, err := dropped.Open(sealedOld, ad); !errors.Is(err, secret.ErrUnknownKey) {
		t.Fatalf("old value after dropping its key: error = %v, want ErrUnknownKey", err)
	}
	if _, err := dropped.Open(sealedNew, ad); err != nil {
		t.Fatalf("resealed value after dropping the old key: %v", err)
	}
}

func TestNoncesDiffer(t *testing.T) {
	k := mustKeyring(t, "k1", map[string][]byte{"k1": newKey(t)})
	seen := map[string]bool{}
	var lastCiphertext []byte
	for range 100 {
		s, err := k.Seal([]byte("same plaintext"), []byte("same ad"))
		if err != nil {
			t.Fatal(err)
		}
		if seen[string(s.Nonce)] {
			t.Fatal("a nonce repeated")
		}
		seen[string(s.Nonce)] = true
		if bytes.Equal(s.Ciphertext, lastCiphertext) {
			t.Fatal("sealing the same plaintext twice gave the same ciphertext")
		}
		lastCiphertext = s.Ciphertext
	}
}
