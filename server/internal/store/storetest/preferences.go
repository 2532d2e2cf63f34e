package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

func testPreferences(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	_, err := s.Preference(ctx, orgA, "005000000000001AAA")
	wantNotFound(t, "Preference before any put", err)
	if err := s.PutPreference(ctx, orgA, "005000000000001AAA", []byte(`{"status":["open"]}`)); err != nil {
		t.Fatalf("PutPreference: %v", err)
	}
	if err := s.PutPreference(ctx, orgA, "005000000000002AAA", []byte(`{"status":["solved"]}`)); err != nil {
		t.Fatalf("PutPreference: %v", err)
	}
	got, err := s.Preference(ctx, orgA, "005000000000001AAA")
	if err != nil || string(got) != `{"status":["open"]}` {
		t.Fatalf("Preference = %q, %v (one rep's choice must not be another's)", got, err)
	}
	if _, err := s.Preference(ctx, "00D000000000009AAA", "005000000000001AAA"); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("a preference leaked into another scope: %v", err)
	}
	if err := s.PutPreference(ctx, orgA, "005000000000001AAA", []byte(strings.Repeat("x", 5<<10))); crossview.ErrorCode(err) != crossview.ETOOLARGE {
		t.Fatalf("oversized preference: %v", err)
	}
	if err := s.PutPreference(ctx, "bad scope!", "u", nil); crossview.ErrorCode(err) != crossview.EINVALID {
		t.Fatalf("bad scope: %v", err)
	}
}
