package datasync

import (
	"fmt"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The concurrent batches of a backfill share one read of the team (its
// list, and one identities call per member) when the cache is cold, rather
// than each reading it: 21 members cost 21 identities calls, not 4×21.
func TestConcurrentBatchesReadTheTeamOnce(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	for i := range 20 {
		w.acct.AddUser(zendesktest.User{Name: fmt.Sprint("Agent ", i), Email: fmt.Sprintf("agent%d@acme.test", i), Role: zendesktest.RoleAgent})
	}
	for i := range 400 {
		w.insert("Contact", map[string]any{"LastName": fmt.Sprint("P", i), "Email": fmt.Sprintf("p%d@acme.test", i)})
	}
	w.clock.Advance(10 * time.Minute)
	w.acct.ResetStats()
	w.acct.SetLatency(5 * time.Millisecond)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	n := w.acct.Calls("GET /api/v2/users/{id}/identities.json")
	if n != 21 {
		t.Errorf("identities read %d times for 21 team members", n)
	}
	if lists := w.acct.Calls("GET /api/v2/users.json"); lists != 1 {
		t.Errorf("team list read %d times in one backfill", lists)
	}
}
