package zendesktest

import (
	"net/http"
	"slices"
)

// handleShowGroup serves GET /api/v2/groups/{id}.json.
func handleShowGroup(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	g := a.membersLocked().groups[c.id("id")]
	if g == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"group": *g})
	return nil
}

// handleListGroups serves GET /api/v2/groups.json (offset pagination).
func handleListGroups(c *call) error {
	a := c.a
	p, err := parseOffset(c.r.URL.Query())
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	all := sortedValues(a.membersLocked().groups, func(g *Group) int64 { return g.ID })
	out := []Group{}
	for _, g := range pageOf(p, all) {
		out = append(out, *g)
	}
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "groups", len(all), out))
	return nil
}

// handleShowBrand serves GET /api/v2/brands/{id}.json.
func handleShowBrand(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.brands[c.id("id")]
	if b == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"brand": a.brandJSON(b)})
	return nil
}

// handleListBrands serves GET /api/v2/brands.json.
func handleListBrands(c *call) error {
	a := c.a
	p, err := parseOffset(c.r.URL.Query())
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	all := sortedValues(a.brands, func(b *Brand) int64 { return b.ID })
	out := []map[string]any{}
	for _, b := range pageOf(p, all) {
		out = append(out, a.brandJSON(b))
	}
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "brands", len(all), out))
	return nil
}

// handleShowTicketForm serves GET /api/v2/ticket_forms/{id}.json.
func handleShowTicketForm(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.ticketForms[c.id("id")]
	if f == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"ticket_form": a.formJSON(f)})
	return nil
}

// handleShowManyTicketForms serves GET /api/v2/ticket_forms/show_many.json?ids=.
// Unknown ids are left out, as for users and organizations.
func handleShowManyTicketForms(c *call) error {
	return showMany(c, func(a *Account, id int64) (map[string]any, bool) {
		if f := a.ticketForms[id]; f != nil {
			return a.formJSON(f), true
		}
		return nil, false
	}, func(_ *Account, forms []map[string]any) map[string]any {
		return map[string]any{"ticket_forms": forms, "next_page": nil, "previous_page": nil, "count": len(forms)}
	})
}

// handleListTicketForms serves GET /api/v2/ticket_forms.json; it is not
// paginated.
func handleListTicketForms(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []map[string]any{}
	for _, f := range sortedValues(a.ticketForms, func(f *TicketForm) int64 { return f.ID }) {
		out = append(out, a.formJSON(f))
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"ticket_forms": out, "next_page": nil, "previous_page": nil, "count": len(out)})
	return nil
}

// sortedValues lists a map's values by id.
func sortedValues[T any](m map[int64]*T, id func(*T) int64) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(x, y *T) int { return cmpInt(id(x), id(y)) })
	return out
}

// addCatalogSideloads adds the groups, brands, ticket forms and metric
// sets of tickets, when include asks for them. Callers hold a.mu.
func (a *Account) addCatalogSideloads(out map[string]any, include []string, tickets []Ticket) {
	collect := func(id func(Ticket) int64) []int64 {
		var ids []int64
		for _, t := range tickets {
			ids = append(ids, id(t))
		}
		return uniqueIDs(ids)
	}
	if slices.Contains(include, "groups") {
		list := []Group{}
		for _, id := range collect(func(t Ticket) int64 { return t.GroupID }) {
			if g := a.membersLocked().groups[id]; g != nil {
				list = append(list, *g)
			}
		}
		out["groups"] = list
	}
	if slices.Contains(include, "brands") {
		list := []map[string]any{}
		for _, id := range collect(func(t Ticket) int64 { return t.BrandID }) {
			if b := a.brands[id]; b != nil {
				list = append(list, a.brandJSON(b))
			}
		}
		out["brands"] = list
	}
	if slices.Contains(include, "ticket_forms") {
		list := []map[string]any{}
		for _, id := range collect(func(t Ticket) int64 { return t.TicketFormID }) {
			if f := a.ticketForms[id]; f != nil {
				list = append(list, a.formJSON(f))
			}
		}
		out["ticket_forms"] = list
	}
	if slices.Contains(include, "metric_sets") {
		list := []map[string]any{}
		for _, t := range tickets {
			rec := a.tickets[t.ID]
			if rec == nil {
				rec = a.deletedTickets[t.ID]
			}
			if rec != nil {
				list = append(list, rec.metrics.json(a, t.ID))
			}
		}
		out["metric_sets"] = list
	}
}
