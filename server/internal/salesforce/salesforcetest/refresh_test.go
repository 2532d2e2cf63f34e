package salesforcetest

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func refreshForm(token string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token},
		"client_id": {testClientID}, "client_secret": {testClientSecret}}
}

func revokeForm(token string) url.Values {
	return url.Values{"token": {token}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
}

func TestRefreshWithoutRotation(t *testing.T) {
	e := newEnv(t, Options{})
	access, refresh := e.org.IssueTokens(e.rep.ID)
	for i := 0; i < 2; i++ {
		resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(refresh))
		body := resp.obj(t)
		if resp.status != http.StatusOK || body["refresh_token"] != nil || body["access_token"] == access {
			t.Fatalf("refresh %d: %d %s, want a new access token and no refresh_token", i, resp.status, resp.body)
		}
		if r := e.soql(t, body["access_token"].(string), "SELECT Id FROM Organization"); r.status != http.StatusOK {
			t.Errorf("refreshed token: %d %s", r.status, r.body)
		}
	}
	if r := e.soql(t, access, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("the first access token stopped working after a refresh: %d", r.status)
	}
	if got := e.org.Stats().TokenRefreshes; got != 2 {
		t.Errorf("TokenRefreshes = %d, want 2", got)
	}
}

func TestRefreshTokenRotation(t *testing.T) {
	e := newEnv(t, Options{RotateRefreshTokens: true})
	_, old := e.org.IssueTokens(e.rep.ID)
	resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(old))
	body := resp.obj(t)
	rotated, _ := body["refresh_token"].(string)
	if resp.status != http.StatusOK || rotated == "" || rotated == old {
		t.Fatalf("rotation: %d %s, want a new refresh_token", resp.status, resp.body)
	}
	again := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(old))
	if c, d := oauthErr(t, again); again.status != 400 || c != "invalid_grant" || d != "expired access/refresh token" {
		t.Errorf("old refresh token after rotation: %d %s", again.status, again.body)
	}
	if next := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(rotated)); next.status != http.StatusOK {
		t.Errorf("rotated refresh token: %d %s", next.status, next.body)
	}
}

func TestRevoke(t *testing.T) {
	e := newEnv(t, Options{})
	revoke := func(token string) response {
		return postForm(t, e.cloud.LoginURL()+"/services/oauth2/revoke", revokeForm(token))
	}
	t.Run("refresh token takes its access tokens along", func(t *testing.T) {
		access, refresh := e.org.IssueTokens(e.rep.ID)
		if resp := revoke(refresh); resp.status != http.StatusOK || len(resp.body) != 0 {
			t.Fatalf("revoke: %d %q, want 200 and no body", resp.status, resp.body)
		}
		if r := e.soql(t, access, "SELECT Id FROM Organization"); r.status != http.StatusUnauthorized {
			t.Errorf("access token after revoking its refresh token: %d", r.status)
		}
		r := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(refresh))
		if c, _ := oauthErr(t, r); c != "invalid_grant" {
			t.Errorf("refresh after revoke: %s", r.body)
		}
		if r := revoke(refresh); r.status != 400 {
			t.Errorf("revoking twice: %d, want 400", r.status)
		} else if c, _ := oauthErr(t, r); c != "invalid_token" {
			t.Errorf("revoking twice: %s, want invalid_token", r.body)
		}
	})
	t.Run("access token alone", func(t *testing.T) {
		access, refresh := e.org.IssueTokens(e.rep.ID)
		if resp := revoke(access); resp.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", resp.status, resp.body)
		}
		if r := e.soql(t, access, "SELECT Id FROM Organization"); r.status != http.StatusUnauthorized {
			t.Errorf("revoked access token: %d", r.status)
		}
		if r := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(refresh)); r.status != http.StatusOK {
			t.Errorf("refresh after revoking only the access token: %d %s", r.status, r.body)
		}
	})
	t.Run("refused", func(t *testing.T) {
		for _, tt := range []struct {
			form url.Values
			code string
		}{
			{revokeForm("not-a-token"), "invalid_token"},
			{revokeForm(""), "unsupported_token_type"},
			{url.Values{"token": {"x"}, "client_id": {testClientID}, "client_secret": {"wrong"}}, "invalid_client"},
		} {
			r := postForm(t, e.cloud.LoginURL()+"/services/oauth2/revoke", tt.form)
			if c, _ := oauthErr(t, r); r.status != 400 || c != tt.code {
				t.Errorf("got %d %s, want 400 %s", r.status, r.body, tt.code)
			}
		}
	})
	if got := e.org.Stats().Revocations; got != 2 {
		t.Errorf("Revocations = %d, want 2", got)
	}
}

func TestSessionTimeout(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{Now: clk.Now, SessionTimeout: time.Hour})
	clk.Advance(59 * time.Minute)
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Fatalf("used within the timeout: %d", r.status)
	}
	clk.Advance(59 * time.Minute) // idle time counts from the last use
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Fatalf("used again within the timeout: %d", r.status)
	}
	clk.Advance(61 * time.Minute)
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusUnauthorized || r.errorCode(t) != "INVALID_SESSION_ID" {
		t.Errorf("idle past the timeout: %d %s, want 401 INVALID_SESSION_ID", r.status, r.body)
	}
}

func TestIdentity(t *testing.T) {
	e := newEnv(t, Options{})
	path := "/id/" + e.org.ID() + "/" + e.rep.ID
	for _, base := range []string{e.cloud.LoginURL(), e.org.InstanceURL()} {
		resp := call(t, http.MethodGet, base+path+"?version=latest", e.repToken, "")
		if resp.status != http.StatusOK {
			t.Fatalf("%s: %d %s", base, resp.status, resp.body)
		}
		body := resp.obj(t)
		urls, _ := body["urls"].(map[string]any)
		if body["user_id"] != e.rep.ID || body["organization_id"] != e.org.ID() || body["username"] != "rep@acme.example" ||
			body["user_type"] != "STANDARD" || body["display_name"] != "Rex Rep" ||
			urls["rest"] != e.org.InstanceURL()+"/services/data/v68.0/" || body["id"] != e.cloud.LoginURL()+path {
			t.Errorf("%s: identity = %v", base, body)
		}
	}
	raw := call(t, http.MethodGet, e.cloud.LoginURL()+path, e.repToken, "").obj(t)
	if urls := raw["urls"].(map[string]any); urls["query"] != e.org.InstanceURL()+"/services/data/v{version}/query/" {
		t.Errorf("without version the urls keep {version}: %v", urls["query"])
	}
	for _, tt := range []struct {
		token, path, want string
		status            int
	}{
		{"bogus", path, "Bad_OAuth_Token", 403},
		{"", path, "Bad_OAuth_Token", 403},
		{e.repToken, "/id/" + e.org.ID() + "/" + e.admin.ID, "Bad_Id", 403},
	} {
		resp := call(t, http.MethodGet, e.cloud.LoginURL()+tt.path, tt.token, "")
		if resp.status != tt.status || string(resp.body) != tt.want {
			t.Errorf("got %d %q, want %d %q", resp.status, resp.body, tt.status, tt.want)
		}
	}
}
