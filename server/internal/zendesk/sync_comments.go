package zendesk

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxCommentPages bounds one ticket's comment listing: 100 pages of 100
// is twice the most comments Zendesk lets a ticket have.
const maxCommentPages = 100

// commentWire is a comment as the Ticket Comments API and the ticket
// event export's comment events show it.
type commentWire struct {
	ID        int64     `json:"id"`
	AuthorID  int64     `json:"author_id"`
	Body      string    `json:"body"`
	PlainBody string    `json:"plain_body"`
	Public    bool      `json:"public"`
	CreatedAt time.Time `json:"created_at"`
}

// text is the comment as plain text.
func (c commentWire) text() string {
	if c.PlainBody != "" {
		return c.PlainBody
	}
	return c.Body
}

type commentPage struct {
	Comments []commentWire `json:"comments"`
	Users    []User        `json:"users"`
	Meta     struct {
		HasMore     bool   `json:"has_more"`
		AfterCursor string `json:"after_cursor"`
	} `json:"meta"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

// CommentsAfter lists a ticket's comments with an id above afterID,
// oldest first, with their authors' names (the users sideload). It reads
// newest first with cursor pagination and stops at the first page that
// reaches afterID, so a ticket with one new comment costs one call however
// long its history. (Comment ids grow with creation time; only an import
// with back-dated comments breaks that, and imports happen before a ticket
// is first synced.)
func (s *SyncSource) CommentsAfter(ctx context.Context, t crossview.Tenant, ticketID, afterID int64) ([]crossview.TicketComment, error) {
	sub, cred := t.Subdomain, CredentialsOf(t)
	q := url.Values{"page[size]": {"100"}, "sort": {"-created_at"}, "include": {"users"}}
	next := fmt.Sprintf("/api/v2/tickets/%d/comments.json?%s", ticketID, q.Encode())
	seenLinks := map[string]bool{}
	var picked []commentWire
	for page := 1; ; page++ {
		if page > maxCommentPages {
			return nil, UserError(&PaginationError{Reason: fmt.Sprintf("ticket %d's comments do not end after %d pages", ticketID, maxCommentPages)})
		}
		var p commentPage
		if err := s.c.get(ctx, sub, &cred, next, &p); err != nil {
			return nil, UserError(err)
		}
		s.remember(sub, ticketSideloads{Users: p.Users})
		reached := false
		for _, cm := range p.Comments {
			if cm.ID > afterID {
				picked = append(picked, cm)
			} else {
				reached = true
			}
		}
		if reached || !p.Meta.HasMore {
			break
		}
		n, err := s.c.nextPath(sub, p.Links.Next)
		if err != nil {
			return nil, UserError(err)
		}
		if seenLinks[n] {
			return nil, UserError(&PaginationError{Reason: "the server repeated a cursor"})
		}
		seenLinks[n] = true
		next = n
	}
	return s.comments(ctx, t, picked)
}

// comments sorts comments by id, drops repeats and names their authors.
func (s *SyncSource) comments(ctx context.Context, t crossview.Tenant, cms []commentWire) ([]crossview.TicketComment, error) {
	if err := s.fillUsers(ctx, t, authorsOf(cms)); err != nil {
		return nil, UserError(err)
	}
	return s.named(t.Subdomain, cms), nil
}

func authorsOf(cms []commentWire) []int64 {
	ids := make([]int64, 0, len(cms))
	for _, cm := range cms {
		ids = append(ids, cm.AuthorID)
	}
	return ids
}

// named converts comments whose authors are cached, by id, without
// repeats.
func (s *SyncSource) named(sub string, cms []commentWire) []crossview.TicketComment {
	slices.SortFunc(cms, func(a, b commentWire) int { return cmp.Compare(a.ID, b.ID) })
	cms = slices.CompactFunc(cms, func(a, b commentWire) bool { return a.ID == b.ID })
	out := make([]crossview.TicketComment, 0, len(cms))
	for _, cm := range cms {
		n, _ := s.names.get(sub, kindUser, cm.AuthorID)
		out = append(out, crossview.TicketComment{
			ID: cm.ID, Author: crossview.TicketPerson{ID: cm.AuthorID, Name: n.name, Email: n.extra},
			Public: cm.Public, Body: cm.text(), CreatedAt: cm.CreatedAt.UTC(),
		})
	}
	return out
}
