package zendesktest

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// OAuth lifetimes. Codes live 120 s (documented); access tokens 2 h
// unless the client asks otherwise; refresh tokens 30 days (documented
// default).
const (
	codeLifetime     = 120 * time.Second
	formLifetime     = 10 * time.Minute
	defaultExpiresIn = 7200
	refreshExpiresIn = 2592000
)

// authRequest is a validated authorization request.
type authRequest struct {
	clientID, redirectURI, state, challenge string
	scopes                                  []string
}

// authCode is an issued authorization code.
type authCode struct {
	req     authRequest
	userID  int64
	expires time.Time
}

// pageError is an authorization request so broken that the user is shown
// an error page instead of being sent back to the client.
type pageError struct {
	status int
	msg    string
}

func (e *pageError) Error() string { return e.msg }

// redirectError is sent back to the client's redirect_uri as error=.
type redirectError struct {
	code, desc string
}

func (e *redirectError) Error() string { return e.code + ": " + e.desc }

// parseAuthRequest validates the parameters of /oauth/authorizations/new.
func (s *Server) parseAuthRequest(v url.Values) (authRequest, error) {
	req := authRequest{clientID: v.Get("client_id"), redirectURI: v.Get("redirect_uri"), state: v.Get("state"),
		challenge: v.Get("code_challenge")}
	secret, known := s.clients[req.clientID]
	if !known {
		return req, &pageError{400, "Invalid authorization request: unknown client_id"}
	}
	u, err := url.Parse(req.redirectURI)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Fragment != "" {
		return req, &pageError{400, "Invalid authorization request: redirect_uri must be an absolute URL"}
	}
	if v.Get("response_type") != "code" {
		return req, &redirectError{"unsupported_response_type", "response_type must be code"}
	}
	req.scopes = strings.Fields(v.Get("scope"))
	if len(req.scopes) == 0 {
		return req, &redirectError{"invalid_scope", "scope is required"}
	}
	for _, sc := range req.scopes {
		if !validScope(sc) {
			return req, &redirectError{"invalid_scope", "unknown scope " + sc}
		}
	}
	method := v.Get("code_challenge_method")
	switch {
	case req.challenge == "" && method != "":
		return req, &redirectError{"invalid_request", "code_challenge_method without code_challenge"}
	case req.challenge != "" && method != "S256":
		return req, &redirectError{"invalid_request", "code_challenge_method must be S256"}
	case req.challenge != "" && !validPKCEString(req.challenge):
		return req, &redirectError{"invalid_request", "code_challenge is malformed"}
	case req.challenge == "" && secret == "":
		return req, &redirectError{"invalid_request", "public clients must use PKCE"}
	}
	return req, nil
}

func validScope(s string) bool {
	switch s {
	case "read", "write", "impersonate":
		return true
	}
	resource, access, ok := strings.Cut(s, ":")
	if !ok || (access != "read" && access != "write") {
		return false
	}
	switch resource {
	case "tickets", "users", "organizations", "auditlogs", "hc", "apps", "triggers", "automations",
		"targets", "webhooks", "macros", "requests", "satisfaction_ratings", "dynamic_content",
		"any_channel", "web_widget", "zis":
		return true
	}
	return false
}

// validPKCEString checks the RFC 7636 shape of a verifier or challenge:
// 43 to 128 characters of [A-Za-z0-9-._~].
func validPKCEString(s string) bool {
	if len(s) < 43 || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
			return false
		}
	}
	return true
}

// pkceS256 is the S256 code challenge of a verifier.
func pkceS256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
