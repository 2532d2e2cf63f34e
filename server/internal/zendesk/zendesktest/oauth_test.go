package zendesktest

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	testRedirect = "https://crossview.example/admin/oauth/callback"
)

func authParams(f *fixture, challenge string) url.Values {
	v := url.Values{"response_type": {"code"}, "client_id": {f.clientID}, "redirect_uri": {testRedirect},
		"scope": {"read write"}, "state": {"st-123"}}
	if challenge != "" {
		v.Set("code_challenge", challenge)
		v.Set("code_challenge_method", "S256")
	}
	return v
}

// consent loads the consent page and posts it as a browser would, signed
// in as email with the given decision. It returns the redirect.
func consent(t *testing.T, f *fixture, params url.Values, email, decision string) *url.URL {
	t.Helper()
	resp, body := request(t, "GET", f.acct.BaseURL()+"/oauth/authorizations/new?"+params.Encode(), "")
	wantStatus(t, resp, body, http.StatusOK)
	for _, want := range []string{`<select id="email" name="email">`, `<option value="` + email + `">`,
		`<button type="submit" name="decision" value="allow">`, `action="` + f.acct.BaseURL() + `/oauth/authorizations"`} {
		if !strings.Contains(string(body), want) {
			t.Fatalf("consent page lacks %s:\n%s", want, body)
		}
	}
	form := url.Values{"email": {email}, "decision": {decision}}
	hidden := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	for _, m := range hidden.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	resp, body = request(t, "POST", f.acct.BaseURL()+"/oauth/authorizations", form.Encode(),
		"Content-Type: application/x-www-form-urlencoded")
	wantStatus(t, resp, body, http.StatusFound)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func authCodeFor(t *testing.T, f *fixture, challenge string) string {
	t.Helper()
	loc := consent(t, f, authParams(f, challenge), f.admin.Email, "allow")
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Fatalf("redirected to %s, want %s", got, testRedirect)
	}
	if loc.Query().Get("state") != "st-123" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect query = %v, want code and state", loc.Query())
	}
	return loc.Query().Get("code")
}

func tokenRequest(t *testing.T, f *fixture, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, b := request(t, "POST", f.acct.BaseURL()+"/oauth/tokens", body, "Content-Type: "+contentType)
	return resp.StatusCode, decode(t, b)
}

func exchangeJSON(f *fixture, code, verifier string) string {
	return `{"grant_type":"authorization_code","code":"` + code + `","client_id":"` + f.clientID +
		`","client_secret":"` + f.secret + `","redirect_uri":"` + testRedirect + `","code_verifier":"` + verifier + `"}`
}

func TestOAuthCodeFlowWithPKCE(t *testing.T) {
	f := newFixture(t)
	code := authCodeFor(t, f, pkceS256(testVerifier))
	status, tok := tokenRequest(t, f, "application/json", exchangeJSON(f, code, testVerifier))
	if status != http.StatusOK {
		t.Fatalf("token exchange: %d %v", status, tok)
	}
	if tok["token_type"] != "bearer" || tok["scope"] != "read write" || tok["expires_in"] != 7200.0 ||
		tok["access_token"] == "" || tok["refresh_token"] == "" {
		t.Errorf("token answer = %v", tok)
	}
	resp, b := request(t, "GET", f.acct.BaseURL()+"/api/v2/users/me.json", "", "Authorization: Bearer "+tok["access_token"].(string))
	wantStatus(t, resp, b, http.StatusOK)
	if u := decode(t, b)["user"].(map[string]any); u["email"] != f.admin.Email || u["role"] != "admin" {
		t.Errorf("me = %v, want the user who signed in", u)
	}
	// The code is single-use.
	status, e := tokenRequest(t, f, "application/json", exchangeJSON(f, code, testVerifier))
	if status != http.StatusBadRequest || e["error"] != "invalid_grant" || e["error_description"] == "" {
		t.Errorf("reused code: %d %v, want 400 invalid_grant", status, e)
	}
}

