package storetest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
)

func sessionFixture(e *env, id string, ttl time.Duration) crossview.AdminSession {
	now := e.clock.Now()
	return crossview.AdminSession{ID: id, Tenant: "acme", UserID: 901, Email: "ada@acme.example", Name: "Ada Admin",
		CSRF: "csrf-" + id, CreatedAt: now, ExpiresAt: now.Add(ttl)}
}

func mustPutSession(t *testing.T, e *env, s crossview.AdminSession) {
	t.Helper()
	if err := e.store.PutAdminSession(context.Background(), s); err != nil {
		t.Fatalf("PutAdminSession: %v", err)
	}
}

// testAdminSessions: sessions round-trip, outlive the process that made
// them, end on delete and at expiry.
func testAdminSessions(t *testing.T, e *env) {
	ctx := context.Background()
	want := sessionFixture(e, "SESSIONIDAAAAAAAAAAAAAAAAA", 8*time.Hour)
	mustPutSession(t, e, want)
	for name, s := range map[string]crossview.Store{"this store": e.store, "a restarted process": e.open(e.keys)} {
		got, err := s.AdminSession(ctx, want.ID)
		if err != nil {
			t.Fatalf("AdminSession from %s: %v", name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("AdminSession from %s (-want +got):\n%s", name, diff)
		}
	}
	_, err := e.store.AdminSession(ctx, "SESSIONIDBBBBBBBBBBBBBBBBB")
	wantNotFound(t, "an unknown session", err)
	_, err = e.store.AdminSession(ctx, "")
	wantNotFound(t, "an empty session id", err)

	other := sessionFixture(e, "SESSIONIDCCCCCCCCCCCCCCCCC", 8*time.Hour)
	mustPutSession(t, e, other)
	if err := e.store.DeleteAdminSession(ctx, want.ID); err != nil {
		t.Fatalf("DeleteAdminSession: %v", err)
	}
	_, err = e.store.AdminSession(ctx, want.ID)
	wantNotFound(t, "a deleted session", err)
	if err := e.store.DeleteAdminSession(ctx, want.ID); err != nil {
		t.Fatalf("deleting a session twice: %v", err)
	}
	if _, err := e.store.AdminSession(ctx, other.ID); err != nil {
		t.Fatalf("deleting one session ended another: %v", err)
	}

	e.clock.Advance(8*time.Hour - time.Second)
	if _, err := e.store.AdminSession(ctx, other.ID); err != nil {
		t.Fatalf("a session a second before its expiry: %v", err)
	}
	e.clock.Advance(time.Second)
	_, err = e.store.AdminSession(ctx, other.ID)
	wantNotFound(t, "an expired session", err)
}

// testAdminSessionsSwept: expired sessions do not pile up, although the
// backend gives them no TTL.
func testAdminSessionsSwept(t *testing.T, e *env) {
	ctx := context.Background()
	for _, id := range []string{"SESSIONIDAAAAAAAAAAAAAAAAA", "SESSIONIDBBBBBBBBBBBBBBBBB"} {
		mustPutSession(t, e, sessionFixture(e, id, time.Hour))
	}
	e.clock.Advance(2 * time.Hour)
	// Nobody reads the old sessions again; a later sign-in sweeps them.
	mustPutSession(t, e, sessionFixture(e, "SESSIONIDCCCCCCCCCCCCCCCCC", time.Hour))
	left, err := e.backend.List(ctx, "_", "admin_sessions")
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 {
		t.Fatalf("%d session records left after a sweep, want only the live one", len(left))
	}
	if _, err := e.store.AdminSession(ctx, "SESSIONIDCCCCCCCCCCCCCCCCC"); err != nil {
		t.Fatalf("the sweep took a live session: %v", err)
	}
}

// testAdminSessionsSealed: the data holds neither the session id (a bearer
// secret) nor its CSRF token nor the admin's details in plaintext.
func testAdminSessionsSealed(t *testing.T, e *env) {
	s := sessionFixture(e, "PLAINTEXTSESSIONID7f3a9c2e", time.Hour)
	s.CSRF, s.Email = "PLAINTEXTCSRF-b81d", "PLAINTEXT-ada@acme.example"
	mustPutSession(t, e, s)
	raw := e.raw(t)
	if !bytes.Contains(raw, []byte("admin_sessions")) {
		t.Fatal("raw backend bytes lack the sessions table; the RawReader does not read what the backend stores")
	}
	if bytes.Contains(raw, []byte("PLAINTEXT")) {
		t.Errorf("raw backend bytes hold a session's id, CSRF token or email in plaintext")
	}
	// Another deployment's key cannot open it.
	if _, err := e.open(newKeyring(t)).AdminSession(context.Background(), s.ID); err == nil || crossview.ErrorCode(err) == crossview.ENOTFOUND {
		t.Fatalf("a session opened with another key: %v", err)
	}
}

func testAdminSessionValidation(t *testing.T, e *env) {
	ctx := context.Background()
	good := sessionFixture(e, "SESSIONIDAAAAAAAAAAAAAAAAA", time.Hour)
	cases := map[string]func(s *crossview.AdminSession){
		"a short id":     func(s *crossview.AdminSession) { s.ID = "short" },
		"a huge id":      func(s *crossview.AdminSession) { s.ID = strings.Repeat("A", 200) },
		"no tenant":      func(s *crossview.AdminSession) { s.Tenant = "" },
		"a bad tenant":   func(s *crossview.AdminSession) { s.Tenant = "Not A Subdomain" },
		"no CSRF token":  func(s *crossview.AdminSession) { s.CSRF = "" },
		"an expired one": func(s *crossview.AdminSession) { s.ExpiresAt = e.clock.Now() },
		"no expiry":      func(s *crossview.AdminSession) { s.ExpiresAt = time.Time{} },
	}
	for name, mutate := range cases {
		s := good
		mutate(&s)
		if err := e.store.PutAdminSession(ctx, s); crossview.ErrorCode(err) != crossview.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	big := good
	big.Name = strings.Repeat("n", 5<<10)
	if err := e.store.PutAdminSession(ctx, big); crossview.ErrorCode(err) != crossview.ETOOLARGE {
		t.Errorf("an oversized session: %v", err)
	}
}
