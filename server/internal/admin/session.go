package admin

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Session is a signed-in Zendesk admin.
type Session struct {
	ID        string    `json:"id"`
	Subdomain string    `json:"subdomain"`
	UserID    int64     `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CSRF      string    `json:"csrf"`
	Expires   time.Time `json:"expires"`
}

// Actor names the admin in the audit log.
func (s Session) Actor() string { return s.Email }

// CheckCSRF compares a form's token with the session's in constant time.
func (s Session) CheckCSRF(token string) error {
	if token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.CSRF)) != 1 {
		return crossview.Errorf(crossview.EFORBIDDEN, "The form's security token is missing or out of date. Reload the page and try again.")
	}
	return nil
}

// stored is the session as the store keeps it.
func (s Session) stored(created time.Time) crossview.AdminSession {
	return crossview.AdminSession{ID: s.ID, Tenant: s.Subdomain, UserID: s.UserID, Email: s.Email, Name: s.Name,
		CSRF: s.CSRF, CreatedAt: created, ExpiresAt: s.Expires}
}

// flow is the state a Salesforce connect carries across the round trip.
// It is kept in the cache, bound to the session that started it; sign-in
// flows live in the browser's pre-auth cookie instead (signin.go).
type flow struct {
	Kind        string                `json:"kind"` // "salesforce"
	Subdomain   string                `json:"subdomain"`
	Verifier    string                `json:"verifier"`
	Environment crossview.Environment `json:"environment,omitempty"`
	SessionID   string                `json:"session_id,omitempty"`
}

// flowTTL bounds how long an admin may take at the other end.
const flowTTL = 10 * time.Minute

func randomToken() string { return rand.Text() }

func (s *Service) put(ctx context.Context, key string, v any, ttl time.Duration) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	now := s.o.Now()
	return s.o.Flows.Set(ctx, key, cache.Entry{Value: b, StoredAt: now, FreshUntil: now.Add(ttl)}, ttl)
}

func (s *Service) get(ctx context.Context, key string, v any) (bool, error) {
	e, ok, err := s.o.Flows.Get(ctx, key)
	if err != nil || !ok {
		return false, err
	}
	return true, json.Unmarshal(e.Value, v)
}

// takeFlow returns the connect flow a state names and removes it, so a
// state (and the code that came with it) works once. A state another
// session started is refused and left alone, so opening someone's
// callback link spends nothing of theirs.
func (s *Service) takeFlow(ctx context.Context, sess Session, state string) (flow, error) {
	var f flow
	if state == "" {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "The sign-in came back without its state. Start again.")
	}
	ok, err := s.get(ctx, "{_}:flow:"+state, &f)
	if err != nil {
		return f, err
	}
	if !ok || f.Kind != "salesforce" {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "This sign-in link is unknown, expired or already used. Start again.")
	}
	if subtle.ConstantTimeCompare([]byte(f.SessionID), []byte(sess.ID)) != 1 || f.Subdomain != sess.Subdomain {
		return flow{}, crossview.Errorf(crossview.EFORBIDDEN, "This Salesforce sign-in was started by another session.")
	}
	if err := s.o.Flows.Delete(ctx, "{_}:flow:"+state); err != nil {
		return f, err
	}
	return f, nil
}

// Session returns the live session with this id.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	if id == "" {
		return Session{}, ErrNoSession
	}
	cs, err := s.o.Store.AdminSession(ctx, id)
	if errors.Is(err, crossview.ErrNotFound) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, storeDown(err)
	}
	return Session{ID: cs.ID, Subdomain: cs.Tenant, UserID: cs.UserID, Email: cs.Email, Name: cs.Name, CSRF: cs.CSRF, Expires: cs.ExpiresAt}, nil
}

// SignOut ends a session, in the store, for every replica.
func (s *Service) SignOut(ctx context.Context, sess Session) error {
	if err := s.o.Store.DeleteAdminSession(ctx, sess.ID); err != nil {
		return storeDown(err)
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), "admin.sign_out", nil, "")
	return nil
}

// ErrNoSession means the admin must sign in.
var ErrNoSession = crossview.Errorf(crossview.EUNAUTHORIZED, "Sign in with your Zendesk admin account.")

// IsNoSession reports whether err means "not signed in".
func IsNoSession(err error) bool { return errors.Is(err, ErrNoSession) }
