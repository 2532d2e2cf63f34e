package salesforcetest

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"
)

// grant is what a refresh token stands for.
type grant struct {
	refresh  string
	orgID    string
	userID   string
	clientID string
	scope    string
	revoked  bool
}

// session is one access token.
type session struct {
	token    string
	orgID    string
	userID   string
	scope    string
	grant    *grant // nil for tokens without a refresh token (Canvas)
	lastUsed time.Time
	dead     bool
}

// authCode is an authorization code waiting to be exchanged.
type authCode struct {
	clientID    string
	redirectURI string
	challenge   string
	scope       string
	orgID       string
	userID      string
	expires     time.Time
	used        bool
}

// tokenStore holds every token of a Cloud. Its mutex is never held while
// taking an org's locks.
type tokenStore struct {
	mu       sync.Mutex
	sessions map[string]*session
	grants   map[string]*grant
	codes    map[string]*authCode
	issued   int
}

func newTokenStore() *tokenStore {
	return &tokenStore{sessions: map[string]*session{}, grants: map[string]*grant{}, codes: map[string]*authCode{}}
}

// newGrant issues a refresh token.
func (s *tokenStore) newGrant(orgID, userID, clientID, scope string) *grant {
	g := &grant{refresh: "5Aep861" + randomToken(80), orgID: orgID, userID: userID, clientID: clientID, scope: scope}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants[g.refresh] = g
	return g
}

// newSession issues an access token shaped like Salesforce's: the 15-char
// org id, "!", then opaque text with '.' and '_' in it.
func (s *tokenStore) newSession(orgID, userID, scope string, g *grant, now time.Time, idle time.Duration) *session {
	ss := &session{token: orgID[:15] + "!AQ" + randomToken(96), orgID: orgID, userID: userID,
		scope: scope, grant: g, lastUsed: now}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued++
	if s.issued%256 == 0 {
		s.sweepLocked(now, idle)
	}
	s.sessions[ss.token] = ss
	return ss
}

// sweepLocked forgets sessions that can never be used again, so a sandbox
// running for days does not grow without bound.
func (s *tokenStore) sweepLocked(now time.Time, idle time.Duration) {
	for k, ss := range s.sessions {
		if ss.dead || now.Sub(ss.lastUsed) > idle || (ss.grant != nil && ss.grant.revoked) {
			delete(s.sessions, k)
		}
	}
	for k, c := range s.codes {
		if now.After(c.expires) {
			delete(s.codes, k)
		}
	}
}

// use validates an access token for orgID and marks it used. Tokens idle
// longer than idle die, like a Salesforce session timeout.
func (s *tokenStore) use(token, orgID string, now time.Time, idle time.Duration) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[token]
	if ss == nil || ss.orgID != orgID || ss.dead || (ss.grant != nil && ss.grant.revoked) {
		return nil, false
	}
	if now.Sub(ss.lastUsed) > idle {
		ss.dead = true
		return nil, false
	}
	ss.lastUsed = now
	cp := *ss
	return &cp, true
}

// refresh exchanges a refresh token; rotate replaces it with a new one.
// The grant returned is shared: read only its immutable fields.
func (s *tokenStore) refresh(token, clientID string, rotate bool) (*grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.grants[token]
	if g == nil || g.revoked || g.clientID != clientID {
		return nil, false
	}
	if !rotate {
		return g, true
	}
	// The old token dies but access tokens already issued keep working.
	delete(s.grants, token)
	ng := &grant{refresh: "5Aep861" + randomToken(80), orgID: g.orgID, userID: g.userID, clientID: g.clientID, scope: g.scope}
	s.grants[ng.refresh] = ng
	return ng, true
}

// revoke ends an access or refresh token; a refresh token takes its access
// tokens with it. It reports the org, or false for an unknown token.
func (s *tokenStore) revoke(token string) (orgID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.grants[token]; g != nil && !g.revoked {
		g.revoked = true
		return g.orgID, true
	}
	if ss := s.sessions[token]; ss != nil && !ss.dead && (ss.grant == nil || !ss.grant.revoked) {
		ss.dead = true
		return ss.orgID, true
	}
	return "", false
}

// expireOrg ends every access token of an org.
func (s *tokenStore) expireOrg(orgID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ss := range s.sessions {
		if ss.orgID == orgID {
			ss.dead = true
		}
	}
}

// revokeOrg revokes every refresh and access token of an org.
func (s *tokenStore) revokeOrg(orgID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.grants {
		if g.orgID == orgID {
			g.revoked = true
		}
	}
	for _, ss := range s.sessions {
		if ss.orgID == orgID {
			ss.dead = true
		}
	}
}

// putCode stores an authorization code and returns it. Codes end in "=="
// like Salesforce's, so a client that forgets to URL-decode them fails.
func (s *tokenStore) putCode(c *authCode) string {
	code := "aPrx" + randomToken(60) + "=="
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = c
	return code
}

// takeCode returns the code's data and marks it used; the copy reports
// whether it had been used before.
func (s *tokenStore) takeCode(code string) (authCode, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes[code]
	if c == nil {
		return authCode{}, false
	}
	cp := *c
	c.used = true
	return cp, true
}

// randomToken returns n characters of token alphabet from crypto/rand.
func randomToken(n int) string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._"
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	var sb strings.Builder
	sb.Grow(n)
	for _, c := range b {
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}
