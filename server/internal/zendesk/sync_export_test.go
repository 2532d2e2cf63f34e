package zendesk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

const exportRoute = "GET /api/v2/incremental/tickets/cursor.json"

// readExport pages the ticket export from cursor (or start) to its end and
// returns the tickets and the cursor to persist.
func readExport(t *testing.T, e *syncEmu, cursor string, start time.Time) ([]crossview.SyncTicket, string, int) {
	t.Helper()
	var all []crossview.SyncTicket
	for pages := 1; ; pages++ {
		p, err := e.source.ExportTickets(context.Background(), e.tenant, cursor, start)
		if err != nil {
			t.Fatal(err)
		}
		if p.Cursor == "" {
			t.Fatal("a page came without a cursor to persist")
		}
		all, cursor = append(all, p.Tickets...), p.Cursor
		if p.End {
			return all, cursor, pages
		}
		if pages > 10 {
			t.Fatal("the export does not end")
		}
	}
}

func ids(ts []crossview.SyncTicket) []int64 {
	out := make([]int64, len(ts))
	for i, tk := range ts {
		out[i] = tk.ID
	}
	return out
}

func TestExportTicketsPagesToTheEndAndResumesFromItsCursor(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{HighVolumeAPI: true})
	c := seedCatalog(e)
	start := e.clock.Now().Add(-3 * time.Hour)
	var want []int64
	for i := range 2500 {
		tk := c.ticket("Old ticket")
		tk.UpdatedAt = start.Add(time.Duration(i) * time.Second)
		want = append(want, e.acct.AddTicket(tk).ID)
	}

	e.acct.ResetStats()
	got, cursor, pages := readExport(t, e, "", start)
	if !slices.Equal(ids(got), want) {
		t.Fatalf("export gave %d tickets, want the %d seeded, each once, oldest change first", len(got), len(want))
	}
	if pages != 3 {
		t.Fatalf("2,500 tickets came in %d pages, want 3 of up to 1,000", pages)
	}
	if s := e.acct.Stats(); s.Requests != pages || s.ByEndpoint[exportRoute] != pages {
		t.Fatalf("export took %v, want only the %d export calls (names sideloaded)", s.ByEndpoint, pages)
	}
	first := got[0]
	if first.Requester.Name != "Peter Gibbons" || first.Organization.ExternalID != "SF-001A" || first.GroupName != "Tier 2" ||
		first.BrandName != "Initrode Support" || first.FormName != "Hardware" || first.Assignee.Email != "samir@acme.test" {
		t.Fatalf("exported ticket lacks its names: %+v", first)
	}

	// Later: three tickets change and one is deleted. The persisted cursor
	// gives exactly those, once the last minute has passed.
	changed := []int64{want[7], want[1500], want[2499]}
	for _, id := range changed {
		e.clock.Advance(time.Second)
		if _, err := e.acct.UpdateTicket(id, func(t *zendesktest.Ticket) { t.Status = "pending" }); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(time.Second)
	if err := e.acct.DeleteTicket(want[42]); err != nil {
		t.Fatal(err)
	}
	if again, _, _ := readExport(t, e, cursor, time.Time{}); len(again) != 0 {
		t.Fatalf("changes of the last minute came early: %v", ids(again))
	}
	e.clock.Advance(2 * time.Minute)
	again, next, _ := readExport(t, e, cursor, time.Time{})
	if got, want := ids(again), append(slices.Clone(changed), want[42]); !slices.Equal(got, want) {
		t.Fatalf("resumed export gave %v, want %v", got, want)
	}
	for _, tk := range again {
		if deleted := tk.ID == want[42]; tk.Deleted != deleted {
			t.Errorf("ticket %d: Deleted = %v, want %v", tk.ID, tk.Deleted, deleted)
		}
		if tk.ID != want[42] && tk.Status != "pending" {
			t.Errorf("ticket %d: status %q, want its latest, pending", tk.ID, tk.Status)
		}
	}
	if rest, _, _ := readExport(t, e, next, time.Time{}); len(rest) != 0 {
		t.Fatalf("after catching up the export still gave %v", ids(rest))
	}
}

