package salesforce_test

import (
	"slices"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestRelatedFillsSecondaryAccounts(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	f.org.EnableContactsToMultipleAccounts()
	acme := f.insert(t, "Account", map[string]any{"Name": "Acme"})
	globex := f.insert(t, "Account", map[string]any{"Name": "Globex"})
	initech := f.insert(t, "Account", map[string]any{"Name": "Initech"})
	ada := f.seedContacts(t, 1, at(1), acme)[0]
	grace := f.seedContacts(t, 1, at(1), globex)[0]
	loner := f.seedContacts(t, 1, at(1), "")[0]
	relate := func(c, a string, active bool) {
		if _, err := f.org.Relate(c, a, active); err != nil {
			t.Fatal(err)
		}
	}
	relate(ada, globex, true)
	relate(ada, initech, false) // a past relationship
	relate(loner, acme, true)
	relate(loner, initech, true)

	recs, err := f.src.Get(f.ctx, f.conn, "Contact", []string{ada, grace, loner}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lead := crossview.SFRecord{Object: "Lead", ID: "00QDx0000000001AAA"}
	recs = append(recs, lead)
	before := f.org.Stats().Calls
	if err := f.src.Related(f.ctx, f.conn, recs); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{ada: {globex}, grace: nil, loner: sortedCopy([]string{acme, initech})}
	for _, r := range recs[:3] {
		if !slices.Equal(r.Related, want[r.ID]) {
			t.Errorf("%s: related %v, want %v (active, not its primary account)", r.ID, r.Related, want[r.ID])
		}
	}
	if recs[3].Related != nil {
		t.Errorf("the Lead got related accounts %v", recs[3].Related)
	}
	// The first time, the describes say the org has relationships (one
	// call); from then on a batch of Contacts takes one call.
	if calls := f.callsSince(before); calls["composite"] != 2 || len(calls) != 1 {
		t.Errorf("calls %v, want two composite calls (describes and relationships)", calls)
	}
	before = f.org.Stats().Calls
	if err := f.src.Related(f.ctx, f.conn, recs); err != nil {
		t.Fatal(err)
	}
	if calls := f.callsSince(before); calls["composite"] != 1 || len(calls) != 1 || !slices.Equal(recs[0].Related, want[ada]) {
		t.Errorf("calls %v, want one composite call", calls)
	}
}

func TestRelatedWithoutContactsToMultipleAccounts(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	acme := f.insert(t, "Account", map[string]any{"Name": "Acme"})
	recs, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{}, nil, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	recs = append(recs, crossview.SFRecord{Object: "Contact", ID: f.seedContacts(t, 1, at(1), acme)[0], AccountID: acme, Related: []string{"kept"}})
	for range 3 {
		if err := f.src.Related(f.ctx, f.conn, recs); err != nil {
			t.Fatal(err)
		}
	}
	if got := recs[len(recs)-1].Related; !slices.Equal(got, []string{"kept"}) {
		t.Errorf("related %v, want the record unchanged", got)
	}
	// The org's describes say it has no relationships: one call, remembered.
	if calls := f.org.Stats().Calls; calls["composite"] != 1 || calls["query"] != 1 {
		t.Errorf("calls %v, want the one Changed query and one describe", calls)
	}
}
