package datasync

import (
	"fmt"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// contactsWithTitle syncs Contacts only, their title into a user field.
func (w *world) contactsWithTitle() {
	w.t.Helper()
	if _, err := w.acct.AddUserField(zendesktest.ObjectField{Key: "title", Type: "text", Title: "Title"}); err != nil {
		w.t.Fatal(err)
	}
	c := w.current()
	c.DataSync.Accounts.On = false
	c.DataSync.Contacts.Mappings = append(c.DataSync.Contacts.Mappings, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
	if err := w.store.PutConnection(w.ctx, c); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) title(externalID string) string {
	w.t.Helper()
	u, ok := w.user(externalID)
	if !ok {
		w.t.Fatalf("no Zendesk user has external id %s", externalID)
	}
	s, _ := u.UserFields["title"].(string)
	return s
}

// Salesforce keeps SystemModstamp to the second: a Contact changed twice
// within one second carries the same stamp both times, and so does
// another record changed in that second. A poll between the two changes
// must not make the second look already written.
func TestChangesWithinOneSecondAreAllWritten(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "FirstName": "Ann", "Email": "ann@acme.test", "Title": "Clerk"})
	bob := w.insert("Contact", map[string]any{"LastName": "Bell", "FirstName": "Bob", "Email": "bob@acme.test", "Title": "Buyer"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll() // the backfill
	if got := w.title(ann); got != "Clerk" {
		t.Fatalf("after the backfill Ann's title is %q", got)
	}

	second := t0.Add(20 * time.Minute)
	w.clock.Set(second.Add(100 * time.Millisecond))
	w.update("Contact", ann, map[string]any{"Title": "Analyst"})
	w.update("Contact", bob, map[string]any{"Title": "Head Buyer"})
	w.clock.Set(second.Add(300 * time.Millisecond))
	w.poll()
	if a, b := w.title(ann), w.title(bob); a != "Analyst" || b != "Head Buyer" {
		t.Fatalf("after the first changes: Ann %q, Bob %q", a, b)
	}
	// The same second again: Ann's stamp does not move.
	w.clock.Set(second.Add(600 * time.Millisecond))
	w.update("Contact", ann, map[string]any{"Title": "Senior Analyst"})
	w.clock.Set(second.Add(900 * time.Millisecond))
	w.poll()
	w.clock.Set(second.Add(5 * time.Second))
	w.poll()
	if a, b := w.title(ann), w.title(bob); a != "Senior Analyst" || b != "Head Buyer" {
		t.Fatalf("after the second change in the same second: Ann %q, Bob %q", a, b)
	}
}

// Reading a window again writes nothing that did not change.
func TestRereadingTheOverlapWritesNothingTwice(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	w.clock.Advance(time.Minute)
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "Title": "Clerk"})
	w.clock.Advance(time.Second)
	w.poll()
	if got := w.title(ann); got != "Clerk" {
		t.Fatalf("Ann's title %q", got)
	}
	before := w.acct.Stats().ByEndpoint["POST /api/v2/users/create_or_update_many.json"] + w.acct.Stats().ByEndpoint["PUT /api/v2/users/update_many.json"] +
		w.acct.Stats().ByEndpoint["POST /api/v2/users/create_many.json"]
	w.clock.Advance(10 * time.Second)
	w.poll()
	after := w.acct.Stats().ByEndpoint["POST /api/v2/users/create_or_update_many.json"] + w.acct.Stats().ByEndpoint["PUT /api/v2/users/update_many.json"] +
		w.acct.Stats().ByEndpoint["POST /api/v2/users/create_many.json"]
	if after != before {
		t.Errorf("a poll over an unchanged window wrote users %d times", after-before)
	}
}

