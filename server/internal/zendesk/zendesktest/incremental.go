package zendesktest

import (
	"fmt"
	"math"
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
//
// Deleted tickets are exported with status "deleted" unless
// exclude_deleted=true. The incremental exports have their own rate limit
// (incrementalLimit).
func handleIncrementalTickets(c *call) error {
	if limited(c) {
		return nil
	}
	q := c.r.URL.Query()
	a := c.a
	now := a.now()
	perPage, err := perPageParam(q)
	if err != nil {
		return err
	}
	excludeDeleted := q.Get("exclude_deleted") == "true"
	var pos cursor
	switch {
	case q.Has("cursor"):
		var ok bool
		pos, ok = decodeCursor(q.Get("cursor"))
		if !ok || pos.Scope != incrementalScope {
			return errPagination("cursor is invalid")
		}
	case q.Has("start_time"):
		st, err := startTime(q, now)
		if err != nil {
			return err
		}
		pos = cursor{Scope: incrementalScope, Key: changeKey(st), ID: 0}
	default:
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: start_time or cursor")
	}
	cutoff := now.Add(-time.Minute)
	a.mu.Lock()
	defer a.mu.Unlock()
	var changed []*ticketRecord
	for _, rec := range a.exportable(excludeDeleted) {
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
		if a.deletedTickets[rec.t.ID] == rec {
			w.Status = "deleted"
		}
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

// exportable lists every ticket, with the deleted ones unless excluded.
// Callers hold a.mu.
func (a *Account) exportable(excludeDeleted bool) []*ticketRecord {
	out := make([]*ticketRecord, 0, len(a.tickets)+len(a.deletedTickets))
	for _, rec := range a.tickets {
		out = append(out, rec)
	}
	if !excludeDeleted {
		for _, rec := range a.deletedTickets {
			out = append(out, rec)
		}
	}
	return out
}

// perPageParam reads per_page: 1 to 1000 (larger is capped), default 1000.
func perPageParam(q url.Values) (int, error) {
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, errBadRequest("InvalidValue", "per_page must be a positive integer")
		}
		return min(n, 1000), nil
	}
	return 1000, nil
}

// startTime reads start_time (unix seconds), which must be at least a
// minute in the past.
func startTime(q url.Values, now time.Time) (time.Time, error) {
	if q.Get("start_time") == "" {
		return time.Time{}, errBadRequest("ParameterMissing", "param is missing or the value is empty: start_time")
	}
	st, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
	if err != nil || st < 0 {
		return time.Time{}, errBadRequest("InvalidValue", "start_time is invalid")
	}
	if time.Unix(st, 0).After(now.Add(-time.Minute)) {
		return time.Time{}, errBadRequest("InvalidValue", "Too recent start_time. Use a start_time older than 1 minute")
	}
	return time.Unix(st, 0), nil
}

// incrementalLimit is the incremental exports' own per-minute allowance,
// on top of the account's: 10, or 30 with the High Volume API add-on.
func (a *Account) incrementalLimit() int {
	if a.spec.HighVolumeAPI {
		return 30
	}
	return 10
}

// limited counts an incremental export request and, over the limit,
// answers 429 with Retry-After; true means it answered.
func limited(c *call) bool {
	a := c.a
	a.mu.Lock()
	now := a.now()
	if start := now.Truncate(time.Minute); !start.Equal(a.incWindow.start) {
		a.incWindow = rateWindow{start: start}
	}
	a.incWindow.count++
	over := a.incWindow.count > a.incrementalLimit()
	retry := a.incWindow.start.Add(time.Minute).Sub(now)
	a.mu.Unlock()
	if !over {
		return false
	}
	c.w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	writeJSON(c.w, http.StatusTooManyRequests, &apiError{Code: "APIRateLimitExceeded",
		Description: "Number of allowed incremental export API requests per minute exceeded"})
	return true
}

// changeKey orders change times as strings.
func changeKey(t time.Time) string { return fmt.Sprintf("%020d", t.UnixNano()) }
