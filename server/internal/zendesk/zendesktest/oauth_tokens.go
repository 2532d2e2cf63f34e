package zendesktest

import (
	"crypto/subtle"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// handleToken serves POST /oauth/tokens: the authorization_code and
// refresh_token grants, with client credentials in the JSON or form body.
func handleToken(c *call) error {
	p, ok := readTokenParams(c)
	if !ok {
		return oauthFail(c, http.StatusBadRequest, "invalid_request", "The body must be JSON or a form")
	}
	secret, known := c.a.srv.clients[p["client_id"]]
	if !known || (secret != "" && subtle.ConstantTimeCompare([]byte(p["client_secret"]), []byte(secret)) != 1) {
		return oauthFail(c, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
	}
	expiresIn := defaultExpiresIn
	if s := p["expires_in"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 300 || n >= 172800 {
			return oauthFail(c, http.StatusBadRequest, "invalid_request", "expires_in must be between 300 and 172800 seconds")
		}
		expiresIn = n
	}
	switch p["grant_type"] {
	case "authorization_code":
		return exchangeCode(c, p, expiresIn)
	case "refresh_token":
		return refreshGrant(c, p, expiresIn)
	case "":
		return oauthFail(c, http.StatusBadRequest, "invalid_request", "grant_type is missing")
	}
	return oauthFail(c, http.StatusBadRequest, "unsupported_grant_type", "grant_type is not supported")
}

// exchangeCode redeems an authorization code. A code is burnt by any
// attempt to use it, successful or not.
func exchangeCode(c *call, p map[string]string, expiresIn int) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	code := a.codes[p["code"]]
	delete(a.codes, p["code"])
	switch {
	case code == nil:
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "The authorization code is invalid or was already used")
	case !a.now().Before(code.expires):
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "The authorization code has expired")
	case code.req.clientID != p["client_id"]:
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "The authorization code was issued to another client")
	case code.req.redirectURI != p["redirect_uri"]:
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
	case code.req.challenge == "" && p["code_verifier"] != "":
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "code_verifier given but no code_challenge was")
	case code.req.challenge != "" && (!validPKCEString(p["code_verifier"]) ||
		subtle.ConstantTimeCompare([]byte(pkceS256(p["code_verifier"])), []byte(code.req.challenge)) != 1):
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
	}
	return issueTokens(c, code.userID, code.req.scopes, code.req.clientID, expiresIn)
}

// refreshGrant rotates a refresh token: the old access and refresh tokens
// stop working.
func refreshGrant(c *call, p map[string]string, expiresIn int) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	rt := a.refresh[p["refresh_token"]]
	switch {
	case rt == nil || !a.now().Before(rt.expires):
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "The refresh token is invalid")
	case rt.clientID != p["client_id"]:
		return oauthFail(c, http.StatusBadRequest, "invalid_grant", "The refresh token was issued to another client")
	}
	delete(a.refresh, p["refresh_token"])
	delete(a.access, rt.access)
	return issueTokens(c, rt.userID, rt.scopes, rt.clientID, expiresIn)
}

// issueTokens stores and answers a new access and refresh token pair.
// Callers hold a.mu.
func issueTokens(c *call, userID int64, scopes []string, clientID string, expiresIn int) error {
	a := c.a
	now := a.now()
	access, refresh := randomToken(32), randomToken(32)
	a.access[access] = &accessToken{userID: userID, scopes: scopes, clientID: clientID,
		expires: now.Add(secondsToDuration(expiresIn)), refresh: refresh}
	a.refresh[refresh] = &refreshToken{userID: userID, scopes: scopes, clientID: clientID,
		expires: now.Add(secondsToDuration(refreshExpiresIn)), access: access}
	c.w.Header().Set("Cache-Control", "no-store")
	writeJSON(c.w, http.StatusOK, map[string]any{
		"access_token": access, "refresh_token": refresh, "token_type": "bearer",
		"scope": strings.Join(scopes, " "), "expires_in": expiresIn, "refresh_token_expires_in": refreshExpiresIn,
	})
	return nil
}

// handleRevokeCurrentToken serves DELETE /api/v2/oauth/tokens/current.json:
// the OAuth token of the request (and its refresh token) stops working.
func handleRevokeCurrentToken(c *call) error {
	if c.who.bearer == "" {
		return errNotFound()
	}
	a := c.a
	a.mu.Lock()
	if t := a.access[c.who.bearer]; t != nil {
		delete(a.refresh, t.refresh)
	}
	delete(a.access, c.who.bearer)
	a.mu.Unlock()
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// readTokenParams reads a token request body, JSON or form, as strings.
func readTokenParams(c *call) (map[string]string, bool) {
	mt, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	body := http.MaxBytesReader(c.w, c.r.Body, maxRequestBody)
	out := map[string]string{}
	switch mt {
	case "application/json":
		var raw map[string]any
		dec := json.NewDecoder(body)
		dec.UseNumber()
		if dec.Decode(&raw) != nil {
			return nil, false
		}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				out[k] = v
			case json.Number:
				out[k] = v.String()
			}
		}
	case "application/x-www-form-urlencoded":
		c.r.Body = body
		if c.r.ParseForm() != nil {
			return nil, false
		}
		for k := range c.r.PostForm {
			out[k] = c.r.PostForm.Get(k)
		}
	default:
		return nil, false
	}
	return out, true
}

func oauthFail(c *call, status int, code, desc string) error {
	c.w.Header().Set("Cache-Control", "no-store")
	writeJSON(c.w, status, map[string]string{"error": code, "error_description": desc})
	return nil
}
