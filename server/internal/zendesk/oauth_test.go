package zendesk_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
	"github.com/google/go-cmp/cmp"
)

const oauthRedirect = "https://crossview.example/admin/zendesk/callback"

// oauthEnv is an emulated account "acme" with Crossview registered as an
// OAuth client, an admin and an agent.
type oauthEnv struct {
	acct   *zendesktest.Account
	client *zendesk.Client
	oc     zendesk.OAuthClient
	admin  zendesktest.User
	agent  zendesktest.User
	tenant crossview.Tenant
}

func newOAuthEnv(t *testing.T) *oauthEnv {
	t.Helper()
	oc := zendesk.OAuthClient{ClientID: "crossview", ClientSecret: "zd-client-s3cret-value"}
	srv, err := zendesktest.New(zendesktest.Options{Now: emuNow, OAuthClients: map[string]string{oc.ClientID: oc.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	acct, err := srv.AddAccount(zendesktest.AccountSpec{Subdomain: "acme", AppID: 55})
	if err != nil {
		t.Fatal(err)
	}
	e := &oauthEnv{acct: acct, oc: oc,
		client: zendesk.NewClient(srv.URLTemplate(), http.DefaultClient, 5*time.Second, nil, emuNow),
		admin:  acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.example", Role: zendesktest.RoleAdmin}),
		agent:  acct.AddUser(zendesktest.User{Name: "Gus Agent", Email: "gus@acme.example", Role: zendesktest.RoleAgent}),
	}
	ops := acct.AddUser(zendesktest.User{Name: "Ops", Email: "ops@acme.example", Role: zendesktest.RoleAdmin})
	e.tenant = crossview.Tenant{Subdomain: "acme", AppID: 55, APIEmail: ops.Email, APIToken: acct.IssueAPIToken()}
	return e
}

// signIn opens authorizeURL as a browser would, signs in as email and
// allows access; it returns the query Zendesk redirected back with.
func signIn(t *testing.T, authorizeURL, email string) url.Values {
	t.Helper()
	resp, err := http.Get(authorizeURL)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authorize page: HTTP %d", resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	form := doc.Find("form")
	action, _ := form.Attr("action")
	fields := url.Values{"email": {email}, "decision": {"allow"}}
	form.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		fields.Set(name, value)
	})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp2, err := noFollow.PostForm(action, fields)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp2.Body.Close()
	if resp2.StatusCode != http.StatusFound {
		t.Fatalf("consent: HTTP %d, want a redirect back", resp2.StatusCode)
	}
	loc, err := url.Parse(resp2.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != oauthRedirect {
		t.Fatalf("redirected to %s, want %s", got, oauthRedirect)
	}
	return loc.Query()
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	verifier := zendesk.NewPKCEVerifier()
	back := signIn(t, e.client.AuthorizeURL("acme", e.oc, oauthRedirect, "st-42", verifier), e.admin.Email)
	if back.Get("state") != "st-42" || back.Get("code") == "" {
		t.Fatalf("redirect query = %v, want our state and a code", back)
	}
	tok, err := e.client.Exchange(ctx, "acme", e.oc, back.Get("code"), verifier, oauthRedirect)
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.Scope != "read write" {
		t.Fatalf("token lacks parts: scope %q, access %v, refresh %v", tok.Scope, tok.AccessToken != "", tok.RefreshToken != "")
	}
	if want := emuNow().Add(2 * time.Hour); !tok.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v (expires_in 7200)", tok.ExpiresAt, want)
	}
	me, err := e.client.Me(ctx, "acme", zendesk.Credentials{OAuthToken: tok.AccessToken})
	if err != nil {
		t.Fatalf("Me with the new token: %v", err)
	}
	if me.ID != e.admin.ID || me.Role != "admin" {
		t.Fatalf("Me = %d %s, want the admin who signed in", me.ID, me.Role)
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(format, tok); strings.Contains(s, tok.AccessToken) || strings.Contains(s, tok.RefreshToken) {
			t.Fatalf("Sprintf(%q) of the token shows a secret: %s", format, s)
		}
	}
}

func TestOAuthExchangeRefusals(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// exchange spends a code issued for verifier.
		exchange   func(code, verifier string) error
		wantStatus int
		wantCode   string
	}{
		{"wrong verifier", func(code, _ string) error {
			_, err := e.client.Exchange(ctx, "acme", e.oc, code, zendesk.NewPKCEVerifier(), oauthRedirect)
			return err
		}, http.StatusBadRequest, "invalid_grant"},
		{"replayed code", func(code, verifier string) error {
			if _, err := e.client.Exchange(ctx, "acme", e.oc, code, verifier, oauthRedirect); err != nil {
				return fmt.Errorf("first exchange failed: %w", err)
			}
			_, err := e.client.Exchange(ctx, "acme", e.oc, code, verifier, oauthRedirect)
			return err
		}, http.StatusBadRequest, "invalid_grant"},
		{"wrong client secret", func(code, verifier string) error {
			bad := zendesk.OAuthClient{ClientID: e.oc.ClientID, ClientSecret: "not-the-secret-at-all"}
			_, err := e.client.Exchange(ctx, "acme", bad, code, verifier, oauthRedirect)
			return err
		}, http.StatusUnauthorized, "invalid_client"},
		{"another redirect URI", func(code, verifier string) error {
			_, err := e.client.Exchange(ctx, "acme", e.oc, code, verifier, "https://evil.example/callback")
			return err
		}, http.StatusBadRequest, "invalid_grant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verifier := zendesk.NewPKCEVerifier()
			code := signIn(t, e.client.AuthorizeURL("acme", e.oc, oauthRedirect, "st", verifier), e.admin.Email).Get("code")
			err := tc.exchange(code, verifier)
			var oe *zendesk.OAuthError
			if !errors.As(err, &oe) {
				t.Fatalf("Exchange error = %v, want an *OAuthError", err)
			}
			if oe.Status != tc.wantStatus || oe.Code != tc.wantCode || oe.Description == "" {
				t.Fatalf("OAuthError = %+v, want HTTP %d %s with a description", oe, tc.wantStatus, tc.wantCode)
			}
			for _, secret := range []string{code, verifier, e.oc.ClientSecret, "not-the-secret-at-all"} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q quotes a secret", err)
				}
			}
		})
	}
}

