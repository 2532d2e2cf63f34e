package salesforcetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// pkcePair returns a verifier and its S256 challenge.
func pkcePair(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 64)[:64]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

func authorizeParams(challenge, state, scope string) url.Values {
	v := url.Values{"response_type": {"code"}, "client_id": {testClientID}, "redirect_uri": {testRedirect}}
	if challenge != "" {
		v.Set("code_challenge", challenge)
		v.Set("code_challenge_method", "S256")
	}
	if state != "" {
		v.Set("state", state)
	}
	if scope != "" {
		v.Set("scope", scope)
	}
	return v
}

// signIn posts the sign-in form as a browser would and returns the
// redirect it answers with.
func signIn(t *testing.T, c *Cloud, username string, params url.Values) *url.URL {
	t.Helper()
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("username", username)
	resp := postForm(t, c.LoginURL()+"/services/oauth2/authorize", form)
	if resp.status != http.StatusFound {
		t.Fatalf("sign-in: %d %s", resp.status, resp.body)
	}
	loc, err := url.Parse(resp.header.Get("Location"))
	if err != nil {
		t.Fatalf("Location: %v", err)
	}
	return loc
}

func tokenForm(code, verifier string) url.Values {
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {testClientID},
		"client_secret": {testClientSecret}, "redirect_uri": {testRedirect}}
	if verifier != "" {
		f.Set("code_verifier", verifier)
	}
	return f
}

func oauthErr(t *testing.T, r response) (code, desc string) {
	t.Helper()
	m := r.obj(t)
	code, _ = m["error"].(string)
	desc, _ = m["error_description"].(string)
	return code, desc
}

func TestAuthorizePage(t *testing.T) {
	e := newEnv(t, Options{})
	_, challenge := pkcePair("a")
	resp := call(t, http.MethodGet, e.cloud.LoginURL()+"/services/oauth2/authorize?"+authorizeParams(challenge, "st<ate>", "").Encode(), "", "")
	page := string(resp.body)
	for _, want := range []string{`<form method="post" action="/services/oauth2/authorize"`, `<select name="username" id="username">`,
		`<option value="admin@acme.example">`, `<option value="rep@acme.example">`, `name="code_challenge" value="` + challenge + `"`,
		`name="state" value="st&lt;ate&gt;"`, `id="Login"`} {
		if !strings.Contains(page, want) {
			t.Errorf("sign-in page lacks %s:\n%s", want, page)
		}
	}
	if resp.status != http.StatusOK {
		t.Errorf("status %d", resp.status)
	}
}

func TestWebServerFlowWithPKCE(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{Now: clk.Now, RedirectURIs: []string{testRedirect}})
	verifier, challenge := pkcePair("v3rifier")
	loc := signIn(t, e.cloud, "ADMIN@acme.example", authorizeParams(challenge, "s-123", ""))
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Fatalf("redirected to %s, want %s", got, testRedirect)
	}
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != "s-123" {
		t.Fatalf("redirect query %q lacks code or state", loc.RawQuery)
	}
	resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", tokenForm(code, verifier))
	if resp.status != http.StatusOK {
		t.Fatalf("token: %d %s", resp.status, resp.body)
	}
	body := resp.obj(t)
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"access_token", "id", "instance_url", "issued_at", "refresh_token", "scope", "signature", "token_type"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("token response fields mismatch (-want +got):\n%s", diff)
	}
	id := e.cloud.LoginURL() + "/id/" + e.org.ID() + "/" + e.admin.ID
	issued := strconv.FormatInt(clk.Now().UnixMilli(), 10)
	if body["id"] != id || body["issued_at"] != issued || body["instance_url"] != e.org.InstanceURL() ||
		body["token_type"] != "Bearer" || body["scope"] != "refresh_token api id" {
		t.Errorf("token response = %v", body)
	}
	mac := hmac.New(sha256.New, []byte(testClientSecret))
	mac.Write([]byte(id + issued))
	if body["signature"] != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
		t.Errorf("signature %v does not verify", body["signature"])
	}
	access := body["access_token"].(string)
	if !strings.HasPrefix(access, e.org.ID()[:15]+"!") {
		t.Errorf("access token %q does not start with the org id and '!'", access)
	}
	if r := e.soql(t, access, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("REST with the new token: %d %s", r.status, r.body)
	}
	// The code is single use.
	again := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", tokenForm(code, verifier))
	if c, d := oauthErr(t, again); again.status != 400 || c != "invalid_grant" || d != "authentication failure" {
		t.Errorf("reused code: %d %s", again.status, again.body)
	}
}

