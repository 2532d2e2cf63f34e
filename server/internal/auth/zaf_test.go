package auth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crossview/crossview/server/internal/crossview"
)

// testWorld is two tenants, each with its own app key, served by a fake
// key endpoint that counts fetches.
type testWorld struct {
	now     time.Time
	keys    map[string]*rsa.PrivateKey
	tenants map[string]crossview.Tenant
	mu      sync.Mutex
	fetches int
}

func newWorld(t *testing.T) *testWorld {
	t.Helper()
	w := &testWorld{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), keys: map[string]*rsa.PrivateKey{}, tenants: map[string]crossview.Tenant{}}
	for i, sub := range []string{"acme", "globex"} {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		w.keys[sub] = k
		w.tenants[sub] = crossview.Tenant{Subdomain: sub, AppID: int64(100 + i)}
	}
	return w
}

func (w *testWorld) Tenant(_ context.Context, sub string) (crossview.Tenant, error) {
	t, ok := w.tenants[sub]
	if !ok {
		return crossview.Tenant{}, crossview.ErrNotFound
	}
	return t, nil
}

func (w *testWorld) AppPublicKey(_ context.Context, sub string, appID int64) ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fetches++
	if w.tenants[sub].AppID != appID {
		return nil, errors.New("unknown app")
	}
	return pemOf(&w.keys[sub].PublicKey), nil
}

func pemOf(pub *rsa.PublicKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func baseURL(sub string) string { return "https://" + sub + ".zendesk.com" }

func (w *testWorld) verifier() *ZAFVerifier {
	return NewZAFVerifier(ZAFOptions{Tenants: w, Keys: w, BaseURL: baseURL, Now: func() time.Time { return w.now }})
}

// claims are what Zendesk signs for a ticket_sidebar location.
func (w *testWorld) claims(sub string) jwt.MapClaims {
	return jwt.MapClaims{
		"iss":     sub + ".zendesk.com",
		"aud":     baseURL(sub) + "/api/v2/apps/installations/42.json",
		"sub":     "7001",
		"iat":     w.now.Unix(),
		"nbf":     w.now.Unix(),
		"exp":     w.now.Add(5 * time.Minute).Unix(),
		"qsh":     "abc",
		"context": map[string]any{"product": "support", "location": "ticket_sidebar"},
	}
}

func sign(t *testing.T, key *rsa.PrivateKey, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodRS256, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestZAFVerifierAcceptsZendeskToken(t *testing.T) {
	w := newWorld(t)
	p, err := w.verifier().Verify(context.Background(), sign(t, w.keys["acme"], w.claims("acme")))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if p.Tenant != "acme" || p.UserID != "7001" || p.Location != crossview.LocationZendeskSidebar {
		t.Fatalf("principal = %+v", p)
	}
}

func TestZAFVerifierRefuses(t *testing.T) {
	w := newWorld(t)
	acme := w.keys["acme"]
	modified := func(f func(jwt.MapClaims)) jwt.MapClaims {
		c := w.claims("acme")
		f(c)
		return c
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	noneToken, _ := jwt.NewWithClaims(jwt.SigningMethodNone, w.claims("acme")).SignedString(jwt.UnsafeAllowNoneSignatureType)
	// HS256 keyed with the PEM public key: the classic algorithm confusion.
	hsToken, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, w.claims("acme")).SignedString(pemOf(&acme.PublicKey))

	cases := []struct {
		name  string
		token string
	}{
		{"empty", ""},
		{"garbage", "not.a.jwt"},
		{"alg none", noneToken},
		{"HS256 keyed with the public key", hsToken},
		{"wrong key", sign(t, other, w.claims("acme"))},
		{"expired beyond leeway", sign(t, acme, modified(func(c jwt.MapClaims) { c["exp"] = w.now.Add(-time.Minute).Unix() }))},
		{"no exp", sign(t, acme, modified(func(c jwt.MapClaims) { delete(c, "exp") }))},
		{"issued in the future", sign(t, acme, modified(func(c jwt.MapClaims) { c["iat"] = w.now.Add(time.Hour).Unix() }))},
		{"wrong iss", sign(t, acme, modified(func(c jwt.MapClaims) { c["iss"] = "acme.example.com" }))},
		{"wrong aud host", sign(t, acme, modified(func(c jwt.MapClaims) { c["aud"] = "https://evil.example/api/v2/apps/installations/42.json" }))},
		{"aud of another tenant", sign(t, acme, modified(func(c jwt.MapClaims) { c["aud"] = baseURL("globex") + "/api/v2/apps/installations/42.json" }))},
		{"aud not an installation", sign(t, acme, modified(func(c jwt.MapClaims) { c["aud"] = baseURL("acme") + "/api/v2/users/me.json" }))},
		{"two audiences", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = []string{baseURL("acme") + "/api/v2/apps/installations/42.json", "https://x"}
		}))},
		{"unknown tenant", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["iss"] = "initech.zendesk.com"
			c["aud"] = baseURL("initech") + "/api/v2/apps/installations/42.json"
		}))},
		{"acme's key claiming to be globex", sign(t, acme, w.claims("globex"))},
		{"another location", sign(t, acme, modified(func(c jwt.MapClaims) { c["context"] = map[string]any{"product": "support", "location": "top_bar"} }))},
		{"oversized", strings.Repeat("a", maxJWT+1)},
		{"an hour's lifetime", sign(t, acme, modified(func(c jwt.MapClaims) { c["exp"] = w.now.Add(time.Hour).Unix() }))},
		{"no iat", sign(t, acme, modified(func(c jwt.MapClaims) { delete(c, "iat") }))},
		{"no sub", sign(t, acme, modified(func(c jwt.MapClaims) { delete(c, "sub") }))},
		{"non-numeric sub", sign(t, acme, modified(func(c jwt.MapClaims) { c["sub"] = "admin" }))},
		{"negative sub", sign(t, acme, modified(func(c jwt.MapClaims) { c["sub"] = "-7001" }))},
		{"zero sub", sign(t, acme, modified(func(c jwt.MapClaims) { c["sub"] = "0" }))},
		{"sub with a sign", sign(t, acme, modified(func(c jwt.MapClaims) { c["sub"] = "+7001" }))},
		{"sub with a leading zero", sign(t, acme, modified(func(c jwt.MapClaims) { c["sub"] = "07001" }))},
		{"installation id with a leading zero", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/0123.json"
		}))},
		{"installation id with a sign", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/+123.json"
		}))},
		{"installation id zero", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/0.json"
		}))},
		{"installation id beyond int64", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/99999999999999999999.json"
		}))},
		{"aud with a query", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/123.json?x"
		}))},
		{"aud with a fragment", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/123.json#x"
		}))},
		{"aud with extra path", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/123.json/extra"
		}))},
		{"aud with a nested path", sign(t, acme, modified(func(c jwt.MapClaims) {
			c["aud"] = baseURL("acme") + "/api/v2/apps/installations/1/2.json"
		}))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := w.verifier().Verify(context.Background(), tc.token)
			if crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
				t.Fatalf("Verify = %v, want an unauthorized error", err)
			}
			if p != (crossview.Principal{}) {
				t.Fatalf("refused token still gave principal %+v", p)
			}
		})
	}
}

