package zendesktest

import (
	"net/url"
	"strconv"
)

// offsetPage is a page of offset pagination (page, per_page).
type offsetPage struct {
	page, perPage int
}

// maxOffsetRecords is how deep offset pagination may go since Aug 2023.
const maxOffsetRecords = 10000

// parseOffset reads page (from 1) and per_page (1..100, default 100;
// larger values are capped at 100, as Zendesk does).
func parseOffset(q url.Values) (offsetPage, error) {
	p := offsetPage{page: 1, perPage: 100}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, errPagination("page must be a positive integer")
		}
		p.page = n
	}
	if s := q.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p, errPagination("per_page must be a positive integer")
		}
		p.perPage = min(n, 100)
	}
	if (p.page-1)*p.perPage >= maxOffsetRecords {
		return p, errPagination("Offset pagination is limited to 10000 records; use cursor pagination")
	}
	return p, nil
}

// bounds is the slice of n records this page shows.
func (p offsetPage) bounds(n int) (lo, hi int) {
	lo = min((p.page-1)*p.perPage, n)
	return lo, min(lo+p.perPage, n)
}

// links returns next_page and previous_page for n records in all.
func (p offsetPage) links(c *call, n int) (next, prev *string) {
	at := func(page int) *string {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(p.perPage))
		u := c.a.srv.url + c.r.URL.Path + "?" + q.Encode()
		return &u
	}
	if p.page*p.perPage < n {
		next = at(p.page + 1)
	}
	if p.page > 1 {
		prev = at(p.page - 1)
	}
	return next, prev
}

// offsetBody is an offset-paginated answer: {"<key>": [...],
// "next_page", "previous_page", "count"}.
func offsetBody(c *call, p offsetPage, key string, n int, items any) map[string]any {
	next, prev := p.links(c, n)
	return map[string]any{key: items, "next_page": next, "previous_page": prev, "count": n}
}

// pageOf slices all to the page.
func pageOf[T any](p offsetPage, all []T) []T {
	lo, hi := p.bounds(len(all))
	return append(make([]T, 0, hi-lo), all[lo:hi]...)
}