func TestOAuthTokenRejects(t *testing.T) {
	f := newFixture(t)
	challenge := pkceS256(testVerifier)
	tests := []struct {
		name        string
		challenge   string
		contentType string
		body        func(code string) string
		wait        time.Duration
		wantStatus  int
		wantError   string
	}{
		{"wrong verifier", challenge, "application/json", func(c string) string {
			return exchangeJSON(f, c, strings.Repeat("x", 43))
		}, 0, 400, "invalid_grant"},
		{"missing verifier", challenge, "application/json", func(c string) string { return exchangeJSON(f, c, "") }, 0, 400, "invalid_grant"},
		{"verifier without challenge", "", "application/json", func(c string) string { return exchangeJSON(f, c, testVerifier) }, 0, 400, "invalid_grant"},
		{"other redirect_uri", challenge, "application/json", func(c string) string {
			return strings.Replace(exchangeJSON(f, c, testVerifier), testRedirect, "https://evil.example/cb", 1)
		}, 0, 400, "invalid_grant"},
		{"wrong secret", challenge, "application/json", func(c string) string {
			return strings.Replace(exchangeJSON(f, c, testVerifier), f.secret, "guess", 1)
		}, 0, 401, "invalid_client"},
		{"unknown client", challenge, "application/json", func(c string) string {
			return strings.Replace(exchangeJSON(f, c, testVerifier), `"client_id":"crossview"`, `"client_id":"other"`, 1)
		}, 0, 401, "invalid_client"},
		{"expired code", challenge, "application/json", func(c string) string { return exchangeJSON(f, c, testVerifier) },
			121 * time.Second, 400, "invalid_grant"},
		{"unknown grant", challenge, "application/json", func(c string) string {
			return strings.Replace(exchangeJSON(f, c, testVerifier), "authorization_code", "password", 1)
		}, 0, 400, "unsupported_grant_type"},
		{"text body", challenge, "text/plain", func(c string) string { return exchangeJSON(f, c, testVerifier) }, 0, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := authCodeFor(t, f, tt.challenge)
			f.clk.Add(tt.wait)
			status, e := tokenRequest(t, f, tt.contentType, tt.body(code))
			if status != tt.wantStatus || e["error"] != tt.wantError {
				t.Errorf("got %d %v, want %d %s", status, e, tt.wantStatus, tt.wantError)
			}
		})
	}
	// A form body works as well as JSON, and a code within its 120 s is fine.
	code := authCodeFor(t, f, challenge)
	f.clk.Add(119 * time.Second)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {f.clientID},
		"client_secret": {f.secret}, "redirect_uri": {testRedirect}, "code_verifier": {testVerifier}}
	if status, tok := tokenRequest(t, f, "application/x-www-form-urlencoded", form.Encode()); status != http.StatusOK {
		t.Errorf("form exchange: %d %v", status, tok)
	}
}

func TestOAuthRefreshRotates(t *testing.T) {
	f := newFixture(t)
	_, tok := tokenRequest(t, f, "application/json", exchangeJSON(f, authCodeFor(t, f, pkceS256(testVerifier)), testVerifier))
	oldAccess, oldRefresh := tok["access_token"].(string), tok["refresh_token"].(string)
	me := f.acct.BaseURL() + "/api/v2/users/me.json"

	f.clk.Add(7201 * time.Second) // the access token has expired
	resp, b := request(t, "GET", me, "", "Authorization: Bearer "+oldAccess)
	wantStatus(t, resp, b, http.StatusUnauthorized)

	refresh := func(rt string) (int, map[string]any) {
		return tokenRequest(t, f, "application/json", `{"grant_type":"refresh_token","refresh_token":"`+rt+
			`","client_id":"`+f.clientID+`","client_secret":"`+f.secret+`","expires_in":600}`)
	}
	status, fresh := refresh(oldRefresh)
	if status != http.StatusOK || fresh["expires_in"] != 600.0 || fresh["refresh_token"] == oldRefresh {
		t.Fatalf("refresh: %d %v", status, fresh)
	}
	resp, b = request(t, "GET", me, "", "Authorization: Bearer "+fresh["access_token"].(string))
	wantStatus(t, resp, b, http.StatusOK)
	if status, e := refresh(oldRefresh); status != http.StatusBadRequest || e["error"] != "invalid_grant" {
		t.Errorf("old refresh token after rotation: %d %v", status, e)
	}

	// Revoking the current token kills its refresh token too.
	resp, b = request(t, "DELETE", f.acct.BaseURL()+"/api/v2/oauth/tokens/current.json", "",
		"Authorization: Bearer "+fresh["access_token"].(string))
	wantStatus(t, resp, b, http.StatusNoContent)
	resp, b = request(t, "GET", me, "", "Authorization: Bearer "+fresh["access_token"].(string))
	wantStatus(t, resp, b, http.StatusUnauthorized)
	if status, _ := refresh(fresh["refresh_token"].(string)); status != http.StatusBadRequest {
		t.Errorf("refresh after revoke: %d, want 400", status)
	}
	if status, e := refresh("nope"); status != http.StatusBadRequest || e["error"] != "invalid_grant" {
		t.Errorf("unknown refresh token: %d %v", status, e)
	}
}

