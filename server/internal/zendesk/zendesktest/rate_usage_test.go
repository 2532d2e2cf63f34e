package zendesktest_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestOtherUsageLowersRemaining: requests other clients make count against
// the same per-minute allowance.
func TestOtherUsageLowersRemaining(t *testing.T) {
	srv, err := zendesktest.New(zendesktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	a, err := srv.AddAccount(zendesktest.AccountSpec{Subdomain: "busy", RateLimit: 100})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.AddUser(zendesktest.User{Name: "Ada", Email: "ada@busy.example", Role: zendesktest.RoleAdmin})
	tok := a.IssueOAuthToken(admin.ID)
	remaining := func() int {
		req, _ := http.NewRequest(http.MethodGet, a.BaseURL()+"/api/v2/users/me.json", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		n, err := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Remaining"))
		if err != nil {
			t.Fatalf("X-Rate-Limit-Remaining %q", resp.Header.Get("X-Rate-Limit-Remaining"))
		}
		return n
	}
	before := remaining()
	a.SetOtherUsage(95)
	if got := remaining(); got > 4 || got >= before {
		t.Fatalf("remaining %d after others used 95 of 100 (was %d)", got, before)
	}
}
