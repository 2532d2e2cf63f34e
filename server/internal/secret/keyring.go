// Package secret seals small secrets (OAuth tokens, API tokens, webhook
// secrets) with AES-256-GCM under named keys, so a record can say which key
// sealed it and keys can rotate without rewriting every record at once.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// KeySize is the length of every key: AES-256.
const KeySize = 32

// Keyring holds the keys that can open sealed values and names the primary
// one that seals new values. It is immutable after construction and safe
// for concurrent use.
type Keyring struct {
	primaryID  string
	primaryKey []byte
	aeads      map[string]cipher.AEAD
}

// NewKeyring returns a keyring that seals with keys[primaryID] and opens
// with any key in keys. Every key must be exactly KeySize bytes.
// To rotate, add the new key as primary and keep the old ones until every
// record has been resealed.
func NewKeyring(primaryID string, keys map[string][]byte) (*Keyring, error) {
	if _, ok := keys[primaryID]; !ok {
		return nil, fmt.Errorf("secret: primary key id %q is not in the keyring", primaryID)
	}
	k := &Keyring{primaryID: primaryID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for id, key := range keys {
		if id == "" {
			return nil, errors.New("secret: a key id is empty")
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("secret: key %q is %d bytes, want %d", id, len(key), KeySize)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("secret: key %q: %w", id, err)
		}
		k.aeads[id] = aead
	}
	// Copied so the caller cannot change the key after the fact.
	k.primaryKey = append([]byte(nil), keys[primaryID]...)
	return k, nil
}

// PrimaryID names the key that seals new values.
func (k *Keyring) PrimaryID() string { return k.primaryID }

// IDs lists every key id in the keyring, sorted.
func (k *Keyring) IDs() []string {
	ids := make([]string, 0, len(k.aeads))
	for id := range k.aeads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Derive returns a 32-byte subkey of the primary key for one purpose (for
// example "panel-token"), so one configured secret can serve several uses
// without any two sharing a key. The subkey changes when the primary does.
func (k *Keyring) Derive(purpose string) []byte {
	mac := hmac.New(sha256.New, k.primaryKey)
	mac.Write([]byte("crossview:" + purpose))
	return mac.Sum(nil)
}

// ParseKey decodes a key given as standard base64 (padded or not) of exactly
// KeySize bytes. Errors never repeat the value, which is a secret.
func ParseKey(b64 string) ([]byte, error) {
	s := strings.TrimSpace(b64)
	if s == "" {
		return nil, errors.New("secret: key is empty (want base64 of 32 random bytes, e.g. from `openssl rand -base64 32`)")
	}
	if strings.ContainsAny(s, "-_") {
		return nil, errors.New("secret: key is URL-safe base64; use standard base64 (with + and /)")
	}
	key, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(s)
	}
	if err != nil {
		// The decoder's error names a byte offset only, but say less anyway.
		return nil, errors.New("secret: key is not valid standard base64")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret: key decodes to %d bytes, want %d", len(key), KeySize)
	}
	return key, nil
}

// KeyID returns a short, stable, non-secret name for key, so a key can be
// named in records without configuring a name for it.
func KeyID(key []byte) string {
	h := sha256.New()
	h.Write([]byte("crossview-key-id"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil))[:8]
}