func TestExportRateLimitSurfacesRetryAfterAndHoldsOnlyExports(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	tk := e.acct.AddTicket(seedCatalog(e).ticket("Busy"))
	start := e.clock.Now().Add(-time.Hour)
	for i := range 10 {
		if _, err := e.source.ExportTickets(ctx, e.tenant, "", start); err != nil {
			t.Fatalf("export call %d of the minute's 10: %v", i+1, err)
		}
	}
	e.clock.Advance(15 * time.Second)
	_, err := e.source.ExportTickets(ctx, e.tenant, "", start)
	if !zendesk.IsRateLimited(err) || crossview.ErrorCode(err) != crossview.ERATELIMITED {
		t.Fatalf("11th export call of the minute: err = %v, want rate limited", err)
	}
	if d := zendesk.RetryAfter(err); d != 45*time.Second {
		t.Fatalf("RetryAfter = %v, want the 45 s Zendesk asked for", d)
	}
	if _, err := e.source.ExportComments(ctx, e.tenant, start); zendesk.RetryAfter(err) <= 0 {
		t.Fatalf("the event export shares the limit: err = %v, want held with a wait", err)
	}

	// The export's own limit does not stop the worker's other calls.
	e.acct.ResetStats()
	if _, err := e.source.Ticket(ctx, e.tenant, tk.ID); err != nil {
		t.Fatalf("a ticket read after the export's 429: %v", err)
	}
	if n := e.acct.Calls(exportRoute); n != 0 {
		t.Fatalf("held export calls still reached Zendesk %d times", n)
	}
	e.clock.Advance(46 * time.Second)
	if _, err := e.source.ExportTickets(ctx, e.tenant, "", start); err != nil {
		t.Fatalf("after Retry-After passed: %v", err)
	}
}

func TestExportCommentsGroupsCommentEventsByTicket(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{HighVolumeAPI: true})
	c := seedCatalog(e)
	start := e.clock.Now()
	a, allA := seedConversation(t, e, c, 3)
	b, allB := seedConversation(t, e, c, 2)
	// A change without a comment is no comment event.
	e.clock.Advance(time.Second)
	if _, err := e.acct.UpdateTicket(a.ID, func(t *zendesktest.Ticket) { t.Priority = "urgent" }); err != nil {
		t.Fatal(err)
	}
	end := e.clock.Now()
	e.clock.Advance(2 * time.Minute)

	e.acct.ResetStats()
	p, err := e.source.ExportComments(ctx, e.tenant, start)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]crossview.TicketComment{a.ID: allA, b.ID: allB}
	if d := cmp.Diff(want, p.Comments); d != "" {
		t.Fatalf("comments mismatch (-want +got):\n%s", d)
	}
	if !p.End || !p.Next.Equal(end) {
		t.Fatalf("page end: End %v, Next %v; want true and the last event's time %v", p.End, p.Next, end)
	}
	// This source never saw the authors: one users call names them all.
	if n := e.acct.Calls("GET /api/v2/users/show_many.json"); n != 1 {
		t.Fatalf("naming the authors took %d calls, want 1: %v", n, e.acct.Stats().ByEndpoint)
	}
}

func TestExportCommentsPagesFromEachPagesEndTime(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{HighVolumeAPI: true})
	c := seedCatalog(e)
	start := e.clock.Now()
	var want []int64
	for range 3 {
		_, all := seedConversation(t, e, c, 600)
		for _, cm := range all {
			want = append(want, cm.ID)
		}
	}
	e.clock.Advance(2 * time.Minute)

	seen := map[int64]bool{}
	var got []int64
	from := start
	for pages := 1; ; pages++ {
		p, err := e.source.ExportComments(ctx, e.tenant, from)
		if err != nil {
			t.Fatal(err)
		}
		for _, cms := range p.Comments {
			for i, cm := range cms {
				if i > 0 && cms[i-1].ID >= cm.ID {
					t.Fatalf("comments of a ticket not oldest first: %d then %d", cms[i-1].ID, cm.ID)
				}
				if !seen[cm.ID] { // the second at a page's end comes again
					seen[cm.ID] = true
					got = append(got, cm.ID)
				}
			}
		}
		if p.End {
			if pages < 2 {
				t.Fatalf("%d events fit one page; want several pages", len(want))
			}
			break
		}
		if !p.Next.After(from) {
			t.Fatalf("page %d: Next %v does not move past %v", pages, p.Next, from)
		}
		from = p.Next
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("export gave %d comments, want all %d", len(got), len(want))
	}
}
