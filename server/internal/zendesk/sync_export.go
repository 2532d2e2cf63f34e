package zendesk

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// exportLimit names the incremental exports' own rate limit, 10 calls a
// minute (30 with High Volume): a 429 there holds only export calls.
const exportLimit = "incremental-exports"

// exportStart is a start_time Zendesk takes: not negative, and at least a
// minute in the past (a second more for clock skew). Starting earlier
// than asked only repeats changes, which syncing again makes harmless.
func exportStart(start, now time.Time) int64 {
	return max(0, min(start.Unix(), now.Add(-61*time.Second).Unix()))
}

// ExportTickets reads one page (up to 1,000 tickets) of the cursor-based
// incremental ticket export, GET /api/v2/incremental/tickets/cursor.json,
// from start when cursor is empty, else from cursor, with the sideloads
// that name each ticket's people, organization, group, brand and form.
// Deleted tickets come with Deleted set. The returned Cursor continues
// after this page (persist it; it is the one given when Zendesk names
// none); End says the export has caught up. A 429 (Retry-After in
// RetryAfter) holds only further export calls.
func (s *SyncSource) ExportTickets(ctx context.Context, t crossview.Tenant, cursor string, start time.Time) (crossview.TicketPage, error) {
	q := url.Values{"include": {ticketIncludes}}
	if cursor != "" {
		q.Set("cursor", cursor)
	} else {
		q.Set("start_time", strconv.FormatInt(exportStart(start, s.c.now()), 10))
	}
	var r struct {
		Tickets     []syncTicketWire `json:"tickets"`
		AfterCursor *string          `json:"after_cursor"`
		EndOfStream bool             `json:"end_of_stream"`
		ticketSideloads
	}
	cred := CredentialsOf(t)
	if err := s.c.doLimited(ctx, t.Subdomain, exportLimit, &cred, http.MethodGet, "/api/v2/incremental/tickets/cursor.json?"+q.Encode(), nil, &r); err != nil {
		return crossview.TicketPage{}, UserError(err)
	}
	ts, err := s.assemble(ctx, t, r.Tickets, r.ticketSideloads)
	if err != nil {
		return crossview.TicketPage{}, UserError(err)
	}
	next := cursor
	if r.AfterCursor != nil && *r.AfterCursor != "" {
		next = *r.AfterCursor
	}
	return crossview.TicketPage{Tickets: ts, Cursor: next, End: r.EndOfStream}, nil
}

// ticketEventWire is one audit in the ticket event export.
type ticketEventWire struct {
	TicketID    int64            `json:"ticket_id"`
	CreatedAt   time.Time        `json:"created_at"`
	ChildEvents []childEventWire `json:"child_events"`
}

// childEventWire is one event of an audit; with include=comment_events a
// comment carries its body.
type childEventWire struct {
	commentWire
	EventType string `json:"event_type"`
}

// ExportComments reads one page of the time-based incremental ticket event
// export with comment events, GET
// /api/v2/incremental/ticket_events.json?include=comment_events, from
// start: the comments (public and private) grouped by ticket, oldest
// first, with authors named. Next is the page's end_time; the next page
// starts there, so comments of that second come again (a comment marker
// drops them). End is end_of_stream.
func (s *SyncSource) ExportComments(ctx context.Context, t crossview.Tenant, start time.Time) (crossview.CommentPage, error) {
	q := url.Values{"start_time": {strconv.FormatInt(exportStart(start, s.c.now()), 10)}, "include": {"comment_events"}}
	var r struct {
		TicketEvents []ticketEventWire `json:"ticket_events"`
		EndTime      int64             `json:"end_time"`
		EndOfStream  bool              `json:"end_of_stream"`
	}
	cred := CredentialsOf(t)
	if err := s.c.doLimited(ctx, t.Subdomain, exportLimit, &cred, http.MethodGet, "/api/v2/incremental/ticket_events.json?"+q.Encode(), nil, &r); err != nil {
		return crossview.CommentPage{}, UserError(err)
	}
	byTicket := map[int64][]commentWire{}
	var all []commentWire
	for _, ev := range r.TicketEvents {
		for _, ch := range ev.ChildEvents {
			if ch.EventType != "Comment" {
				continue
			}
			cm := ch.commentWire
			if cm.CreatedAt.IsZero() {
				cm.CreatedAt = ev.CreatedAt
			}
			byTicket[ev.TicketID] = append(byTicket[ev.TicketID], cm)
			all = append(all, cm)
		}
	}
	if err := s.fillUsers(ctx, t, authorsOf(all)); err != nil {
		return crossview.CommentPage{}, UserError(err)
	}
	page := crossview.CommentPage{Comments: make(map[int64][]crossview.TicketComment, len(byTicket)), Next: start, End: r.EndOfStream}
	if r.EndTime > 0 {
		page.Next = time.Unix(r.EndTime, 0).UTC()
	}
	for id, cms := range byTicket {
		page.Comments[id] = s.named(t.Subdomain, cms)
	}
	return page, nil
}
