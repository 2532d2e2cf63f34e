package zendesktest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AppClaims choose what a signed-URL app token says.
type AppClaims struct {
	// UserID is the agent viewing the app; it becomes sub.
	UserID int64
	// Location defaults to ticket_sidebar.
	Location string
	// TTL defaults to 5 minutes, Zendesk's lifetime.
	TTL time.Duration
	// IssuedAt defaults to now.
	IssuedAt time.Time
}

// appKey returns the app's RSA key, making it on first use.
func (a *Account) appKey() *rsa.PrivateKey {
	a.keyMu.Lock()
	defer a.keyMu.Unlock()
	if a.key == nil {
		a.key = newRSAKey()
	}
	return a.key
}

func newRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(fmt.Sprintf("zendesktest: generating RSA key: %v", err)) // crypto/rand does not fail
	}
	return k
}

// RotateAppKey gives the app a new key pair: tokens signed before no
// longer verify with the published key.
func (a *Account) RotateAppKey() {
	k := newRSAKey()
	a.keyMu.Lock()
	defer a.keyMu.Unlock()
	a.key = k
}

// AppPublicKeyPEM is the app's public key as an SPKI "PUBLIC KEY" PEM
// block, what GET /api/v2/apps/{app_id}/public_key.pem serves.
func (a *Account) AppPublicKeyPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(&a.appKey().PublicKey)
	if err != nil {
		panic(fmt.Sprintf("zendesktest: encoding public key: %v", err)) // RSA keys always encode
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// SignAppToken makes the JWT Zendesk POSTs as the form field "token" to a
// signed-URL app location: RS256 with the app's private key, iss
// "{subdomain}.zendesk.com", aud the installation URL under the account's
// base URL, sub the user id as a string.
func (a *Account) SignAppToken(c AppClaims) (string, error) {
	if c.Location == "" {
		c.Location = "ticket_sidebar"
	}
	if c.TTL == 0 {
		c.TTL = 5 * time.Minute
	}
	iat := c.IssuedAt
	if iat.IsZero() {
		iat = a.now()
	}
	appID := strconv.FormatInt(a.spec.AppID, 10)
	claims := jwt.MapClaims{
		"iss":     a.spec.Subdomain + ".zendesk.com",
		"aud":     a.base + "/api/v2/apps/installations/" + strconv.FormatInt(a.spec.InstallationID, 10) + ".json",
		"sub":     strconv.FormatInt(c.UserID, 10),
		"iat":     iat.Unix(),
		"nbf":     iat.Unix(),
		"exp":     iat.Add(c.TTL).Unix(),
		"qsh":     randomToken(32),
		"cnf":     map[string]string{"jku": a.base + "/api/v2/apps/" + appID + "/public_key"},
		"context": map[string]string{"product": "support", "location": c.Location},
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(a.appKey())
	if err != nil {
		return "", fmt.Errorf("zendesktest: signing app token: %w", err)
	}
	return tok, nil
}

// handlePublicKey serves GET /api/v2/apps/{app_id}/public_key[.pem] to
// anyone.
func handlePublicKey(c *call) error {
	if c.id("app_id") != c.a.spec.AppID {
		return errNotFound()
	}
	c.w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	_, _ = c.w.Write(c.a.AppPublicKeyPEM())
	return nil
}
