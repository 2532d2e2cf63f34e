package zendesktest

import (
	"errors"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// consentPage is the sign-in and consent page. Browser tests drive it by
// name: select[name=email], button[name=decision][value=allow|deny].
const consentPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Zendesk – Allow access</title></head>
<body>
<h1>Sign in to {{.Subdomain}}</h1>
<p><strong>{{.ClientID}}</strong> is requesting access to your Zendesk account ({{.Scope}}).</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="authenticity_token" value="{{.Token}}">
<input type="hidden" name="response_type" value="code">
<input type="hidden" name="client_id" value="{{.ClientID}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="scope" value="{{.Scope}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="code_challenge" value="{{.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Method}}">
<label for="email">Sign in as</label>
<select id="email" name="email">{{range .Users}}
<option value="{{.Email}}">{{.Email}} ({{.Name}}, {{.Role}})</option>{{end}}
</select>
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
</body></html>
`

// handleAuthorizePage serves GET /oauth/authorizations/new.
func handleAuthorizePage(c *call) error {
	v := c.r.URL.Query()
	req, err := c.a.srv.parseAuthRequest(v)
	if err != nil {
		return authorizeFailed(c, req, err)
	}
	a := c.a
	a.mu.Lock()
	now := a.now()
	for tok, exp := range a.forms {
		if !now.Before(exp) {
			delete(a.forms, tok)
		}
	}
	token := randomToken(16)
	a.forms[token] = now.Add(formLifetime)
	var users []User
	for _, u := range a.sortedUsers() {
		if u.Active && u.Email != "" {
			users = append(users, u)
		}
	}
	a.mu.Unlock()
	slices.SortFunc(users, func(x, y User) int { return strings.Compare(x.Email, y.Email) })
	method := ""
	if req.challenge != "" {
		method = "S256"
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.Header().Set("Cache-Control", "no-store")
	err = c.a.srv.consent.Execute(c.w, map[string]any{
		"Subdomain": a.spec.Subdomain, "ClientID": req.clientID, "Scope": strings.Join(req.scopes, " "),
		"Action": a.base + "/oauth/authorizations", "Token": token, "RedirectURI": req.redirectURI,
		"State": req.state, "Challenge": req.challenge, "Method": method, "Users": users,
	})
	if err != nil {
		// The page is half written; all that is left is to say so.
		a.srv.log.Warn("zendesktest: rendering consent page", "err", err)
	}
	return nil
}

// handleAuthorizeDecision serves the POST of the consent form and sends
// the browser back to the client with code and state.
func handleAuthorizeDecision(c *call) error {
	if mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return showPageError(c, &pageError{http.StatusBadRequest, "The form must be posted as application/x-www-form-urlencoded"})
	}
	c.r.Body = http.MaxBytesReader(c.w, c.r.Body, maxRequestBody)
	if err := c.r.ParseForm(); err != nil {
		return showPageError(c, &pageError{http.StatusBadRequest, "The form could not be read"})
	}
	v := c.r.PostForm
	a := c.a
	a.mu.Lock()
	exp, ok := a.forms[v.Get("authenticity_token")]
	delete(a.forms, v.Get("authenticity_token"))
	a.mu.Unlock()
	if !ok || !a.now().Before(exp) {
		return showPageError(c, &pageError{http.StatusUnprocessableEntity, "Invalid authenticity token: reload the page and try again"})
	}
	req, err := a.srv.parseAuthRequest(v)
	if err != nil {
		return authorizeFailed(c, req, err)
	}
	if v.Get("decision") == "deny" {
		return authorizeFailed(c, req, &redirectError{"access_denied", "The user denied access"})
	}
	a.mu.Lock()
	u := a.userByEmail(v.Get("email"))
	if u == nil || !u.Active {
		a.mu.Unlock()
		return showPageError(c, &pageError{http.StatusUnprocessableEntity, "Invalid email or password"})
	}
	code := randomToken(24)
	a.codes[code] = &authCode{req: req, userID: u.ID, expires: a.now().Add(codeLifetime)}
	a.mu.Unlock()
	redirectBack(c, req, url.Values{"code": {code}})
	return nil
}

// authorizeFailed shows a page error or sends a redirect error back.
func authorizeFailed(c *call, req authRequest, err error) error {
	var re *redirectError
	if errors.As(err, &re) {
		redirectBack(c, req, url.Values{"error": {re.code}, "error_description": {re.desc}})
		return nil
	}
	var pe *pageError
	if errors.As(err, &pe) {
		return showPageError(c, pe)
	}
	return err
}

// redirectBack sends the browser to the client's redirect_uri with params
// and the request's state.
func redirectBack(c *call, req authRequest, params url.Values) {
	u, _ := url.Parse(req.redirectURI) // validated by parseAuthRequest
	q := u.Query()
	for k, vs := range params {
		q[k] = vs
	}
	if req.state != "" {
		q.Set("state", req.state)
	}
	u.RawQuery = q.Encode()
	http.Redirect(c.w, c.r, u.String(), http.StatusFound)
}

func showPageError(c *call, e *pageError) error {
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(e.status)
	_, _ = c.w.Write([]byte("<!DOCTYPE html><html><body><h1>" + template.HTMLEscapeString(e.msg) + "</h1></body></html>"))
	return nil
}