// getDeleted refusing the window (the recycle bin was emptied since the
// last look) means deletes were lost: the object is read in full again,
// and polling goes on.
func TestLostDeletesRestartTheBackfill(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.test", "Title": "Clerk"})
	bob := w.insert("Contact", map[string]any{"LastName": "Bell", "Email": "bob@acme.test", "Title": "Buyer"})
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.poll()
	first := w.objectState(crossview.ObjectContact).Backfill
	if first == nil || first.State != BackfillDone || first.Done != 2 {
		t.Fatalf("first backfill: %+v", first)
	}
	w.clock.Advance(3 * time.Minute)
	if err := w.org.Delete("Contact", bob); err != nil {
		t.Fatal(err)
	}
	if err := w.org.Purge(bob); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(3 * time.Minute)
	w.poll()
	again := w.objectState(crossview.ObjectContact)
	if again.Backfill == nil || again.Backfill.State != BackfillRunning || !again.Backfill.StartedAt.Equal(w.clock.Now()) {
		t.Fatalf("after getDeleted refused the window the backfill is %+v", again.Backfill)
	}
	if !again.DeletedFrom.Equal(w.clock.Now()) {
		t.Errorf("deletes resume from %s, want now (%s)", again.DeletedFrom, w.clock.Now())
	}
	w.clock.Advance(time.Second)
	w.update("Contact", ann, map[string]any{"Title": "Analyst"})
	w.poll()
	done := w.objectState(crossview.ObjectContact).Backfill
	if done.State != BackfillDone || done.Done != 1 || done.Total != 1 {
		t.Errorf("the second backfill: %+v", done)
	}
	if got := w.title(ann); got != "Analyst" {
		t.Errorf("Ann's title after the resync: %q", got)
	}
	// Polling goes on with deletes from the new start.
	w.clock.Advance(3 * time.Minute)
	w.poll()
}

// What a backfill wrote is not written again by the change poll that
// reads its window after it, and the log says what was read unchanged.
func TestNoRewriteAfterTheBackfill(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	for i := range 3 {
		w.insert("Contact", map[string]any{"LastName": "Person", "Email": string(rune('a'+i)) + "@acme.test", "Title": "Clerk"})
	}
	w.clock.Advance(time.Minute) // inside the window the change poll reads again
	w.enable(crossview.FeatureContactSync)
	w.poll()
	before := w.acct.Stats().Requests
	w.clock.Advance(5 * time.Second)
	w.poll()
	if n := w.acct.Stats().Requests - before; n != 0 {
		t.Errorf("the first change poll made %d Zendesk calls for records the backfill wrote: %v", n, w.acct.Stats().ByEndpoint)
	}
	w.clock.Advance(5 * time.Second)
	w.update("Contact", w.users()[0].ExternalID, map[string]any{"Title": "Analyst"})
	w.clock.Advance(time.Second)
	w.poll()
	entries, err := w.svc.History(w.ctx, w.current(), time.Time{}, 10)
	if err != nil || len(entries) == 0 {
		t.Fatalf("log: %v %v", entries, err)
	}
	if e := entries[0]; e.Why != "change" || e.Updated != 1 || e.Unchanged != 0 {
		t.Errorf("the change poll's log entry: %+v", e)
	}
	// A change to a field no mapping reads moves the stamp only: the
	// record is read again and found as Zendesk has it.
	w.clock.Advance(5 * time.Second)
	w.update("Contact", w.users()[1].ExternalID, map[string]any{"Department": "Finance"})
	w.clock.Advance(time.Second)
	w.poll()
	if entries, err = w.svc.History(w.ctx, w.current(), time.Time{}, 1); err != nil || len(entries) != 1 {
		t.Fatalf("log: %v %v", entries, err)
	}
	if e := entries[0]; e.Unchanged != 1 || e.Updated != 0 {
		t.Errorf("an unmapped change's log entry: %+v", e)
	}
}

// More records changed inside the overlap window than one poll may read
// (a mass update, or a bulk import just before the sync was turned on):
// the next poll goes on from where the last stopped instead of reading
// the same window again, so a later change still arrives.
func TestAScanLongerThanOnePollGoesOnNextPoll(t *testing.T) {
	w := newWorld(t)
	w.svc.o.PageSize = 2 // a poll reads at most 25 pages: 50 records here, 50,000 in production
	w.contactsWithTitle()
	var ids []string
	for i := range 60 {
		ids = append(ids, w.insert("Contact", map[string]any{"LastName": fmt.Sprintf("P%03d", i), "Email": fmt.Sprintf("p%03d@acme.test", i), "Title": "Clerk"}))
	}
	w.clock.Advance(30 * time.Second)
	w.enable(crossview.FeatureContactSync)
	for range 5 {
		w.poll()
		w.clock.Advance(10 * time.Second)
	}
	w.update("Contact", ids[0], map[string]any{"Title": "CEO"})
	for range 3 {
		w.clock.Advance(10 * time.Second)
		w.poll()
	}
	if got := w.title(ids[0]); got != "CEO" {
		t.Errorf("the change never reached Zendesk (title %q); cursor %+v", got, w.objectState(crossview.ObjectContact).Cursor)
	}
}