func TestOAuthAuthorizeRejects(t *testing.T) {
	f := newFixture(t)
	page := func(v url.Values) *http.Response {
		resp, _ := request(t, "GET", f.acct.BaseURL()+"/oauth/authorizations/new?"+v.Encode(), "")
		return resp
	}
	// Errors that cannot be trusted to go back to the client show a page.
	unknown := authParams(f, "")
	unknown.Set("client_id", "stranger")
	badRedirect := authParams(f, "")
	badRedirect.Set("redirect_uri", "/relative")
	for name, v := range map[string]url.Values{"unknown client": unknown, "bad redirect_uri": badRedirect} {
		if resp := page(v); resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: status %d location %q, want a 400 page", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	// The rest go back with error= and the state.
	plain := authParams(f, pkceS256(testVerifier))
	plain.Set("code_challenge_method", "plain")
	badScope := authParams(f, "")
	badScope.Set("scope", "read everything")
	public := authParams(f, "")
	public.Set("client_id", "public-app")
	token := authParams(f, "")
	token.Set("response_type", "token")
	for name, tt := range map[string]struct {
		v    url.Values
		want string
	}{
		"plain PKCE":              {plain, "invalid_request"},
		"unknown scope":           {badScope, "invalid_scope"},
		"public client sans PKCE": {public, "invalid_request"},
		"implicit grant":          {token, "unsupported_response_type"},
	} {
		resp := page(tt.v)
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || loc.Query().Get("error") != tt.want || loc.Query().Get("state") != "st-123" {
			t.Errorf("%s: %d %s, want a redirect with error=%s", name, resp.StatusCode, loc, tt.want)
		}
	}
	// The user says no.
	loc := consent(t, f, authParams(f, pkceS256(testVerifier)), f.admin.Email, "deny")
	if loc.Query().Get("error") != "access_denied" || loc.Query().Get("code") != "" {
		t.Errorf("deny redirected to %s", loc)
	}
	// The consent form cannot be posted without a fresh page.
	form := authParams(f, pkceS256(testVerifier))
	form.Set("email", f.admin.Email)
	form.Set("decision", "allow")
	resp, b := request(t, "POST", f.acct.BaseURL()+"/oauth/authorizations", form.Encode(), "Content-Type: application/x-www-form-urlencoded")
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
}

func TestOAuthPublicClientUsesPKCEOnly(t *testing.T) {
	f := newFixture(t)
	params := authParams(f, pkceS256(testVerifier))
	params.Set("client_id", "public-app")
	loc := consent(t, f, params, f.agent.Email, "allow")
	body := `{"grant_type":"authorization_code","code":"` + loc.Query().Get("code") +
		`","client_id":"public-app","redirect_uri":"` + testRedirect + `","code_verifier":"` + testVerifier + `"}`
	if status, tok := tokenRequest(t, f, "application/json", body); status != http.StatusOK || tok["access_token"] == "" {
		t.Errorf("public client exchange: %d %v", status, tok)
	}
}
