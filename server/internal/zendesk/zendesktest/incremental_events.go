package zendesktest

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// handleIncrementalTicketEvents serves GET
// /api/v2/incremental/ticket_events.json (admins only), a time-based
// export: the audits whose timestamp is at or after start_time, oldest
// first, about per_page (default and most 1000) a page, never the most
// recent minute. end_time is the last event's timestamp and next_page
// asks from there, so events of that second come again: clients drop
// repeats by id, as Zendesk documents. A page never splits a second (it
// grows instead), and a page that is all one second moves end_time one
// second on, so paging neither loses events nor stalls. end_of_stream is
// true when nothing is left.
//
// Each event lists its child events: Create and Change events name the
// field with its value (and previous_value); a comment is a child event
// with its body when include=comment_events, else only comment_present
// and comment_public.
func handleIncrementalTicketEvents(c *call) error {
	if limited(c) {
		return nil
	}
	q := c.r.URL.Query()
	a := c.a
	now := a.now()
	start, err := startTime(q, now)
	if err != nil {
		return err
	}
	perPage, err := perPageParam(q)
	if err != nil {
		return err
	}
	comments := slices.Contains(c.includes(), "comment_events")
	cutoff := now.Add(-time.Minute)
	a.mu.Lock()
	defer a.mu.Unlock()
	var picked []*audit
	for _, au := range a.audits {
		sec := au.at.Truncate(time.Second)
		if !sec.Before(start) && !au.at.After(cutoff) {
			picked = append(picked, au)
		}
	}
	slices.SortStableFunc(picked, func(x, y *audit) int {
		if c := x.at.Truncate(time.Second).Compare(y.at.Truncate(time.Second)); c != 0 {
			return c
		}
		return cmpInt(x.id, y.id)
	})
	n := min(perPage, len(picked))
	for n > 0 && n < len(picked) && picked[n].at.Unix() == picked[n-1].at.Unix() {
		n++ // a second is never split across pages
	}
	page := picked[:n]
	events := make([]map[string]any, len(page))
	for i, au := range page {
		events[i] = a.ticketEventJSON(au, comments)
	}
	end := start.Unix()
	if len(page) > 0 {
		end = page[len(page)-1].at.Unix()
		if len(page) >= perPage && page[0].at.Unix() == end {
			end++ // the whole page is one second, all of it sent
		}
	}
	next := a.base + "/api/v2/incremental/ticket_events.json?start_time=" + strconv.FormatInt(end, 10)
	for _, k := range []string{"include", "per_page"} {
		if v := q.Get(k); v != "" {
			next += "&" + k + "=" + v
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{
		"ticket_events": events, "count": len(events), "end_time": end, "next_page": next,
		"end_of_stream": len(page) == len(picked),
	})
	return nil
}

// ticketEventJSON renders an audit as the ticket event export does.
// Callers hold a.mu.
func (a *Account) ticketEventJSON(au *audit, withComments bool) map[string]any {
	via := viaName(au.channel)
	var comment *Comment
	for _, ev := range au.events {
		if ev.comment != nil {
			comment = ev.comment
		}
	}
	children := []map[string]any{}
	for _, ev := range au.events {
		child := map[string]any{"id": ev.id, "via": via, "via_reference_id": nil}
		switch ev.typ {
		case "Comment":
			if withComments {
				w := ev.comment.wire(a.base)
				child["via"] = w.Via
				child["type"], child["author_id"], child["body"], child["html_body"] = "Comment", w.AuthorID, w.Body, w.HTMLBody
				child["plain_body"], child["public"], child["attachments"], child["audit_id"] = w.PlainBody, w.Public, w.Attachments, w.AuditID
				child["created_at"] = w.CreatedAt
			} else {
				child["comment_present"], child["comment_public"] = true, ev.comment.Public
			}
			child["event_type"] = "Comment"
		default:
			child[ev.field] = auditValue(ev.value)
			if ev.field == "tags" {
				added, removed := tagDelta(ev.previous, ev.value)
				child["added_tags"], child["removed_tags"] = added, removed
			}
			child["event_type"] = ev.typ
			if ev.typ == "Change" {
				child["previous_value"] = auditValue(ev.previous)
			}
			if !withComments {
				child["comment_present"], child["comment_public"] = comment != nil, comment != nil && comment.Public
			}
		}
		children = append(children, child)
	}
	return map[string]any{
		"id": au.id, "ticket_id": au.ticketID, "timestamp": au.at.Unix(), "created_at": stamp(au.at),
		"updater_id": actorNumber(au.author), "via": via, "system": map[string]any{}, "metadata": map[string]any{},
		"event_type": "Audit", "merged_ticket_ids": []int64{}, "child_events": children,
	}
}

// tagDelta is what a tags change added and removed.
func tagDelta(prev, cur any) (added, removed []string) {
	p, _ := prev.([]string)
	c, _ := cur.([]string)
	added, removed = []string{}, []string{}
	for _, t := range c {
		if !slices.Contains(p, t) {
			added = append(added, t)
		}
	}
	for _, t := range p {
		if !slices.Contains(c, t) {
			removed = append(removed, t)
		}
	}
	return added, removed
}
