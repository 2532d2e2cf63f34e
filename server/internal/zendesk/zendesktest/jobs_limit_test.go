package zendesktest

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// Zendesk runs at most 30 background jobs of an account at once (queued
// or working, "job limit"): a bulk write beyond them is refused with 429
// and Retry-After, like the per-minute limit, and nothing of it is
// applied; once a job finishes, the next is accepted.
func TestBulkJobsBeyondTheJobLimitRefused(t *testing.T) {
	f := bulkFixture(t)
	f.acct.SetJobDelay(300 * time.Millisecond)
	var first []byte
	for i := range maxQueuedJobs {
		resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json",
			fmt.Sprintf(`{"users":[{"name":"User %d","email":"u%d@initech.example"}]}`, i, i))
		wantStatus(t, resp, b, http.StatusOK)
		if i == 0 {
			first = b
		}
	}
	for _, w := range []struct{ method, path, body string }{
		{"POST", "/api/v2/users/create_or_update_many.json", `{"users":[{"name":"Late","email":"late@initech.example"}]}`},
		{"POST", "/api/v2/users/create_many.json", `{"users":[{"name":"Late2","email":"late2@initech.example"}]}`},
		{"POST", "/api/v2/organizations/create_many.json", `{"organizations":[{"name":"Late Org"}]}`},
	} {
		resp, b := f.send(t, w.method, w.path, w.body)
		wantStatus(t, resp, b, http.StatusTooManyRequests)
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
			t.Errorf("%s: Retry-After %q, want whole seconds", w.path, resp.Header.Get("Retry-After"))
		}
		if e := decode(t, b); e["error"] != "TooManyJobs" || e["description"] == "" {
			t.Errorf("%s: body %s", w.path, b)
		}
	}
	for _, u := range f.acct.Users() {
		if u.Name == "Late" || u.Name == "Late2" {
			t.Errorf("a refused bulk write was applied: %+v", u)
		}
	}
	finishJob(t, f, first)
	waitFor(t, "the queue to drain", func() bool {
		resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", `{"users":[{"name":"Later","email":"later@initech.example"}]}`)
		return resp.StatusCode == http.StatusOK && b != nil
	})
}
