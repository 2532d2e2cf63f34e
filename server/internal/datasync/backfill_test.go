package datasync

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// A backfill keeps its cursor batch by batch: Zendesk failing in the
// middle of a page loses only the batch under way, the progress shows
// the batches written, and the next poll goes on from there with nothing
// doubled.
func TestBackfillResumesFromTheLastBatchWritten(t *testing.T) {
	w := newWorld(t)
	w.svc.o.ConcurrentBatches = 1 // batch by batch, so the failure lands in the third
	w.contactsWithTitle()
	for i := range 250 {
		w.insert("Contact", map[string]any{"LastName": fmt.Sprintf("Person %03d", i), "Email": fmt.Sprintf("p%03d@acme.test", i)})
	}
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	var batches atomic.Int32
	w.mu.Lock()
	w.onWait = func() {
		// The first wait of each write's job: the third batch's makes
		// Zendesk fail from then on.
		if batches.Add(1) == 3 {
			w.acct.SetFailure(http.StatusServiceUnavailable)
		}
	}
	w.mu.Unlock()
	if err := w.tryPoll(); err == "" {
		t.Fatal("the poll did not fail with Zendesk answering 503")
	}
	bf := w.objectState(crossview.ObjectContact).Backfill
	if bf.State != BackfillRunning || bf.Done != 200 || bf.Total != 250 || bf.AfterID == "" {
		t.Fatalf("after failing in the third batch: %+v", bf)
	}
	p, err := w.svc.Status(w.ctx, w.current())
	if err != nil || len(p.Objects) != 1 || p.Objects[0].Backfill.Percent != 80 {
		t.Fatalf("status after the failure: %+v %v", p, err)
	}
	w.mu.Lock()
	w.onWait = nil
	w.mu.Unlock()
	w.acct.SetFailure(0)
	w.poll()
	bf = w.objectState(crossview.ObjectContact).Backfill
	if bf.State != BackfillDone || bf.Done != 250 {
		t.Fatalf("after resuming: %+v", bf)
	}
	seen := map[string]int{}
	for _, u := range w.acct.Users() {
		if u.ExternalID != "" {
			seen[u.ExternalID]++
		}
	}
	if len(seen) != 250 {
		t.Errorf("%d Contacts are Zendesk users, want 250", len(seen))
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("Contact %s is %d Zendesk users", id, n)
		}
	}
}
