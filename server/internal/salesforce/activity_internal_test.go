package salesforce

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The log is bounded however many orgs call: past maxActivityOrgs the
// least recently active org is forgotten, never a busy one.
func TestActivityLogIsBounded(t *testing.T) {
	var l activityLog
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	org := func(i int) string { return fmt.Sprintf("00D%012dAAA", i) }
	for i := range maxActivityOrgs {
		l.failed(org(i), CallFailure{At: start.Add(time.Duration(i) * time.Second), Status: "503"})
	}
	// Org 0 is the oldest, but calls again now; org 1 becomes the oldest.
	late := start.Add(time.Duration(maxActivityOrgs) * time.Second)
	l.ok(org(0), late)
	for i := range 3 {
		l.ok(org(maxActivityOrgs+i), late.Add(time.Duration(i+1)*time.Second))
	}
	if n := len(l.orgs); n != maxActivityOrgs {
		t.Fatalf("%d orgs remembered, want %d", n, maxActivityOrgs)
	}
	for _, tc := range []struct {
		i    int
		kept bool
	}{{0, true}, {1, false}, {2, false}, {3, false}, {4, true}, {maxActivityOrgs + 2, true}} {
		a := l.get(org(tc.i))
		if kept := len(a.Failures) > 0 || !a.LastOK.IsZero(); kept != tc.kept {
			t.Errorf("org %d remembered = %v, want %v", tc.i, kept, tc.kept)
		}
	}
}

func TestFailureMessageTruncatesOnRuneBoundary(t *testing.T) {
	// One ASCII byte first, so byte maxActivityBytes falls inside an "é".
	msg := failureMessage(&APIError{Status: 400, Code: "INVALID_FIELD", Message: "a" + strings.Repeat("é", 400)}, "")
	if !strings.HasSuffix(msg, "…") || len(msg) > maxActivityBytes+len("…") {
		t.Fatalf("message is %d bytes, want it cut to at most %d and marked", len(msg), maxActivityBytes)
	}
	if !utf8.ValidString(msg) {
		t.Fatalf("message was cut inside a character: %q", msg)
	}
}