func TestTokenExchangeRejects(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{Now: clk.Now})
	verifier, challenge := pkcePair("good")
	tests := []struct {
		name      string
		challenge string
		edit      func(f url.Values)
		wait      time.Duration
		code      string
		desc      string
	}{
		{name: "wrong verifier", challenge: challenge, edit: func(f url.Values) { f.Set("code_verifier", strings.Repeat("x", 64)) },
			code: "invalid_grant", desc: "invalid code verifier"},
		{name: "missing verifier", challenge: challenge, edit: func(f url.Values) { f.Del("code_verifier") },
			code: "invalid_grant", desc: "invalid code verifier"},
		{name: "verifier without challenge", edit: func(f url.Values) { f.Set("code_verifier", verifier) },
			code: "invalid_grant", desc: "invalid code verifier"},
		{name: "expired code", challenge: challenge, wait: 16 * time.Minute,
			code: "invalid_grant", desc: "expired authorization code"},
		{name: "unknown code", challenge: challenge, edit: func(f url.Values) { f.Set("code", "aPrxnope==") },
			code: "invalid_grant", desc: "authentication failure"},
		{name: "redirect_uri differs", challenge: challenge, edit: func(f url.Values) { f.Set("redirect_uri", testRedirect+"/x") },
			code: "redirect_uri_mismatch", desc: "redirect_uri must match configuration"},
		{name: "unknown client", challenge: challenge, edit: func(f url.Values) { f.Set("client_id", "nope") },
			code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "missing client", challenge: challenge, edit: func(f url.Values) { f.Del("client_id") },
			code: "invalid_client_id", desc: "client identifier invalid"},
		{name: "wrong secret", challenge: challenge, edit: func(f url.Values) { f.Set("client_secret", "guess") },
			code: "invalid_client", desc: "invalid client credentials"},
		{name: "password grant", challenge: challenge, edit: func(f url.Values) { f.Set("grant_type", "password") },
			code: "unsupported_grant_type", desc: "grant type not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := authorizeParams(tt.challenge, "", "")
			code := signIn(t, e.cloud, e.rep.Username, p).Query().Get("code")
			clk.Advance(tt.wait)
			form := tokenForm(code, "")
			if tt.challenge != "" {
				form.Set("code_verifier", verifier)
			}
			if tt.edit != nil {
				tt.edit(form)
			}
			resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", form)
			if c, d := oauthErr(t, resp); resp.status != 400 || c != tt.code || d != tt.desc {
				t.Errorf("got %d %s, want 400 %s %q", resp.status, resp.body, tt.code, tt.desc)
			}
		})
	}
}

func TestTokenEndpointWantsAForm(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tt := range []struct{ method, ctype, body string }{
		{http.MethodPost, "application/json", `{"grant_type":"refresh_token"}`},
		{http.MethodPost, "", "grant_type=refresh_token"},
		{http.MethodGet, "", ""},
	} {
		req, _ := http.NewRequest(tt.method, e.cloud.LoginURL()+"/services/oauth2/token", strings.NewReader(tt.body))
		if tt.ctype != "" {
			req.Header.Set("Content-Type", tt.ctype)
		}
		resp := send(t, req)
		if c, _ := oauthErr(t, resp); resp.status != 400 || c != "invalid_request" {
			t.Errorf("%s %q: got %d %s, want 400 invalid_request", tt.method, tt.ctype, resp.status, resp.body)
		}
	}
}

