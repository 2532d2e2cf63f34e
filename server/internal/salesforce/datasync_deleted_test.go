package salesforce_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestDeletedReadsGetDeletedByTheMinute(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	kept := f.seedContacts(t, 1, at(0), "")[0]
	gone := f.seedContacts(t, 2, at(0), "")
	f.clock.Set(dsT0.Add(2*time.Minute + 30*time.Second))
	if err := f.org.Delete("Contact", gone[0]); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(dsT0.Add(3*time.Minute + 10*time.Second))
	if err := f.org.Delete("Contact", gone[1]); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(dsT0.Add(6*time.Minute + 20*time.Second))

	before := f.org.Stats().Calls
	// 10:00:45 is cut to 10:00; the end is in the future, so Salesforce
	// covers up to the current minute, 10:06.
	got, covered, err := f.src.Deleted(f.ctx, f.conn, "Contact", dsT0.Add(45*time.Second), dsT0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []string
	for _, d := range got {
		gotIDs = append(gotIDs, d.ID)
		if d.Object != "Contact" {
			t.Errorf("%+v", d)
		}
	}
	if !slices.Equal(sortedCopy(gotIDs), sortedCopy(gone)) || slices.Contains(gotIDs, kept) {
		t.Errorf("deleted %v, want %v", gotIDs, gone)
	}
	if i := slices.Index(gotIDs, gone[1]); i < 0 || !got[i].Deleted.Equal(dsT0.Add(3*time.Minute+10*time.Second)) {
		t.Errorf("deletion times %+v", got)
	}
	if !covered.Equal(dsT0.Add(6 * time.Minute)) {
		t.Errorf("covered %s, want 10:06:00 (the current minute)", covered)
	}
	if calls := f.callsSince(before); calls["getDeleted"] != 1 || len(calls) != 1 {
		t.Errorf("calls %v, want one getDeleted", calls)
	}

	// The next window starts where this one ended: the delete at 10:03:10
	// is not in [10:03, 10:03) nor after 10:06.
	later, covered2, err := f.src.Deleted(f.ctx, f.conn, "Contact", covered, dsT0.Add(time.Hour))
	if err != nil || len(later) != 0 || !covered2.Equal(covered) {
		t.Errorf("from 10:06: %v %s %v, want nothing new", later, covered2, err)
	}

	// A window inside one minute is nothing to ask Salesforce (which
	// would refuse it, start not before end, as if deletes were lost).
	before = f.org.Stats().Calls
	none, c, err := f.src.Deleted(f.ctx, f.conn, "Contact", dsT0.Add(6*time.Minute+5*time.Second), dsT0.Add(6*time.Minute+40*time.Second))
	if err != nil || len(none) != 0 || !c.Equal(dsT0.Add(6*time.Minute+5*time.Second)) {
		t.Errorf("a window within 10:06: %v %s %v, want nothing and the start back", none, c, err)
	}
	if calls := f.callsSince(before); len(calls) != 0 {
		t.Errorf("calls %v for a window inside a minute, want none", calls)
	}
}

func TestDeletedBeyondReachNeedsAResync(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	gone := f.seedContacts(t, 1, at(0), "")[0]
	f.clock.Set(dsT0.Add(16 * 24 * time.Hour))

	_, _, err := f.src.Deleted(f.ctx, f.conn, "Contact", dsT0, dsT0.Add(16*24*time.Hour))
	var re *salesforce.ReplicationError
	var resync interface{ ResyncNeeded() bool }
	if !errors.As(err, &re) || !salesforce.IsResyncNeeded(err) || !errors.As(err, &resync) || !resync.ResyncNeeded() {
		t.Fatalf("16 days back: %v, want a ReplicationError asking for a resync", err)
	}
	if re.Object != "Contact" || re.Err.Code != "INVALID_REPLICATION_DATE" {
		t.Errorf("%+v", re)
	}

	// Within 15 days, but before the recycle bin was emptied of a delete,
	// is beyond reach too.
	f.clock.Set(dsT0.Add(10 * time.Minute))
	if err := f.org.Delete("Contact", gone); err != nil {
		t.Fatal(err)
	}
	if err := f.org.Purge(gone); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(dsT0.Add(20 * time.Minute))
	if _, _, err := f.src.Deleted(f.ctx, f.conn, "Contact", dsT0, dsT0.Add(20*time.Minute)); !salesforce.IsResyncNeeded(err) {
		t.Errorf("before a purge: %v, want a resync", err)
	}
	if got, _, err := f.src.Deleted(f.ctx, f.conn, "Contact", dsT0.Add(11*time.Minute), dsT0.Add(20*time.Minute)); err != nil || len(got) != 0 {
		t.Errorf("after the purge: %v %v, want nothing", got, err)
	}
}
