package store

import (
	"encoding/json"
	"fmt"

	"github.com/crossview/crossview/server/internal/secret"
)

// Associated data names the record a sealed value belongs to, so a
// ciphertext copied into another record (or another field) does not open.
func tenantSecretsAD(subdomain string) []byte { return []byte("tenant/" + subdomain + "/secrets") }
func tokenAD(connectionID string) []byte      { return []byte("connection/" + connectionID + "/token") }

// seal encodes v as JSON and seals it under ad.
func (s *Store) seal(v any, ad []byte) (*secret.Sealed, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding: %w", err)
	}
	sealed, err := s.keys.Seal(plain, ad)
	clear(plain)
	if err != nil {
		return nil, err
	}
	return &sealed, nil
}

// open opens sealed under ad and decodes the JSON inside into v.
func (s *Store) open(sealed secret.Sealed, ad []byte, v any) error {
	plain, err := s.keys.Open(sealed, ad)
	if err != nil {
		return err
	}
	defer clear(plain)
	if err := json.Unmarshal(plain, v); err != nil {
		// The decoder's message could quote the plaintext; keep only its kind.
		return fmt.Errorf("decoding sealed %s: malformed JSON", ad)
	}
	return nil
}
