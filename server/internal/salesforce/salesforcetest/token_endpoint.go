package salesforcetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// maxFormBytes caps token and revoke request bodies.
const maxFormBytes = 64 << 10

// readTokenForm checks method and content type and parses the form, as
// Salesforce accepts only form-encoded POSTs on its OAuth endpoints.
func readTokenForm(w http.ResponseWriter, r *http.Request) (url.Values, *oauthError) {
	if r.Method != http.MethodPost {
		return nil, newOAuthError("invalid_request", "must use HTTP POST")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, newOAuthError("invalid_request", "request must be application/x-www-form-urlencoded")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, newOAuthError("invalid_request", "malformed form body")
	}
	return r.PostForm, nil
}

// clientAuth authenticates the connected app from HTTP Basic or the form.
func (c *Cloud) clientAuth(r *http.Request, form url.Values) (string, *oauthError) {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		// RFC 6749 form-encodes both parts before Basic encoding.
		uid, err1 := url.QueryUnescape(bid)
		usecret, err2 := url.QueryUnescape(bsecret)
		if err1 != nil || err2 != nil || (id != "" && id != uid) {
			return "", newOAuthError("invalid_client", "invalid client credentials")
		}
		id, secret = uid, usecret
	}
	if id == "" || subtle.ConstantTimeCompare([]byte(id), []byte(c.opts.ClientID)) != 1 {
		return "", newOAuthError("invalid_client_id", "client identifier invalid")
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(c.opts.ClientSecret)) != 1 {
		return "", newOAuthError("invalid_client", "invalid client credentials")
	}
	return id, nil
}

// handleToken is POST /services/oauth2/token.
func (c *Cloud) handleToken(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	form, oerr := readTokenForm(w, r)
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	grantType := form.Get("grant_type")
	if grantType != "authorization_code" && grantType != "refresh_token" {
		writeOAuthError(w, newOAuthError("unsupported_grant_type", "grant type not supported"))
		return
	}
	clientID, oerr := c.clientAuth(r, form)
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	var body object
	if grantType == "authorization_code" {
		body, oerr = c.exchangeCode(clientID, form)
	} else {
		body, oerr = c.refreshGrant(clientID, form)
	}
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (c *Cloud) exchangeCode(clientID string, form url.Values) (object, *oauthError) {
	ac, ok := c.tokens.takeCode(form.Get("code"))
	if !ok || ac.used || ac.clientID != clientID {
		return nil, newOAuthError("invalid_grant", "authentication failure")
	}
	if c.now().After(ac.expires) {
		return nil, newOAuthError("invalid_grant", "expired authorization code")
	}
	if form.Get("redirect_uri") != ac.redirectURI {
		return nil, newOAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
	}
	if !verifierMatches(ac.challenge, form.Get("code_verifier")) {
		return nil, newOAuthError("invalid_grant", "invalid code verifier")
	}
	o := c.Org(ac.orgID)
	if o == nil || o.user(ac.userID) == nil {
		return nil, newOAuthError("invalid_grant", "authentication failure")
	}
	refresh := ""
	var g *grant
	if hasScope(ac.scope, "refresh_token", "offline_access") {
		g = c.tokens.newGrant(o.id, ac.userID, clientID, ac.scope)
		refresh = g.refresh
	}
	ss := c.tokens.newSession(o.id, ac.userID, ac.scope, g, c.now(), c.opts.SessionTimeout)
	return c.tokenBody(o, ac.userID, ss.token, refresh, ac.scope), nil
}

// verifierMatches applies PKCE: with a challenge the verifier must hash to
// it (S256); without one, sending a verifier is an error too.
func verifierMatches(challenge, verifier string) bool {
	if challenge == "" {
		return verifier == ""
	}
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	want := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

func (c *Cloud) refreshGrant(clientID string, form url.Values) (object, *oauthError) {
	g, ok := c.tokens.refresh(form.Get("refresh_token"), clientID, c.opts.RotateRefreshTokens)
	expired := newOAuthError("invalid_grant", "expired access/refresh token")
	if !ok {
		return nil, expired
	}
	o := c.Org(g.orgID)
	if o == nil || o.user(g.userID) == nil {
		return nil, expired
	}
	o.bump(func(s *Stats) { s.TokenRefreshes++ })
	ss := c.tokens.newSession(o.id, g.userID, g.scope, g, c.now(), c.opts.SessionTimeout)
	refresh := ""
	if c.opts.RotateRefreshTokens {
		refresh = g.refresh
	}
	return c.tokenBody(o, g.userID, ss.token, refresh, g.scope), nil
}

// tokenBody is the token response with exactly Salesforce's fields: no
// expires_in; issued_at in epoch milliseconds as a string; signature =
// base64(HMAC-SHA256(client secret, id + issued_at)).
func (c *Cloud) tokenBody(o *Org, userID, access, refresh, scope string) object {
	issued := strconv.FormatInt(c.now().UnixMilli(), 10)
	id := c.loginURL + "/id/" + o.id + "/" + userID
	mac := hmac.New(sha256.New, []byte(c.opts.ClientSecret))
	mac.Write([]byte(id + issued))
	body := object{{"access_token", access}}
	if refresh != "" {
		body = append(body, member{"refresh_token", refresh})
	}
	return append(body,
		member{"signature", base64.StdEncoding.EncodeToString(mac.Sum(nil))},
		member{"scope", scope},
		member{"instance_url", o.url},
		member{"id", id},
		member{"token_type", "Bearer"},
		member{"issued_at", issued},
	)
}

// handleRevoke is POST /services/oauth2/revoke.
func (c *Cloud) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, oerr := readTokenForm(w, r)
	if oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	if _, oerr := c.clientAuth(r, form); oerr != nil {
		writeOAuthError(w, oerr)
		return
	}
	token := form.Get("token")
	if token == "" {
		writeOAuthError(w, newOAuthError("unsupported_token_type", "this token type is not supported"))
		return
	}
	orgID, ok := c.tokens.revoke(token)
	if !ok {
		writeOAuthError(w, newOAuthError("invalid_token", "invalid token"))
		return
	}
	if o := c.Org(orgID); o != nil {
		o.bump(func(s *Stats) { s.Revocations++ })
	}
	w.WriteHeader(http.StatusOK)
}