func TestZAFVerifierLeeway(t *testing.T) {
	w := newWorld(t)
	c := w.claims("acme")
	c["exp"] = w.now.Add(-10 * time.Second).Unix() // within the 30 s leeway
	if _, err := w.verifier().Verify(context.Background(), sign(t, w.keys["acme"], c)); err != nil {
		t.Fatalf("token 10 s past exp refused: %v", err)
	}
}

func TestZAFVerifierRegisteredInstallation(t *testing.T) {
	w := newWorld(t)
	tn := w.tenants["acme"]
	tn.InstallationID = 43
	w.tenants["acme"] = tn
	if _, err := w.verifier().Verify(context.Background(), sign(t, w.keys["acme"], w.claims("acme"))); err == nil {
		t.Fatal("token for installation 42 accepted when 43 is registered")
	}
}

func TestZAFVerifierKeyRotationRefetchIsBounded(t *testing.T) {
	w := newWorld(t)
	v := w.verifier()
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, w.keys["acme"], w.claims("acme"))); err != nil {
		t.Fatal(err)
	}
	if w.fetches != 1 {
		t.Fatalf("fetches = %d, want 1", w.fetches)
	}
	// Zendesk rotates the key: the cached one fails, a refetch fixes it.
	w.now = w.now.Add(2 * time.Minute)
	newKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	w.keys["acme"] = newKey
	if _, err := v.Verify(ctx, sign(t, newKey, w.claims("acme"))); err != nil {
		t.Fatalf("token under rotated key refused: %v", err)
	}
	if w.fetches != 2 {
		t.Fatalf("fetches = %d, want 2", w.fetches)
	}
	// A flood of forged tokens refetches at most once per minute.
	forger, _ := rsa.GenerateKey(rand.Reader, 2048)
	for range 50 {
		if _, err := v.Verify(ctx, sign(t, forger, w.claims("acme"))); err == nil {
			t.Fatal("forged token accepted")
		}
	}
	if w.fetches != 2 {
		t.Fatalf("forged tokens caused %d fetches, want none within a minute of the last", w.fetches-2)
	}
}

func FuzzZAFVerify(f *testing.F) {
	w := newWorld(&testing.T{})
	good, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, w.claims("acme")).SignedString(w.keys["acme"])
	f.Add(good)
	f.Add("")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add(good[:len(good)-5])
	v := w.verifier()
	f.Fuzz(func(t *testing.T, token string) {
		p, err := v.Verify(context.Background(), token)
		if err == nil && token != good {
			t.Fatalf("accepted %q as %+v", token, p)
		}
	})
}

// A signed token refused for its claims says which claim, so an admin can
// tell a misconfigured app from an attack; the message quotes nothing.
func TestZAFVerifierNamesTheReason(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		change func(jwt.MapClaims)
		want   string
	}{
		{func(c jwt.MapClaims) { c["exp"] = w.now.Add(time.Hour).Unix() }, "lives longer"},
		{func(c jwt.MapClaims) { delete(c, "iat") }, "no issue time"},
		{func(c jwt.MapClaims) { c["sub"] = "-1" }, "Zendesk user"},
		{func(c jwt.MapClaims) { c["aud"] = baseURL("acme") + "/api/v2/apps/installations/0123.json" }, "installation"},
	}
	for _, tc := range cases {
		c := w.claims("acme")
		tc.change(c)
		_, err := w.verifier().Verify(context.Background(), sign(t, w.keys["acme"], c))
		if msg := crossview.ErrorMessage(err); !strings.Contains(msg, tc.want) {
			t.Errorf("message %q, want it to mention %q", msg, tc.want)
		}
	}
}
