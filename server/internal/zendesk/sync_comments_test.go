package zendesk_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

const commentsRoute = "GET /api/v2/tickets/{id}/comments.json"

// seedConversation gives a ticket n comments after its description,
// alternating requester replies and agent notes (every third private), a
// second apart. It returns every comment, oldest first.
func seedConversation(t *testing.T, e *syncEmu, c catalog, n int) (zendesktest.Ticket, []crossview.TicketComment) {
	t.Helper()
	tk := e.acct.AddTicket(c.ticket("Long thread"))
	person := func(u zendesktest.User) crossview.TicketPerson {
		return crossview.TicketPerson{ID: u.ID, Name: u.Name, Email: u.Email}
	}
	desc := e.acct.Comments(tk.ID)[0]
	all := []crossview.TicketComment{{ID: desc.ID, Author: person(c.requester), Public: true, Body: desc.Body, CreatedAt: desc.CreatedAt}}
	for i := range n {
		e.clock.Advance(time.Second)
		author, public := c.requester, true
		if i%2 == 1 {
			author, public = c.agent, i%3 != 0
		}
		cm, err := e.acct.AddComment(tk.ID, zendesktest.Comment{AuthorID: author.ID, Body: fmt.Sprintf("Reply %d\nsecond line", i), Public: public})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, crossview.TicketComment{ID: cm.ID, Author: person(author), Public: public, Body: cm.Body, CreatedAt: cm.CreatedAt})
	}
	return tk, all
}

func TestCommentsAfterFollowsEveryPage(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	c := seedCatalog(e)
	tk, all := seedConversation(t, e, c, 250)

	e.acct.ResetStats()
	got, err := e.source.CommentsAfter(ctx, e.tenant, tk.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(all, got); d != "" {
		t.Fatalf("comments mismatch (-want +got):\n%s", d)
	}
	if n := e.acct.Calls(commentsRoute); n != 3 {
		t.Fatalf("251 comments took %d calls, want 3 pages of 100", n)
	}
}

func TestCommentsAfterReadsOnlyTheNewestPages(t *testing.T) {
	ctx := context.Background()
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	c := seedCatalog(e)
	tk, all := seedConversation(t, e, c, 250)

	for _, tt := range []struct {
		name      string
		after     int
		wantCalls int
	}{
		{"one new comment", len(all) - 2, 1},
		{"nothing new", len(all) - 1, 1},
		{"a page and a half new", len(all) - 151, 2},
	} {
		e.acct.ResetStats()
		got, err := e.source.CommentsAfter(ctx, e.tenant, tk.ID, all[tt.after].ID)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d := cmp.Diff(all[tt.after+1:], got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tt.name, d)
		}
		if n := e.acct.Stats().Requests; n != tt.wantCalls {
			t.Errorf("%s: took %d calls, want %d: %v", tt.name, n, tt.wantCalls, e.acct.Stats().ByEndpoint)
		}
	}
}

func TestCommentsAfterOfADeletedTicketIsNotFound(t *testing.T) {
	e := newSyncEmu(t, zendesktest.AccountSpec{})
	tk := e.acct.AddTicket(seedCatalog(e).ticket("Gone"))
	if err := e.acct.DeleteTicket(tk.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.source.CommentsAfter(context.Background(), e.tenant, tk.ID, 0); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("err = %v, want not found", err)
	}
}
