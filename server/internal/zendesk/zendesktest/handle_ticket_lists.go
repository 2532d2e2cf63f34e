package zendesktest

import (
	"net/http"
	"slices"
	"strconv"
)

// handleRequestedTickets serves GET /api/v2/users/{id}/tickets/requested.json.
func handleRequestedTickets(c *call) error {
	id := c.id("id")
	return listTickets(c, "requested:"+strconv.FormatInt(id, 10),
		func(a *Account) bool { return a.users[id] != nil },
		func(t Ticket) bool { return t.RequesterID == id })
}

// handleOrgTickets serves GET /api/v2/organizations/{id}/tickets.json.
func handleOrgTickets(c *call) error {
	id := c.id("id")
	return listTickets(c, "organization:"+strconv.FormatInt(id, 10),
		func(a *Account) bool { return a.orgs[id] != nil },
		func(t Ticket) bool { return t.OrganizationID == id })
}

// listTickets answers a ticket list with cursor pagination when page[...]
// or sort is given, else with offset pagination.
func listTickets(c *call, scope string, exists func(*Account) bool, keep func(Ticket) bool) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if !exists(a) {
		return errNotFound()
	}
	var all []Ticket
	for _, rec := range a.tickets {
		if keep(rec.t) {
			all = append(all, rec.t.clone())
		}
	}
	q := c.r.URL.Query()
	var body map[string]any
	var page []Ticket
	if q.Has("page[size]") || q.Has("page[after]") || q.Has("page[before]") || q.Has("sort") {
		var err error
		if body, page, err = cursorPage(c, scope, all); err != nil {
			return err
		}
		body["tickets"] = nonNilTickets(page)
	} else {
		p, err := parseOffset(q)
		if err != nil {
			return err
		}
		order, err := offsetOrder(q.Get("sort_by"), q.Get("sort_order"))
		if err != nil {
			return err
		}
		slices.SortFunc(all, order.cmp)
		page = pageOf(p, all)
		body = offsetBody(c, p, "tickets", len(all), page)
	}
	a.addSideloads(body, c.includes(), page)
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

// offsetOrder reads the offset-pagination sort (sort_by, sort_order).
func offsetOrder(by, order string) (ticketOrder, error) {
	if by == "" {
		by = "id"
	}
	switch order {
	case "", "asc":
	case "desc":
		by = "-" + by
	default:
		return ticketOrder{}, errPagination("sort_order must be asc or desc")
	}
	o, ok := parseTicketOrder(by)
	if !ok {
		return ticketOrder{}, errPagination("sort_by is not valid")
	}
	return o, nil
}

func nonNilTickets(t []Ticket) []Ticket {
	if t == nil {
		return []Ticket{}
	}
	return t
}
