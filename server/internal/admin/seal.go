package admin

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/crossview/crossview/server/internal/secret"
)

// sealer seals what Crossview hands to a browser or parks in the cache (a
// sign-in flow, a grant awaiting confirmation) under a key of its own,
// derived from the configured encryption key. What it seals cannot be read
// or altered outside Crossview, and opens only for the purpose (associated
// data) it was sealed for.
type sealer struct {
	keys *secret.Keyring
	err  error // a bad key fails every use, not the constructor
}

func newSealer(key []byte) sealer {
	id := secret.KeyID(key)
	k, err := secret.NewKeyring(id, map[string][]byte{id: key})
	if err != nil {
		return sealer{err: fmt.Errorf("admin: flow key: %w", err)}
	}
	return sealer{keys: k}
}

// seal returns v as JSON, sealed for purpose, in a cookie-safe form:
// key id, nonce and ciphertext in unpadded base64url, joined by dots.
func (s sealer) seal(v any, purpose string) (string, error) {
	if s.err != nil {
		return "", s.err
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("admin: encoding %s: %w", purpose, err)
	}
	sealed, err := s.keys.Seal(plain, []byte(purpose))
	clear(plain)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return sealed.KeyID + "." + enc.EncodeToString(sealed.Nonce) + "." + enc.EncodeToString(sealed.Ciphertext), nil
}

// open reverses seal. Any failure (a value from elsewhere, another key,
// tampering, another purpose) is one error: the value is not ours.
func (s sealer) open(token, purpose string, v any) error {
	if s.err != nil {
		return s.err
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errNotSealed
	}
	enc := base64.RawURLEncoding
	nonce, err1 := enc.DecodeString(parts[1])
	ct, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil {
		return errNotSealed
	}
	plain, err := s.keys.Open(secret.Sealed{KeyID: parts[0], Nonce: nonce, Ciphertext: ct}, []byte(purpose))
	if err != nil {
		return errNotSealed
	}
	defer clear(plain)
	if json.Unmarshal(plain, v) != nil {
		return errNotSealed
	}
	return nil
}

var errNotSealed = errors.New("admin: not a value Crossview sealed")
