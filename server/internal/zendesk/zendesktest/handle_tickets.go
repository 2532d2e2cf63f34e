package zendesktest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// handleShowTicket serves GET /api/v2/tickets/{id}.json[?include=...].
func handleShowTicket(c *call) error {
	a := c.a
	a.mu.Lock()
	rec := a.tickets[c.id("id")]
	if rec == nil {
		a.mu.Unlock()
		return errNotFound()
	}
	out := map[string]any{"ticket": rec.t.clone()}
	a.addSideloads(out, c.includes(), []Ticket{rec.t})
	a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, out)
	return nil
}

// handleUpdateTicket serves PUT /api/v2/tickets/{id}.json.
func handleUpdateTicket(c *call) error {
	f, err := readObject(c, "ticket")
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	rec := a.tickets[c.id("id")]
	if rec == nil {
		a.mu.Unlock()
		return errNotFound()
	}
	next, cm, err := a.applyTicketUpdate(rec.t, f)
	if err == nil && cm != nil {
		err = a.checkCommentAuthor(cm, c.who.user.ID)
	}
	if err != nil {
		a.mu.Unlock()
		return err
	}
	t, au := a.commitTicket(rec, next, c.who.user.ID, cm, "api")
	body := map[string]any{"ticket": t, "audit": a.auditJSON(au)}
	a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

// checkCommentAuthor fills a comment's author with the caller, or checks
// the author_id given. Callers hold a.mu.
func (a *Account) checkCommentAuthor(cm *Comment, caller int64) error {
	if cm.AuthorID == 0 {
		cm.AuthorID = caller
		return nil
	}
	if u := a.users[cm.AuthorID]; u == nil || !u.Active {
		return invalidField("comment", "Comment: author is invalid")
	}
	return nil
}

// addSideloads adds "users", "organizations", "groups", "brands",
// "ticket_forms" and "metric_sets" for the records the tickets reference,
// when include asks for them. Unknown sideloads are ignored. Callers hold
// a.mu.
func (a *Account) addSideloads(out map[string]any, include []string, tickets []Ticket) {
	if slices.Contains(include, "users") {
		var ids []int64
		for _, t := range tickets {
			ids = append(ids, t.RequesterID, t.SubmitterID, t.AssigneeID)
		}
		users := []User{}
		for _, id := range uniqueIDs(ids) {
			if u := a.users[id]; u != nil {
				users = append(users, *u)
			}
		}
		out["users"] = users
	}
	a.addCatalogSideloads(out, include, tickets)
	if slices.Contains(include, "organizations") {
		var ids []int64
		for _, t := range tickets {
			ids = append(ids, t.OrganizationID)
		}
		orgs := []Organization{}
		for _, id := range uniqueIDs(ids) {
			if o := a.orgs[id]; o != nil {
				orgs = append(orgs, o.clone())
			}
		}
		out["organizations"] = orgs
	}
}

// uniqueIDs sorts ids and drops zeros and duplicates.
func uniqueIDs(ids []int64) []int64 {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	slices.Sort(ids)
	return slices.Compact(ids)
}

// id returns a path parameter that the router has checked is decimal.
func (c *call) id(name string) int64 {
	n, _ := strconv.ParseInt(c.params[name], 10, 64)
	return n
}

// includes returns the comma-separated include parameter.
func (c *call) includes() []string {
	var out []string
	for _, s := range strings.Split(c.r.URL.Query().Get("include"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// handleShowManyTickets serves GET /api/v2/tickets/show_many.json?ids=
// (at most 100), with the same sideloads as a single ticket. Unknown and
// deleted ids are left out.
func handleShowManyTickets(c *call) error {
	return showMany(c, func(a *Account, id int64) (Ticket, bool) {
		if rec := a.tickets[id]; rec != nil {
			return rec.t.clone(), true
		}
		return Ticket{}, false
	}, func(a *Account, tickets []Ticket) map[string]any {
		out := map[string]any{"tickets": tickets, "next_page": nil, "previous_page": nil, "count": len(tickets)}
		a.addSideloads(out, c.includes(), tickets)
		return out
	})
}

// showMany answers a show_many request: the records of the ids given
// that exist, in id order, rendered by body under the account lock.
func showMany[T any](c *call, lookup func(*Account, int64) (T, bool), body func(*Account, []T) map[string]any) error {
	ids, err := parseIDs(c)
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	found := []T{}
	for _, id := range ids {
		if v, ok := lookup(a, id); ok {
			found = append(found, v)
		}
	}
	writeJSON(c.w, http.StatusOK, body(a, found))
	return nil
}