func TestOAuthExchangeRefusesBadInputWithoutCalling(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name                string
		sub, code, verifier string
	}{
		{"bad subdomain", "acme.evil.example", "c", zendesk.NewPKCEVerifier()},
		{"no code", "acme", "", zendesk.NewPKCEVerifier()},
		{"no verifier", "acme", "c", ""},
	} {
		before := e.acct.Stats().Requests
		if _, err := e.client.Exchange(ctx, tc.sub, e.oc, tc.code, tc.verifier, oauthRedirect); err == nil {
			t.Errorf("%s: Exchange gave no error", tc.name)
		}
		if n := e.acct.Stats().Requests - before; n != 0 {
			t.Errorf("%s: Exchange made %d requests", tc.name, n)
		}
	}
}

func TestAuthorizeURL(t *testing.T) {
	c := zendesk.NewClient("https://{subdomain}.zendesk.com", http.DefaultClient, time.Second, nil, time.Now)
	oc := zendesk.OAuthClient{ClientID: "crossview app+1", ClientSecret: "never-in-the-url"}
	const (
		redirect = "https://crossview.example/admin/callback?x=1&y=a b"
		state    = "st/é+&=?#"
		verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	)
	raw := c.AuthorizeURL("acme", oc, redirect, state, verifier)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Scheme + "://" + u.Host + u.Path; got != "https://acme.zendesk.com/oauth/authorizations/new" {
		t.Fatalf("endpoint = %s", got)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 7636 appendix B's example: this verifier has this challenge.
	want := url.Values{
		"response_type": {"code"}, "client_id": {"crossview app+1"}, "redirect_uri": {redirect},
		"scope": {"read write"}, "state": {state},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"},
	}
	if d := cmp.Diff(want, q); d != "" {
		t.Fatalf("query mismatch (-want +got):\n%s", d)
	}
	sum := sha256.Sum256([]byte(verifier))
	if q.Get("code_challenge") != base64.RawURLEncoding.EncodeToString(sum[:]) {
		t.Fatal("code_challenge is not the S256 of the verifier")
	}
	if !strings.Contains(u.RawQuery, "scope=read%20write") || u.Fragment != "" {
		t.Fatalf("raw query %q: want scope=read%%20write and nothing cut off as a fragment", u.RawQuery)
	}
	if strings.Contains(raw, verifier) || strings.Contains(raw, oc.ClientSecret) {
		t.Fatal("the authorize URL carries the verifier or the client secret")
	}
}

func TestUserRoleSeesADowngrade(t *testing.T) {
	e := newOAuthEnv(t)
	ctx := context.Background()
	check := func(step, wantRole string, wantActive bool) {
		t.Helper()
		role, active, err := e.client.UserRole(ctx, e.tenant, e.admin.ID)
		if err != nil {
			t.Fatalf("%s: UserRole: %v", step, err)
		}
		if role != wantRole || active != wantActive {
			t.Fatalf("%s: UserRole = %q, %v; want %q, %v", step, role, active, wantRole, wantActive)
		}
	}
	check("at first", "admin", true)
	if err := e.acct.SetUserRole(e.admin.ID, zendesktest.RoleAgent); err != nil {
		t.Fatal(err)
	}
	check("after the downgrade", "agent", true)
	if err := e.acct.SetUserActive(e.admin.ID, false); err != nil {
		t.Fatal(err)
	}
	check("after deactivation", "agent", false)

	role, active, err := e.client.UserRole(ctx, e.tenant, 999999)
	if err != nil || role != "" || active {
		t.Fatalf("UserRole of a user Zendesk does not have = %q, %v, %v; want \"\", false, nil", role, active, err)
	}

	// An outage is an error, never a verdict about the admin.
	e.acct.SetFailure(http.StatusServiceUnavailable)
	if _, _, err := e.client.UserRole(ctx, e.tenant, e.admin.ID); crossview.ErrorCode(err) != crossview.EUNAVAILABLE {
		t.Fatalf("UserRole during an outage: %v, want an unavailable error", err)
	}
}
