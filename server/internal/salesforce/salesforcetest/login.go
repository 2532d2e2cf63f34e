package salesforcetest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// codeLifetime is how long an authorization code can be exchanged.
const codeLifetime = 15 * time.Minute

// defaultScope is what a grant gets when the authorize call names none:
// the connected app's scopes.
const defaultScope = "refresh_token api id"

// loginHandler routes the login host.
func (c *Cloud) loginHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/services/oauth2/authorize", c.handleAuthorize)
	mux.HandleFunc("/services/oauth2/token", c.handleToken)
	mux.HandleFunc("/services/oauth2/revoke", c.handleRevoke)
	mux.HandleFunc("/id/", func(w http.ResponseWriter, r *http.Request) { c.serveIdentity(w, r, nil) })
	return mux
}

// authzRequest holds the authorize parameters; the sign-in form carries
// them as hidden fields so its POST can be checked again.
type authzRequest struct {
	ResponseType, ClientID, RedirectURI, State, Challenge, ChallengeMethod, Scope, Prompt string
}

func readAuthz(v url.Values) authzRequest {
	return authzRequest{
		ResponseType: v.Get("response_type"), ClientID: v.Get("client_id"),
		RedirectURI: v.Get("redirect_uri"), State: v.Get("state"),
		Challenge: v.Get("code_challenge"), ChallengeMethod: v.Get("code_challenge_method"),
		Scope: v.Get("scope"), Prompt: v.Get("prompt"),
	}
}

// handleAuthorize shows the sign-in page (GET) and signs a user in (POST).
func (c *Cloud) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		c.errorPage(w, "invalid_request", "malformed request")
		return
	}
	// POST reads the form only, so a query string cannot override it.
	params := r.Form
	if r.Method == http.MethodPost {
		params = r.PostForm
	}
	az := readAuthz(params)
	if subtle.ConstantTimeCompare([]byte(az.ClientID), []byte(c.opts.ClientID)) != 1 {
		c.errorPage(w, "invalid_client_id", "client identifier invalid")
		return
	}
	if !c.redirectAllowed(az.RedirectURI) {
		c.errorPage(w, "redirect_uri_mismatch", "redirect_uri must match configuration")
		return
	}
	if code, desc := checkAuthz(az); code != "" {
		redirectBack(w, r, az, url.Values{"error": {code}, "error_description": {desc}})
		return
	}
	if r.Method == http.MethodGet {
		c.renderLogin(w, az, "")
		return
	}
	c.signIn(w, r, az, params.Get("username"))
}

// checkAuthz validates what is reported back to the client by redirect.
func checkAuthz(az authzRequest) (code, desc string) {
	if az.ResponseType != "code" {
		return "unsupported_response_type", "response type not supported"
	}
	if az.Challenge != "" {
		raw, err := base64.RawURLEncoding.DecodeString(az.Challenge)
		if err != nil || len(raw) != 32 {
			return "invalid_request", "invalid code_challenge"
		}
		if az.ChallengeMethod != "" && az.ChallengeMethod != "S256" {
			return "invalid_request", "unsupported code_challenge_method"
		}
	}
	if _, ok := parseScope(az.Scope); !ok {
		return "invalid_scope", "the requested scope is not allowed"
	}
	return "", ""
}

// parseScope validates a space-separated scope list; "" means the default.
func parseScope(s string) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return defaultScope, true
	}
	var out []string
	for _, sc := range strings.Fields(s) {
		switch sc {
		case "api", "refresh_token", "offline_access", "id", "profile", "email", "address", "phone", "full", "web":
			out = append(out, sc)
		default:
			// openid is real but needs an id_token, which the emulator does not mint.
			return "", false
		}
	}
	return strings.Join(out, " "), true
}

func hasScope(scope string, want ...string) bool {
	for _, s := range strings.Fields(scope) {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

func (c *Cloud) redirectAllowed(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
		return false
	}
	if len(c.opts.RedirectURIs) == 0 {
		return true
	}
	for _, allowed := range c.opts.RedirectURIs {
		if allowed == uri {
			return true
		}
	}
	return false
}

// signIn issues a code for username, or explains why not.
func (c *Cloud) signIn(w http.ResponseWriter, r *http.Request, az authzRequest, username string) {
	o, u := c.findUser(strings.TrimSpace(username))
	if u == nil {
		c.renderLogin(w, az, "Please check your username and password. If you still can't log in, contact your Salesforce administrator.")
		return
	}
	if u.APIOnly {
		redirectBack(w, r, az, url.Values{"error": {"access_denied"},
			"error_description": {"API-only users can't log in through the user interface"}})
		return
	}
	scope, _ := parseScope(az.Scope)
	code := c.tokens.putCode(&authCode{
		clientID: az.ClientID, redirectURI: az.RedirectURI, challenge: az.Challenge, scope: scope,
		orgID: o.id, userID: u.ID, expires: c.now().Add(codeLifetime),
	})
	redirectBack(w, r, az, url.Values{"code": {code}})
}

// redirectBack sends the browser to redirect_uri with params and state.
func redirectBack(w http.ResponseWriter, r *http.Request, az authzRequest, params url.Values) {
	u, _ := url.Parse(az.RedirectURI) // validated by redirectAllowed
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	if az.State != "" {
		q.Set("state", az.State)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// loginUser is one choice on the sign-in page.
type loginUser struct{ Username, Name, OrgName string }

func (c *Cloud) renderLogin(w http.ResponseWriter, az authzRequest, errMsg string) {
	var users []loginUser
	for _, o := range c.orgList() {
		for _, u := range o.users() {
			users = append(users, loginUser{Username: u.Username, Name: u.fullName(), OrgName: o.name})
		}
	}
	sort.Slice(users, func(i, j int) bool {
		if users[i].OrgName != users[j].OrgName {
			return users[i].OrgName < users[j].OrgName
		}
		return users[i].Username < users[j].Username
	})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = c.page.Execute(w, map[string]any{"Req": az, "Users": users, "Error": errMsg})
}

// errorPage is the plain page Salesforce shows when it cannot trust the
// redirect_uri enough to send the error back.
func (c *Cloud) errorPage(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = c.page.ExecuteTemplate(w, "error", map[string]string{
		"Text": "error=" + code + "&error_description=" + url.PathEscape(desc), "Code": code,
	})
}

// loginPage is the sign-in page. Browser tests drive it by name and id:
// select#username, button#Login, p[data-testid=login-error].
const loginPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Login | Salesforce</title></head>
<body>
<h1>Salesforce (emulator)</h1>
<p>Sign in to allow access to your Salesforce data.</p>
{{if .Error}}<p id="error" data-testid="login-error" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/services/oauth2/authorize" id="login_form">
<input type="hidden" name="response_type" value="{{.Req.ResponseType}}">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="code_challenge" value="{{.Req.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Req.ChallengeMethod}}">
<input type="hidden" name="scope" value="{{.Req.Scope}}">
<label for="username">Username</label>
<select name="username" id="username">
{{range .Users}}<option value="{{.Username}}">{{.Username}} ({{.Name}}, {{.OrgName}})</option>
{{end}}</select>
<button type="submit" id="Login" name="Login">Log In</button>
</form>
</body></html>
{{define "error"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error | Salesforce</title></head>
<body><p id="error" data-testid="oauth-error" data-error="{{.Code}}">{{.Text}}</p></body></html>
{{end}}`
