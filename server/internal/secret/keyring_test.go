package secret_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/secret"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, secret.KeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func mustKeyring(t *testing.T, primary string, keys map[string][]byte) *secret.Keyring {
	t.Helper()
	k, err := secret.NewKeyring(primary, keys)
	if err != nil {
		t.Fatalf("NewKeyring: %v", err)
	}
	return k
}

func TestNewKeyringRejects(t *testing.T) {
	good := newKey(t)
	tests := []struct {
		name    string
		primary string
		keys    map[string][]byte
		want    string
	}{
		{"primary missing", "b", map[string][]byte{"a": good}, `primary key id "b"`},
		{"no keys", "a", nil, `primary key id "a"`},
		{"short key", "a", map[string][]byte{"a": good[:16]}, "16 bytes, want 32"},
		{"long key", "a", map[string][]byte{"a": append(good, 1)}, "33 bytes, want 32"},
		{"short old key", "a", map[string][]byte{"a": good, "old": good[:31]}, `key "old" is 31 bytes`},
		{"empty id", "a", map[string][]byte{"a": good, "": good}, "key id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secret.NewKeyring(tt.primary, tt.keys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NewKeyring error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNewKeyringCopiesKeys(t *testing.T) {
	key := newKey(t)
	k := mustKeyring(t, "a", map[string][]byte{"a": key})
	before := k.Derive("x")
	key[0] ^= 0xff // the caller reusing its buffer must not change the keyring
	if !bytes.Equal(before, k.Derive("x")) {
		t.Fatal("Derive changed after the caller modified the key slice")
	}
}

func TestParseKey(t *testing.T) {
	key := newKey(t)
	padded := base64.StdEncoding.EncodeToString(key)
	raw := base64.RawStdEncoding.EncodeToString(key)
	short := base64.StdEncoding.EncodeToString(key[:20])
	urlSafe := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb, 0xff}, 16))
	secretLooking := "not base64 at all: hunter2!"

	for _, in := range []string{padded, raw, padded + "\n", "  " + raw} {
		got, err := secret.ParseKey(in)
		if err != nil {
			t.Fatalf("ParseKey(%q): %v", in, err)
		}
		if !bytes.Equal(got, key) {
			t.Fatalf("ParseKey(%q) returned a different key", in)
		}
	}

	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "key is empty"},
		{"blank", "  \n", "key is empty"},
		{"too short", short, "decodes to 20 bytes, want 32"},
		{"url-safe", urlSafe, "URL-safe"},
		{"garbage", secretLooking, "not valid standard base64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := secret.ParseKey(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseKey error = %v, want one containing %q", err, tt.want)
			}
			if tt.in != "" && strings.TrimSpace(tt.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Fatalf("ParseKey error %q echoes the key", err)
			}
		})
	}
}

func TestKeyID(t *testing.T) {
	a, b := newKey(t), newKey(t)
	id := secret.KeyID(a)
	if len(id) != 8 {
		t.Fatalf("KeyID length = %d, want 8", len(id))
	}
	if secret.KeyID(append([]byte(nil), a...)) != id {
		t.Fatal("KeyID is not stable for equal keys")
	}
	if secret.KeyID(b) == id {
		t.Fatal("two random keys got the same id")
	}
}

func TestDerive(t *testing.T) {
	k1 := mustKeyring(t, "a", map[string][]byte{"a": newKey(t)})
	x := k1.Derive("panel-token")
	if len(x) != 32 {
		t.Fatalf("Derive length = %d, want 32", len(x))
	}
	if !bytes.Equal(x, k1.Derive("panel-token")) {
		t.Fatal("Derive is not deterministic")
	}
	if bytes.Equal(x, k1.Derive("webhook")) {
		t.Fatal("two purposes derived the same subkey")
	}
	k2 := mustKeyring(t, "b", map[string][]byte{"b": newKey(t)})
	if bytes.Equal(x, k2.Derive("panel-token")) {
		t.Fatal("two keys derived the same subkey")
	}
}
