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

// flow is the state an OAuth redirect carries across the round trip.
type flow struct {
	Kind        string                `json:"kind"` // "zendesk" or "salesforce"
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

// takeFlow returns the flow a state names and removes it, so a state (and
// the code that came with it) works once.
func (s *Service) takeFlow(ctx context.Context, state, kind string) (flow, error) {
	var f flow
	if state == "" {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "The sign-in came back without its state. Start again.")
	}
	ok, err := s.get(ctx, "{_}:flow:"+state, &f)
	if err != nil {
		return f, err
	}
	if !ok || f.Kind != kind {
		return f, crossview.Errorf(crossview.EFORBIDDEN, "This sign-in link is unknown, expired or already used. Start again.")
	}
	if err := s.o.Flows.Delete(ctx, "{_}:flow:"+state); err != nil {
		return f, err
	}
	return f, nil
}

// Session returns the live session with this id.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	var sess Session
	if id == "" {
		return sess, ErrNoSession
	}
	ok, err := s.get(ctx, "{_}:session:"+id, &sess)
	if err != nil {
		return sess, err
	}
	if !ok || !s.o.Now().Before(sess.Expires) {
		return Session{}, ErrNoSession
	}
	return sess, nil
}

// SignOut ends a session.
func (s *Service) SignOut(ctx context.Context, sess Session) error {
	s.audit(ctx, sess.Subdomain, sess.Actor(), "admin.sign_out", nil, "")
	return s.o.Flows.Delete(ctx, "{_}:session:"+sess.ID)
}

// ErrNoSession means the admin must sign in.
var ErrNoSession = crossview.Errorf(crossview.EUNAUTHORIZED, "Sign in with your Zendesk admin account.")

// IsNoSession reports whether err means "not signed in".
func IsNoSession(err error) bool { return errors.Is(err, ErrNoSession) }
