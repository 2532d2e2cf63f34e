package zendesk_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// A bulk write refused by Zendesk's job limit (30 jobs of the account
// queued or working, 429 with Retry-After) waits as asked and is sent
// again: the batch is written once the queue has room, nothing lost.
func TestDirectoryWaitsForRoomInTheJobQueue(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	e.acct.SetJobDelay(1100 * time.Millisecond) // Retry-After: 2
	for i := range 30 {                         // another client of the account fills the queue
		req, _ := http.NewRequest(http.MethodPost, e.acct.BaseURL()+"/api/v2/users/create_or_update_many.json",
			strings.NewReader(fmt.Sprintf(`{"users":[{"name":"Other %d","email":"other%d@customer.example"}]}`, i, i)))
		req.SetBasicAuth(e.tenant.APIEmail+"/token", e.tenant.APIToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("filling the queue: job %d answered %d", i, resp.StatusCode)
		}
	}
	res, err := e.dir.UpsertUsers(context.Background(), e.tenant, contacts("Q", 0, 5))
	if err != nil {
		t.Fatalf("a write while the job queue is full: %v", err)
	}
	if n := len(slices.DeleteFunc(statuses(res), func(s string) bool { return s == "created" })); n != 0 {
		t.Errorf("results = %+v", res)
	}
	if e.answered("429") == 0 || !slices.Contains(e.waited(), 2*time.Second) {
		t.Errorf("429s %d, waits %v: the write should have waited the 2 s Zendesk asked for", e.answered("429"), e.waited())
	}
	if n := e.calls(epUsersUpsertMany); n < 2 {
		t.Errorf("%d create_or_update_many calls, want the refused one and the one sent again", n)
	}
}
