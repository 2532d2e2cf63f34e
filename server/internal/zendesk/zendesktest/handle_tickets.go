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
	prev := rec.t.clone()
	next, cm, err := a.applyTicketUpdate(rec.t, f)
	if err != nil {
		a.mu.Unlock()
		return err
	}
	t := a.commitTicket(rec, next, c.who.user.ID, cm)
	audit := a.audit(prev, t, c.who.user.ID, cm)
	a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"ticket": t, "audit": audit})
	return nil
}

// audit renders the ticket audit a PUT answers with.
func (a *Account) audit(prev, t Ticket, author int64, cm *comment) map[string]any {
	events := []map[string]any{}
	id := t.UpdatedAt.UnixNano()/1000 + t.ID
	if cm != nil {
		events = append(events, map[string]any{"id": id, "type": "Comment", "body": cm.Body, "public": cm.Public, "author_id": author})
	}
	for i, ch := range diffTickets(prev, t) {
		events = append(events, map[string]any{"id": id + int64(i) + 1, "type": "Change",
			"field_name": ch.field, "value": ch.current, "previous_value": ch.previous})
	}
	return map[string]any{"id": id, "ticket_id": t.ID, "created_at": stamp(t.UpdatedAt),
		"author_id": author, "events": events}
}

// addSideloads adds "users" and "organizations" for the records the
// tickets reference, when include asks for them. Unknown sideloads are
// ignored. Callers hold a.mu.
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
