package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
)

// tableSessions holds admin sessions in the global partition, keyed by the
// SHA-256 of the session id: the store never holds the bearer secret
// itself, so a copy of the data (a backup, a Redis dump) signs nobody in.
// The rest of the session is sealed; only its expiry is plain, for the
// sweep.
//
// Records carry no backend TTL. On Redis that keeps them out of reach of a
// volatile-* eviction policy (which may evict any key with a TTL); expiry
// is instead the record's own ExpiresAt, checked on every read, and a sweep
// deletes expired records at most every sessionPruneEvery per process. The
// sweep reads the whole table, which stays small: a session exists only
// after a Zendesk admin completed an OAuth sign-in (rate-limited per
// client), and lives SessionTTL (8 hours by default).
const tableSessions = "admin_sessions"

// sessionPruneEvery paces the sweep of expired sessions.
const sessionPruneEvery = 10 * time.Minute

// Bounds on what a session holds; it is a few short strings.
const (
	minSessionID     = 16
	maxSessionID     = 128
	maxSessionRecord = 4 << 10
)

// sessionRecord is a session at rest. Backend.List gives values only, so
// the value carries its own key for the sweep to delete by.
type sessionRecord struct {
	Key       string        `json:"key"`
	ExpiresAt time.Time     `json:"expires_at"`
	Sealed    secret.Sealed `json:"sealed"`
}

// sessionState paces this process's sweeps. Its zero value is ready.
type sessionState struct {
	mu     sync.Mutex
	pruned time.Time
}

func sessionKey(id string) string {
	sum := sha256.Sum256([]byte("crossview admin session\x00" + id))
	return hex.EncodeToString(sum[:])
}

func sessionAD(key string) []byte { return []byte("admin_session/" + key) }

func validateSession(s crossview.AdminSession, now time.Time) error {
	if len(s.ID) < minSessionID || len(s.ID) > maxSessionID {
		return crossview.Errorf(crossview.EINVALID, "a session id is %d to %d characters", minSessionID, maxSessionID)
	}
	if !crossview.ValidSubdomain(s.Tenant) {
		return crossview.Errorf(crossview.EINVALID, "session: %q is not a Zendesk subdomain", s.Tenant)
	}
	if s.CSRF == "" {
		return crossview.Errorf(crossview.EINVALID, "session: a CSRF token is required")
	}
	if !now.Before(s.ExpiresAt) {
		return crossview.Errorf(crossview.EINVALID, "session: already expired at %s", s.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// PutAdminSession seals and stores a session until s.ExpiresAt, and now
// and then sweeps expired ones.
func (s *Store) PutAdminSession(ctx context.Context, sess crossview.AdminSession) error {
	now := s.now()
	if err := validateSession(sess, now); err != nil {
		return err
	}
	key := sessionKey(sess.ID)
	body := sess
	body.ID = "" // the key stands for it
	sealed, err := s.seal(body, sessionAD(key))
	if err != nil {
		return fmt.Errorf("store: sealing a session of %q: %w", sess.Tenant, err)
	}
	raw, err := json.Marshal(sessionRecord{Key: key, ExpiresAt: sess.ExpiresAt.UTC(), Sealed: *sealed})
	if err != nil {
		return fmt.Errorf("store: encoding a session of %q: %w", sess.Tenant, err)
	}
	if len(raw) > maxSessionRecord {
		return crossview.Errorf(crossview.ETOOLARGE, "a session holds at most %d bytes", maxSessionRecord)
	}
	if err := s.b.Put(ctx, globalPartition, tableSessions, key, raw); err != nil {
		return fmt.Errorf("store: putting a session of %q: %w", sess.Tenant, err)
	}
	if s.sessionSweepDue(now) {
		// The session is stored; a sweep that fails is tried again next time.
		if s.pruneSessions(ctx, now) == nil {
			s.sessions.mu.Lock()
			s.sessions.pruned = now
			s.sessions.mu.Unlock()
		}
	}
	return nil
}

// AdminSession returns the live session with this id, or ErrNotFound.
func (s *Store) AdminSession(ctx context.Context, id string) (crossview.AdminSession, error) {
	if len(id) < minSessionID || len(id) > maxSessionID {
		return crossview.AdminSession{}, notFound("session", "")
	}
	key := sessionKey(id)
	raw, err := s.b.Get(ctx, globalPartition, tableSessions, key)
	if errors.Is(err, crossview.ErrNotFound) {
		return crossview.AdminSession{}, notFound("session", "")
	}
	if err != nil {
		return crossview.AdminSession{}, fmt.Errorf("store: reading a session: %w", err)
	}
	var rec sessionRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return crossview.AdminSession{}, fmt.Errorf("store: decoding a session: %w", err)
	}
	if !s.now().Before(rec.ExpiresAt) {
		// Expired: gone for the caller whether or not this delete lands.
		_ = s.b.Delete(ctx, globalPartition, tableSessions, key)
		return crossview.AdminSession{}, notFound("session", "")
	}
	var sess crossview.AdminSession
	if err := s.open(rec.Sealed, sessionAD(key), &sess); err != nil {
		return crossview.AdminSession{}, fmt.Errorf("store: opening a session: %w", err)
	}
	sess.ID, sess.ExpiresAt = id, rec.ExpiresAt
	return sess, nil
}

// DeleteAdminSession ends a session; ending a missing one is not an error.
func (s *Store) DeleteAdminSession(ctx context.Context, id string) error {
	if err := s.b.Delete(ctx, globalPartition, tableSessions, sessionKey(id)); err != nil {
		return fmt.Errorf("store: deleting a session: %w", err)
	}
	return nil
}

func (s *Store) sessionSweepDue(now time.Time) bool {
	s.sessions.mu.Lock()
	defer s.sessions.mu.Unlock()
	last := s.sessions.pruned
	return last.IsZero() || now.Sub(last) >= sessionPruneEvery || now.Before(last)
}

// pruneSessions deletes every expired session.
func (s *Store) pruneSessions(ctx context.Context, now time.Time) error {
	vals, err := s.b.List(ctx, globalPartition, tableSessions)
	if err != nil {
		return err
	}
	for _, raw := range vals {
		var rec sessionRecord
		if json.Unmarshal(raw, &rec) != nil || rec.Key == "" || now.Before(rec.ExpiresAt) {
			continue
		}
		if err := s.b.Delete(ctx, globalPartition, tableSessions, rec.Key); err != nil {
			return err
		}
	}
	return nil
}
