package zendesktest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"time"
)

// principal is who an API request authenticated as.
type principal struct {
	user User
	// bearer is the OAuth access token used, "" for API-token auth.
	bearer string
	// scopes are the OAuth token's scopes; nil for API tokens, which can
	// do anything their user can.
	scopes []string
}

type accessToken struct {
	userID   int64
	scopes   []string
	clientID string
	expires  time.Time // zero: never
	refresh  string    // the paired refresh token, if any
}

type refreshToken struct {
	userID   int64
	scopes   []string
	clientID string
	expires  time.Time
	access   string // the paired access token
}

// IssueAPIToken creates an account API token. With it, any active agent
// or admin can authenticate as "{email}/token:{api_token}".
func (a *Account) IssueAPIToken() string {
	tok := randomToken(20)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.apiTokens[tok] = true
	return tok
}

// IssueOAuthToken creates a non-expiring OAuth access token for a user, as
// an admin could in Admin Center. No scopes means "read write".
func (a *Account) IssueOAuthToken(userID int64, scopes ...string) string {
	if len(scopes) == 0 {
		scopes = []string{"read", "write"}
	}
	tok := randomToken(32)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access[tok] = &accessToken{userID: userID, scopes: slices.Clone(scopes)}
	return tok
}

// RevokeTokens makes every API token, OAuth token, refresh token and
// pending authorization code stop working.
func (a *Account) RevokeTokens() {
	a.mu.Lock()
	defer a.mu.Unlock()
	clear(a.apiTokens)
	clear(a.access)
	clear(a.refresh)
	clear(a.codes)
}

// ExpireOAuthTokens makes every OAuth access token expire now; refresh
// tokens keep working, so a client must refresh.
func (a *Account) ExpireOAuthTokens() {
	a.mu.Lock()
	defer a.mu.Unlock()
	past := a.now().Add(-time.Second)
	for _, t := range a.access {
		t.expires = past
	}
}

// authenticate checks the Authorization header of an API request.
func (a *Account) authenticate(r *http.Request) (principal, error) {
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	cred = strings.TrimSpace(cred)
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case strings.EqualFold(scheme, "Basic"):
		raw, err := base64.StdEncoding.DecodeString(cred)
		if err != nil {
			return principal{}, errUnauthenticated()
		}
		// Password access is off, as on most accounts: only API tokens.
		email, token, ok := strings.Cut(string(raw), "/token:")
		if !ok || !a.apiTokens[token] {
			return principal{}, errUnauthenticated()
		}
		u := a.userByEmail(email)
		if u == nil || !u.Active || u.Role == RoleEndUser {
			return principal{}, errUnauthenticated()
		}
		return principal{user: *u}, nil
	case strings.EqualFold(scheme, "Bearer"):
		t := a.access[cred]
		if t == nil || (!t.expires.IsZero() && !a.now().Before(t.expires)) {
			return principal{}, errUnauthenticated()
		}
		u := a.users[t.userID]
		if u == nil || !u.Active {
			return principal{}, errUnauthenticated()
		}
		return principal{user: *u, bearer: cred, scopes: slices.Clone(t.scopes)}, nil
	}
	return principal{}, errUnauthenticated()
}

// authorize checks the principal's role and, for OAuth, its scopes.
func authorize(rt route, p principal) error {
	switch rt.access {
	case agentOnly:
		if p.user.Role == RoleEndUser {
			return errForbidden()
		}
	case adminOnly:
		if p.user.Role != RoleAdmin {
			return errForbidden()
		}
	}
	if p.scopes == nil {
		return nil
	}
	need := "read"
	if rt.method != http.MethodGet {
		need = "write"
	}
	if slices.Contains(p.scopes, need) || (rt.resource != "" && slices.Contains(p.scopes, rt.resource+":"+need)) {
		return nil
	}
	e := errForbidden()
	e.Description = "You are missing the following required scopes: " + need
	return e
}

// randomToken returns n random bytes, hex-encoded.
func randomToken(n int) string { return hex.EncodeToString(randomBytes(n)) }

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	return b
}
