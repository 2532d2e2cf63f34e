package salesforce_test

import (
	"fmt"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// TestBackfillCostsAQueryPer2000Records pages through 10,000 Accounts the
// way the data sync core backfills: a count for progress, then pages by
// Id until one comes back short.
func TestBackfillCostsAQueryPer2000Records(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	const n = 10000
	for i := range n {
		typ := "Customer - Direct"
		if i%5 == 0 {
			typ = "Prospect"
		}
		f.insert(t, "Account", map[string]any{"Name": fmt.Sprintf("Account %05d", i), "Type": typ})
	}
	// In scope: every Account but the Prospects, 8,000 of them.
	filter := &crossview.FilterGroup{Op: "or", Conditions: []crossview.FilterCondition{
		{Field: "Type", Operator: "!=", Value: "Prospect"},
	}}
	before := f.org.Stats().Calls

	total, err := f.src.Count(f.ctx, f.conn, "Account", filter)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	after, pages := "", 0
	for {
		page, err := f.src.Page(f.ctx, f.conn, "Account", after, []string{"Name", "Type"}, filter, salesforce.MaxPage)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range page {
			if seen[r.ID] || r.Fields["Type"] == "Prospect" {
				t.Fatalf("%s read twice or out of the filter (%v)", r.ID, r.Fields["Type"])
			}
			seen[r.ID] = true
		}
		if len(page) < salesforce.MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	if total != 8000 || len(seen) != 8000 {
		t.Errorf("count %d, read %d, want 8000 each", total, len(seen))
	}
	calls := f.callsSince(before)
	// 8,000 records: 4 full pages, 1 empty one that ends the backfill, 1
	// count; the filter's describe is one composite call.
	if calls["query"] != 6 || calls["composite"] != 1 || calls["queryMore"] != 0 || len(calls) != 2 {
		t.Errorf("calls %v over %d pages, want 6 queries (5 pages and the count) and 1 describe", calls, pages)
	}
	used, limit, ok := f.src.Usage(f.org.ID())
	if !ok || used != f.org.Stats().APICalls || limit != 100000 {
		t.Errorf("usage %d/%d (%v), want %d/100000 as Sforce-Limit-Info said", used, limit, ok, f.org.Stats().APICalls)
	}
}

func TestGetReadsManyIDsInFewCalls(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	want := f.seedContacts(t, 2500, at(1), "")
	gone := want[7]
	if err := f.org.Delete("Contact", gone); err != nil {
		t.Fatal(err)
	}
	// Asked backwards, with a repeat and a 15-character id.
	var ask []string
	for i := len(want) - 1; i >= 0; i-- {
		ask = append(ask, want[i])
	}
	ask = append(ask, want[0][:15], want[1])
	before := f.org.Stats().Calls
	got, err := f.src.Get(f.ctx, f.conn, "Contact", ask, []string{"Email"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want)-1 {
		t.Fatalf("got %d records, want %d (all but the deleted one)", len(got), len(want)-1)
	}
	for i, r := range got {
		j := len(want) - 1 - i
		if j <= 7 {
			j-- // the deleted one is left out
		}
		if r.ID != want[j] || r.Fields["Email"] == nil || r.ID == gone {
			t.Fatalf("record %d is %s, want %s in the order asked", i, r.ID, want[j])
		}
	}
	// 2,500 ids make 9 queries under the URL limit, five to a composite.
	if calls := f.callsSince(before); calls["composite"] != 2 || len(calls) != 1 {
		t.Errorf("calls %v, want 2 composite calls", calls)
	}
}

func TestGetFollowsAnswersSalesforceCutShort(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{QueryBatchSize: 100})
	want := f.seedContacts(t, 250, at(1), "")
	before := f.org.Stats().Calls
	got, err := f.src.Get(f.ctx, f.conn, "Contact", want, nil)
	if err != nil || len(got) != 250 {
		t.Fatalf("got %d records, %v", len(got), err)
	}
	if calls := f.callsSince(before); calls["composite"] != 1 || calls["queryMore"] != 2 {
		t.Errorf("calls %v, want 1 composite and 2 queryMore", calls)
	}
}
