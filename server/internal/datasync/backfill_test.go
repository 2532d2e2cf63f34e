package datasync

import (
	"fmt"
	"net/http"
	"sync"
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

// A settings change starts a backfill while a poll is writing (say a new
// mapping saved during a change poll's Zendesk job): the poll must not
// save its older state over the backfill, or the admin is told a backfill
// started that never runs.
func TestABackfillStartedDuringAPollSurvivesIt(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "Title": "Clerk"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	w.clock.Advance(time.Minute)
	w.update("Contact", ann, map[string]any{"Title": "Boss"})
	w.clock.Advance(time.Minute)
	var once sync.Once
	w.mu.Lock()
	w.onWait = func() {
		once.Do(func() {
			if err := w.svc.Resync(w.ctx, w.current(), crossview.ObjectContact); err != nil {
				t.Error(err)
			}
		})
	}
	w.mu.Unlock()
	w.poll()
	st := w.objectState(crossview.ObjectContact)
	if st.Backfill == nil || st.Backfill.State != BackfillRunning {
		t.Fatalf("the poll under way saved its state over the backfill: %+v", st.Backfill)
	}
	w.poll()
	if st := w.objectState(crossview.ObjectContact); st.Backfill.State != BackfillDone || w.title(ann) != "Boss" {
		t.Errorf("after the next poll: backfill %+v, title %q", st.Backfill, w.title(ann))
	}
}
