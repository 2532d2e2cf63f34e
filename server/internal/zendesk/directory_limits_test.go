package zendesk_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// contacts are n new end users, external ids 003<prefix>0000..., each in
// one of the organizations 001ORG0..001ORG9.
func contacts(prefix string, from, n int, tags ...string) []crossview.UserWrite {
	out := make([]crossview.UserWrite, n)
	for i := range out {
		k := from + i
		out[i] = crossview.UserWrite{ExternalID: fmt.Sprintf("003%s%04d", prefix, k), Name: fmt.Sprintf("Contact %d", k),
			Email: fmt.Sprintf("%s%d@customer.example", prefix, k), OrgExternalID: fmt.Sprintf("001ORG%d", k%10), Tags: tags, Match: userMatch}
	}
	return out
}

func TestDirectorySlowsDownBeforeTheRateLimit(t *testing.T) {
	// 30 calls a minute, 20 of them used by other clients of the account:
	// Crossview has 10 a minute for 5 batches of 20 users (about 25 calls).
	e := newDirEmu(t, zendesktest.AccountSpec{BulkUserImports: true, RateLimit: 30})
	e.acct.SetOtherUsage(20)
	for b := range 5 {
		res, err := e.dir.UpsertUsers(context.Background(), e.tenant, contacts("P", 20*b, 20))
		if err != nil {
			t.Fatalf("batch %d: %v", b, err)
		}
		if n := len(slices.DeleteFunc(statuses(res), func(s string) bool { return s == "created" })); n != 0 {
			t.Fatalf("batch %d: %+v", b, res)
		}
	}
	if n := e.answered("429"); n != 0 {
		t.Errorf("%d answers were 429: the Directory should slow down before the limit", n)
	}
	// Remaining 9 of the minute's calls: the next waits a tenth of it.
	if !slices.Contains(e.waited(), 6*time.Second) {
		t.Errorf("waits = %v, want one of 6s (60s / (9 remaining + 1))", e.waited())
	}
}

func TestDirectorySurfacesRetryAfter(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	e.acct.RateLimitFor(45 * time.Second)
	_, err := e.dir.UpsertUsers(context.Background(), e.tenant, contacts("R", 0, 3))
	if crossview.ErrorCode(err) != crossview.ERATELIMITED || !zendesk.IsRateLimited(err) || zendesk.RetryAfter(err) != 45*time.Second {
		t.Fatalf("err = %v (code %s, retry after %s), want a rate-limit error asking for 45s", err, crossview.ErrorCode(err), zendesk.RetryAfter(err))
	}
	if n := len(e.acct.Users()); n != 1 {
		t.Errorf("%d users, want only the admin", n)
	}
}

func TestDirectoryWaitsOutA429WhilePolling(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	e.acct.SetJobDelay(20 * time.Millisecond)
	// The job is queued when the first poll is due; then the account is
	// rate-limited for 30 s.
	e.onSleep = func() { e.acct.RateLimitFor(30 * time.Second) }
	res, err := e.dir.UpsertUsers(context.Background(), e.tenant, contacts("W", 0, 5))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(slices.DeleteFunc(statuses(res), func(s string) bool { return s == "created" })); n != 0 {
		t.Errorf("results = %+v", res)
	}
	if e.answered("429") == 0 || !slices.Contains(e.waited(), 30*time.Second) {
		t.Errorf("429s %d, waits %v: the poll should have waited the 30 s Zendesk asked for", e.answered("429"), e.waited())
	}
}

func TestDirectoryForgetsAnOldRateLimitReading(t *testing.T) {
	e := newDirEmu(t, zendesktest.AccountSpec{BulkUserImports: true, RateLimit: 30})
	e.acct.SetOtherUsage(25)
	if _, _, err := e.dir.Fields(context.Background(), e.tenant); err != nil { // 2 calls: 3 left
		t.Fatal(err)
	}
	e.acct.SetOtherUsage(0)
	e.clock.Advance(2 * time.Minute)
	before := len(e.waited())
	if _, _, err := e.dir.Fields(context.Background(), e.tenant); err != nil {
		t.Fatal(err)
	}
	if w := e.waited()[before:]; len(w) != 0 {
		t.Errorf("waits %v: a reading from two minutes ago should not slow this minute down", w)
	}
}