func TestBasicClientAuthentication(t *testing.T) {
	e := newEnv(t, Options{ClientID: "id:with/odd chars", ClientSecret: "s3cret+/="})
	_, refresh := e.org.IssueTokens(e.rep.ID)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}
	req, _ := http.NewRequest(http.MethodPost, e.cloud.LoginURL()+"/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape("id:with/odd chars"), url.QueryEscape("s3cret+/="))
	if resp := send(t, req); resp.status != http.StatusOK {
		t.Errorf("Basic auth refresh: %d %s", resp.status, resp.body)
	}
	req, _ = http.NewRequest(http.MethodPost, e.cloud.LoginURL()+"/services/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape("id:with/odd chars"), "wrong")
	if resp := send(t, req); resp.status != 400 {
		t.Errorf("Basic auth with a wrong secret: %d %s", resp.status, resp.body)
	}
}

func TestAuthorizeRejects(t *testing.T) {
	e := newEnv(t, Options{RedirectURIs: []string{testRedirect}})
	_, challenge := pkcePair("c")
	login := e.cloud.LoginURL() + "/services/oauth2/authorize?"
	t.Run("pages for untrusted clients and redirects", func(t *testing.T) {
		for _, tt := range []struct {
			edit func(url.Values)
			want string
		}{
			{func(v url.Values) { v.Set("client_id", "nope") }, "error=invalid_client_id"},
			{func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }, "error=redirect_uri_mismatch"},
			{func(v url.Values) { v.Del("redirect_uri") }, "error=redirect_uri_mismatch"},
		} {
			p := authorizeParams(challenge, "st", "")
			tt.edit(p)
			resp := call(t, http.MethodGet, login+p.Encode(), "", "")
			if resp.status != 400 || !strings.Contains(string(resp.body), tt.want) {
				t.Errorf("got %d %s, want 400 page with %s", resp.status, resp.body, tt.want)
			}
		}
	})
	t.Run("errors sent back to the client", func(t *testing.T) {
		for _, tt := range []struct {
			edit func(url.Values)
			want string
		}{
			{func(v url.Values) { v.Set("response_type", "token") }, "unsupported_response_type"},
			{func(v url.Values) { v.Set("code_challenge", "too-short") }, "invalid_request"},
			{func(v url.Values) { v.Set("code_challenge_method", "plain") }, "invalid_request"},
			{func(v url.Values) { v.Set("scope", "api openid") }, "invalid_scope"},
		} {
			p := authorizeParams(challenge, "st", "")
			tt.edit(p)
			resp := call(t, http.MethodGet, login+p.Encode(), "", "")
			loc, _ := url.Parse(resp.header.Get("Location"))
			if resp.status != http.StatusFound || loc.Query().Get("error") != tt.want || loc.Query().Get("state") != "st" {
				t.Errorf("got %d Location %q, want 302 with error=%s and the state", resp.status, resp.header.Get("Location"), tt.want)
			}
		}
	})
}

func TestAPIOnlyUserCannotSignIn(t *testing.T) {
	e := newEnv(t, Options{})
	e.org.AddUser(User{Username: "integration@acme.example", APIOnly: true, Perms: Permissions{APIEnabled: true, ModifyAllData: true}})
	loc := signIn(t, e.cloud, "integration@acme.example", authorizeParams("", "xyz", ""))
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("code") != "" || q.Get("state") != "xyz" || q.Get("error_description") == "" {
		t.Errorf("redirect query = %q, want error=access_denied with a description and the state, and no code", loc.RawQuery)
	}
}

func TestUnknownUsernameStaysOnThePage(t *testing.T) {
	e := newEnv(t, Options{})
	form := authorizeParams("", "", "")
	form.Set("username", "nobody@acme.example")
	resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/authorize", form)
	if resp.status != http.StatusOK || !strings.Contains(string(resp.body), `data-testid="login-error"`) {
		t.Errorf("got %d %s, want the sign-in page with an error", resp.status, resp.body)
	}
}

func TestScopes(t *testing.T) {
	e := newEnv(t, Options{})
	exchange := func(scope string) map[string]any {
		code := signIn(t, e.cloud, e.rep.Username, authorizeParams("", "", scope)).Query().Get("code")
		resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", tokenForm(code, ""))
		if resp.status != http.StatusOK {
			t.Fatalf("token: %d %s", resp.status, resp.body)
		}
		return resp.obj(t)
	}
	if body := exchange("api id"); body["refresh_token"] != nil || body["scope"] != "api id" {
		t.Errorf("scope without refresh_token got %v, want no refresh token", body)
	}
	body := exchange("id refresh_token")
	if body["refresh_token"] == nil {
		t.Errorf("scope with refresh_token got no refresh token: %v", body)
	}
	resp := e.soql(t, body["access_token"].(string), "SELECT Id FROM Organization")
	if resp.status != http.StatusUnauthorized || resp.errorCode(t) != "INVALID_SESSION_ID" {
		t.Errorf("REST without the api scope: %d %s, want 401 INVALID_SESSION_ID", resp.status, resp.body)
	}
}
