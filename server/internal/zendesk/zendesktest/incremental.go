package zendesktest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// incrementalScope marks cursors of the incremental ticket export.
const incrementalScope = "incremental/tickets"

// handleIncrementalTickets serves GET
// /api/v2/incremental/tickets/cursor.json (admins only): tickets changed
// since start_time (unix seconds, at least a minute ago) or since a
// cursor, oldest change first, each at most once in its latest state. The
// most recent minute is never returned. after_cursor is always set, so a
// client can keep it and poll again later.
func handleIncrementalTickets(c *call) error {
	q := c.r.URL.Query()
	a := c.a
	now := a.now()
	perPage := 1000
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return errBadRequest("InvalidValue", "per_page must be a positive integer")
		}
		perPage = min(n, 1000)
	}
	var pos cursor
	switch {
	case q.Has("cursor"):
		var ok bool
		pos, ok = decodeCursor(q.Get("cursor"))
		if !ok || pos.Scope != incrementalScope {
			return errPagination("cursor is invalid")
		}
	case q.Has("start_time"):
		st, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
		if err != nil || st < 0 {
			return errBadRequest("InvalidValue", "start_time is invalid")
		}
		if time.Unix(st, 0).After(now.Add(-time.Minute)) {
			return errBadRequest("InvalidValue", "Too recent start_time. Use a start_time older than 1 minute")
		}
		pos = cursor{Scope: incrementalScope, Key: changeKey(time.Unix(st, 0)), ID: 0}
	default:
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: start_time or cursor")
	}
	cutoff := now.Add(-time.Minute)
	a.mu.Lock()
	defer a.mu.Unlock()
	var changed []*ticketRecord
	for _, rec := range a.tickets {
		k := changeKey(rec.changed)
		if rec.changed.After(cutoff) {
			continue
		}
		if d := strings.Compare(k, pos.Key); d > 0 || (d == 0 && rec.t.ID > pos.ID) {
			changed = append(changed, rec)
		}
	}
	slices.SortFunc(changed, func(x, y *ticketRecord) int {
		if c := x.changed.Compare(y.changed); c != 0 {
			return c
		}
		return cmpInt(x.t.ID, y.t.ID)
	})
	page := changed[:min(perPage, len(changed))]
	tickets := make([]ticketWire, len(page))
	plain := make([]Ticket, len(page))
	for i, rec := range page {
		w := rec.t.wire()
		gen := rec.changed.Unix()
		w.GeneratedTimestamp = &gen
		tickets[i], plain[i] = w, rec.t
	}
	if len(page) > 0 {
		last := page[len(page)-1]
		pos = cursor{Scope: incrementalScope, Key: changeKey(last.changed), ID: last.t.ID}
	}
	after := encodeCursor(pos)
	body := map[string]any{
		"tickets":       tickets,
		"after_cursor":  after,
		"after_url":     a.base + "/api/v2/incremental/tickets/cursor.json?cursor=" + url.QueryEscape(after),
		"before_cursor": nil,
		"before_url":    nil,
		"end_of_stream": len(changed) <= perPage,
	}
	a.addSideloads(body, c.includes(), plain)
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

// changeKey orders change times as strings.
func changeKey(t time.Time) string { return fmt.Sprintf("%020d", t.UnixNano()) }
