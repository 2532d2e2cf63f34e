package zendesktest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxSearchResults is how far search pagination reaches.
const maxSearchResults = 1000

// searchHit is one search result with what sorting needs.
type searchHit struct {
	wire             any
	id               int64
	created, updated time.Time
	status, priority int
	ticketType, kind string
}

// handleSearch serves GET /api/v2/search.json?query=. It covers a subset
// of the search syntax (see ticketMatches) and sees tickets through the
// account's search index lag. Without sort_by, results come newest
// update first.
func handleSearch(c *call) error {
	q := c.r.URL.Query()
	query := strings.TrimSpace(q.Get("query"))
	if query == "" {
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: query")
	}
	p, err := parseOffset(q)
	if err != nil {
		return err
	}
	if (p.page-1)*p.perPage >= maxSearchResults {
		return &apiError{status: http.StatusUnprocessableEntity, Code: "InvalidPaginationParameter",
			Description: "Search results are limited to 1000 records; use the search export endpoint"}
	}
	by, desc := q.Get("sort_by"), q.Get("sort_order") != "asc"
	switch by {
	case "", "updated_at", "created_at", "priority", "status", "ticket_type":
	default:
		return errBadRequest("InvalidValue", "sort_by is not valid")
	}
	terms := parseQuery(query)
	kinds := searchKinds(terms)
	a := c.a
	a.mu.Lock()
	var hits []searchHit
	if kinds["ticket"] {
		for _, t := range a.indexedTickets() {
			if a.ticketMatches(t, terms) {
				w := t.wire()
				w.ResultType = "ticket"
				hits = append(hits, searchHit{wire: w, id: t.ID, created: t.CreatedAt, updated: t.UpdatedAt,
					status: statusRank(t.Status), priority: priorityRank(t.Priority), ticketType: t.Type, kind: "ticket"})
			}
		}
	}
	if kinds["user"] {
		for _, u := range a.sortedUsers() {
			if u.Active && a.userMatchesTerms(u, terms) {
				w := u.wire()
				w.ResultType = "user"
				hits = append(hits, searchHit{wire: w, id: u.ID, created: u.CreatedAt, updated: u.UpdatedAt, status: -1, priority: -1, kind: "user"})
			}
		}
	}
	if kinds["organization"] {
		for _, o := range a.sortedOrgs() {
			if orgMatchesTerms(o, terms) {
				w := o.wire()
				w.ResultType = "organization"
				hits = append(hits, searchHit{wire: w, id: o.ID, created: o.CreatedAt, updated: o.UpdatedAt, status: -1, priority: -1, kind: "organization"})
			}
		}
	}
	a.mu.Unlock()
	slices.SortStableFunc(hits, func(x, y searchHit) int {
		c := compareHits(by, x, y)
		if c == 0 {
			c = cmpInt(x.id, y.id)
		}
		if desc {
			return -c
		}
		return c
	})
	page := pageOf(p, hits)
	results := make([]any, len(page))
	for i, h := range page {
		results[i] = h.wire
	}
	body := offsetBody(c, p, "results", len(hits), results)
	body["facets"] = nil
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

func compareHits(by string, x, y searchHit) int {
	switch by {
	case "created_at":
		return x.created.Compare(y.created)
	case "priority":
		return cmpInt(int64(x.priority), int64(y.priority))
	case "status":
		return cmpInt(int64(x.status), int64(y.status))
	case "ticket_type":
		return strings.Compare(x.ticketType, y.ticketType)
	}
	return x.updated.Compare(y.updated)
}

// searchKinds is the set of result types a query asks for: those named
// by type: terms, else all of them.
func searchKinds(terms []term) map[string]bool {
	kinds := map[string]bool{}
	for _, t := range terms {
		if t.key == "type" {
			kinds[strings.ToLower(t.value)] = true
		}
	}
	if len(kinds) == 0 {
		return map[string]bool{"ticket": true, "user": true, "organization": true}
	}
	return kinds
}

// indexedTickets is what the search index holds: every ticket as it was
// lag ago, or not at all if it is newer. Callers hold a.mu.
func (a *Account) indexedTickets() []Ticket {
	cutoff := a.now().Add(-a.lag)
	var out []Ticket
	for _, rec := range a.tickets {
		if a.lag <= 0 {
			out = append(out, rec.t.clone())
			continue
		}
		for i := len(rec.history) - 1; i >= 0; i-- {
			if !rec.history[i].at.After(cutoff) {
				out = append(out, rec.history[i].t.clone())
				break
			}
		}
	}
	return out
}
