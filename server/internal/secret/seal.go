package secret

import (
	"crypto/rand"
	"errors"
	"fmt"
)

// ErrUnknownKey means a sealed value names a key the keyring does not hold:
// the key was removed, or the data was sealed by another deployment.
var ErrUnknownKey = errors.New("secret: unknown key id")

// ErrOpen means a sealed value did not authenticate: a wrong key, wrong
// associated data (the ciphertext belongs to another record) or tampering.
var ErrOpen = errors.New("secret: cannot open sealed value")

// Sealed is a ciphertext together with the id of the key that sealed it.
// Its JSON form is what stores keep.
type Sealed struct {
	KeyID      string `json:"kid"`
	Nonce      []byte `json:"n"`
	Ciphertext []byte `json:"c"`
}

// Seal encrypts plaintext with the primary key. associatedData names the
// record the value belongs to (e.g. "connection/<id>/token"): it is not
// stored, and Open must be given the same bytes, so a ciphertext copied to
// another record does not open.
func (k *Keyring) Seal(plaintext, associatedData []byte) (Sealed, error) {
	aead := k.aeads[k.primaryID]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Sealed{}, fmt.Errorf("secret: reading nonce: %w", err)
	}
	return Sealed{
		KeyID:      k.primaryID,
		Nonce:      nonce,
		Ciphertext: aead.Seal(nil, nonce, plaintext, associatedData),
	}, nil
}

// Open decrypts s with the key named by s.KeyID. It fails with ErrUnknownKey
// when that key is not in the keyring and with ErrOpen when the value does
// not authenticate.
func (k *Keyring) Open(s Sealed, associatedData []byte) ([]byte, error) {
	aead, ok := k.aeads[s.KeyID]
	if !ok {
		return nil, fmt.Errorf("%w %q (keyring holds %q; was the key that sealed this removed?)", ErrUnknownKey, s.KeyID, k.IDs())
	}
	// GCM panics on a nonce of the wrong size, so check before opening.
	if len(s.Nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("%w with key %q: nonce is %d bytes, want %d", ErrOpen, s.KeyID, len(s.Nonce), aead.NonceSize())
	}
	plaintext, err := aead.Open(nil, s.Nonce, s.Ciphertext, associatedData)
	if err != nil {
		return nil, fmt.Errorf("%w with key %q: wrong key, wrong record or tampered data", ErrOpen, s.KeyID)
	}
	return plaintext, nil
}
