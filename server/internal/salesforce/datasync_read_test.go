package salesforce_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// seedContacts inserts n Contacts stamped at the given second.
func (f *dsFixture) seedContacts(t *testing.T, n int, stamp time.Time, account string) []string {
	t.Helper()
	var out []string
	for i := range n {
		fields := map[string]any{"LastName": fmt.Sprintf("Contact %s %d", stamp.Format("150405"), i),
			"Email": fmt.Sprintf("c%d.%d@example.com", stamp.Unix(), i), "SystemModstamp": stamp}
		if account != "" {
			fields["AccountId"] = account
		}
		out = append(out, f.insert(t, "Contact", fields))
	}
	return out
}

// readAllChanges pages through Changed the way the data sync core does:
// each page starts after the last record of the one before.
func (f *dsFixture) readAllChanges(t *testing.T, from crossview.SFCursor, limit int) (recs []crossview.SFRecord, pages int) {
	t.Helper()
	for {
		page, err := f.src.Changed(f.ctx, f.conn, "Contact", from, []string{"LastName", "Email"}, nil, limit)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		recs = append(recs, page...)
		if len(page) < limit {
			return recs, pages
		}
		last := page[len(page)-1]
		from = crossview.SFCursor{Modstamp: last.Modstamp, ID: last.ID}
	}
}

func TestChangedNeverSkipsRecordsSharingASecond(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	want := f.seedContacts(t, 3, at(1), "")
	want = append(want, f.seedContacts(t, 25, at(5), "")...) // 25 in one second: pages of 7 cut it four times
	want = append(want, f.seedContacts(t, 4, at(9), "")...)

	before := f.org.Stats().Calls
	got, pages := f.readAllChanges(t, crossview.SFCursor{}, 7)
	if !slices.Equal(sortedCopy(ids(got)), sortedCopy(want)) || len(got) != len(want) {
		t.Fatalf("read %d records %v, want each of the %d once", len(got), ids(got), len(want))
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Modstamp.After(b.Modstamp) {
			t.Errorf("record %d (%s) comes before %d (%s)", i-1, a.Modstamp, i, b.Modstamp)
		}
	}
	if got[0].Modstamp != at(1) || got[len(got)-1].Modstamp != at(9) {
		t.Errorf("modstamps %s … %s, want %s … %s", got[0].Modstamp, got[len(got)-1].Modstamp, at(1), at(9))
	}
	calls := f.callsSince(before)
	if calls["query"] != pages || calls["queryMore"] != 0 || len(calls) != 1 {
		t.Errorf("calls %v for %d pages, want one query a page and nothing else", calls, pages)
	}
}

func TestChangedOverlapRereadsTheWholeSecond(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	first := f.seedContacts(t, 3, at(5), "")
	got, _ := f.readAllChanges(t, crossview.SFCursor{}, 10)
	last := got[len(got)-1]

	// A Contact already read changes twice within the cursor's second
	// (SystemModstamp is stored to the second, so both changes stamp it
	// the same as the last record read). Its Id is not above the cursor's,
	// so a strict cursor passes it by; the overlap form (a cursor with no
	// Id) reads the whole second again and finds it.
	f.clock.Set(at(5))
	changed := first[0]
	if changed == last.ID {
		changed = first[1]
	}
	for _, title := range []string{"CTO", "CEO"} {
		if err := f.org.Update("Contact", changed, map[string]any{"Title": title}); err != nil {
			t.Fatal(err)
		}
	}
	strict, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{Modstamp: last.Modstamp, ID: last.ID}, []string{"Title"}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(strict), changed) {
		t.Fatalf("the strict cursor found the change; this test no longer shows why the overlap is needed")
	}
	again, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{Modstamp: last.Modstamp}, []string{"Title"}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(ids(again), changed)
	if len(again) != 3 || i < 0 || again[i].Fields["Title"] != "CEO" {
		t.Errorf("the overlap read %v, want all 3 records of the second with the change (Title CEO)", again)
	}

	// A cursor inside a second comes after every record of that second.
	late, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{Modstamp: at(5).Add(500 * time.Millisecond)}, nil, nil, 10)
	if err != nil || len(late) != 0 {
		t.Errorf("after 10:00:05.5: %v %v, want nothing", ids(late), err)
	}
}

