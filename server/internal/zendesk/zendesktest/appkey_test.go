package zendesktest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
)

func parsePublicKey(t *testing.T, b []byte) *rsa.PublicKey {
	t.Helper()
	block, rest := pem.Decode(b)
	if block == nil || block.Type != "PUBLIC KEY" || len(strings.TrimSpace(string(rest))) != 0 {
		t.Fatalf("not a single PUBLIC KEY PEM block: %q", b)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("key is %T, want RSA", k)
	}
	return pub
}

func verifyAppToken(t *testing.T, f *fixture, tok string, key *rsa.PublicKey) (jwt.MapClaims, error) {
	t.Helper()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer("acme.zendesk.com"),
		jwt.WithAudience(f.acct.BaseURL()+"/api/v2/apps/installations/777.json"),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithTimeFunc(f.clk.Now))
	return claims, err
}

func TestPublicKeyVerifiesAppToken(t *testing.T) {
	f := newFixture(t)
	var keys []*rsa.PublicKey
	for _, path := range []string{"/api/v2/apps/4242/public_key.pem", "/api/v2/apps/4242/public_key"} {
		resp, b := request(t, "GET", f.acct.BaseURL()+path, "")
		wantStatus(t, resp, b, http.StatusOK)
		keys = append(keys, parsePublicKey(t, b))
	}
	if !keys[0].Equal(keys[1]) {
		t.Error("the two public key paths serve different keys")
	}
	tok, err := f.acct.SignAppToken(AppClaims{UserID: f.agent.ID})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := verifyAppToken(t, f, tok, keys[0])
	if err != nil {
		t.Fatalf("token does not verify with the served key: %v", err)
	}
	now := f.clk.Now().Unix()
	want := jwt.MapClaims{
		"iss": "acme.zendesk.com", "aud": f.acct.BaseURL() + "/api/v2/apps/installations/777.json",
		"sub": strconv.FormatInt(f.agent.ID, 10), "iat": float64(now), "nbf": float64(now), "exp": float64(now + 300),
		"cnf":     map[string]any{"jku": f.acct.BaseURL() + "/api/v2/apps/4242/public_key"},
		"context": map[string]any{"product": "support", "location": "ticket_sidebar"},
		"qsh":     claims["qsh"],
	}
	if diff := cmp.Diff(want, claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if q, _ := claims["qsh"].(string); q == "" {
		t.Error("qsh is missing")
	}
	head, _, _ := strings.Cut(tok, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(head)
	var header map[string]any
	if err := json.Unmarshal(raw, &header); err != nil || !cmp.Equal(header, map[string]any{"alg": "RS256", "typ": "JWT"}) {
		t.Errorf("header = %s", raw)
	}

	// Expired tokens fail, as do tokens for other locations when checked.
	old, _ := f.acct.SignAppToken(AppClaims{UserID: f.agent.ID, IssuedAt: f.clk.Now().Add(-10 * time.Minute)})
	if _, err := verifyAppToken(t, f, old, keys[0]); err == nil {
		t.Error("a token issued 10 minutes ago still verifies")
	}
	nav, _ := f.acct.SignAppToken(AppClaims{UserID: f.agent.ID, Location: "nav_bar", TTL: time.Minute})
	if c, err := verifyAppToken(t, f, nav, keys[0]); err != nil || c["context"].(map[string]any)["location"] != "nav_bar" ||
		c["exp"] != float64(now+60) {
		t.Errorf("nav_bar token: %v %v", c, err)
	}

	resp, b := request(t, "GET", f.acct.BaseURL()+"/api/v2/apps/1/public_key.pem", "")
	wantStatus(t, resp, b, http.StatusNotFound)
	if string(b) != `{"error":"RecordNotFound","description":"Not found"}` {
		t.Errorf("unknown app body = %s", b)
	}
}

func TestRotateAppKey(t *testing.T) {
	f := newFixture(t)
	before := parsePublicKey(t, f.acct.AppPublicKeyPEM())
	oldTok, _ := f.acct.SignAppToken(AppClaims{UserID: f.agent.ID})
	f.acct.RotateAppKey()
	resp, b := request(t, "GET", f.acct.BaseURL()+"/api/v2/apps/4242/public_key.pem", "")
	wantStatus(t, resp, b, http.StatusOK)
	after := parsePublicKey(t, b)
	if before.Equal(after) {
		t.Fatal("RotateAppKey kept the key")
	}
	newTok, _ := f.acct.SignAppToken(AppClaims{UserID: f.agent.ID})
	if _, err := verifyAppToken(t, f, newTok, before); err == nil {
		t.Error("a new token verifies with the old key")
	}
	if _, err := verifyAppToken(t, f, oldTok, after); err == nil {
		t.Error("an old token verifies with the new key")
	}
	if _, err := verifyAppToken(t, f, newTok, after); err != nil {
		t.Errorf("new token with new key: %v", err)
	}
}