func TestChangedReadsTheRecordsShape(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	acc := f.insert(t, "Account", map[string]any{"Name": "Analytical Engines", "SystemModstamp": at(1)})
	c := f.seedContacts(t, 1, at(2), acc)[0]
	lead := f.insert(t, "Lead", map[string]any{"LastName": "Babbage", "Company": "Engines", "SystemModstamp": at(3)})

	got, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{}, []string{"Email", "Account.Name", "email"}, nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("got %v", got)
	}
	r := got[0]
	parent, _ := r.Fields["Account"].(map[string]any)
	if r.Object != "Contact" || r.ID != c || r.AccountID != acc || !r.Modstamp.Equal(at(2)) ||
		r.Fields["Email"] == nil || parent["Name"] != "Analytical Engines" || parent["attributes"] != nil || r.Fields["attributes"] != nil {
		t.Errorf("record %+v", r)
	}
	leads, err := f.src.Changed(f.ctx, f.conn, "Lead", crossview.SFCursor{}, []string{"Company"}, nil, 10)
	if err != nil || len(leads) != 1 || leads[0].ID != lead || leads[0].AccountID != "" || leads[0].Fields["Company"] != "Engines" {
		t.Errorf("leads %+v %v", leads, err)
	}
}

func TestChangedFollowsAPageSalesforceCutShort(t *testing.T) {
	// Salesforce may return fewer records a batch than asked for (wide
	// rows); the rest of the page is then behind nextRecordsUrl.
	f := newDSFixture(t, salesforcetest.Options{QueryBatchSize: 4})
	want := f.seedContacts(t, 10, at(1), "")
	before := f.org.Stats().Calls
	got, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{}, nil, nil, 9)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, id := range ids(got) {
		if !slices.Contains(want, id) || seen[id] {
			t.Fatalf("%s read twice or never seeded", id)
		}
		seen[id] = true
	}
	if len(got) != 9 {
		t.Fatalf("got %d records, want 9", len(got))
	}
	if calls := f.callsSince(before); calls["query"] != 1 || calls["queryMore"] != 2 {
		t.Errorf("calls %v, want 1 query and 2 queryMore for 9 records in batches of 4", calls)
	}
}

func TestReadsRefuseWhatCouldChangeTheQuery(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	f.seedContacts(t, 2, at(1), "")
	before := f.org.Stats().APICalls
	cases := map[string]func() error{
		"a field that is SOQL": func() error {
			_, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{}, []string{"Id FROM User WHERE Id != null ORDER BY Id"}, nil, 10)
			return err
		},
		"a cursor id that is SOQL": func() error {
			_, err := f.src.Changed(f.ctx, f.conn, "Contact", crossview.SFCursor{Modstamp: at(1), ID: "' OR Id != '"}, nil, nil, 10)
			return err
		},
		"a backfill cursor that is SOQL": func() error {
			_, err := f.src.Page(f.ctx, f.conn, "Contact", "x' OR Name != 'y", nil, nil, 10)
			return err
		},
		"an object data sync does not read": func() error {
			_, err := f.src.Page(f.ctx, f.conn, "User", "", nil, nil, 10)
			return err
		},
		"an id that is not one": func() error {
			_, err := f.src.Get(f.ctx, f.conn, "Contact", []string{"003') OR (Id != '"}, nil)
			return err
		},
	}
	for name, run := range cases {
		if err := run(); crossview.ErrorCode(err) != crossview.EINVALID {
			t.Errorf("%s: %v, want an invalid-input error", name, err)
		}
	}
	if after := f.org.Stats().APICalls; after != before {
		t.Errorf("%d calls reached Salesforce, want none", after-before)
	}
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
