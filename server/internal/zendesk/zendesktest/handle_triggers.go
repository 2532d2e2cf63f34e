package zendesktest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// readTrigger applies a {"trigger": {...}} body to t. Updating conditions
// or actions replaces both lists, as Zendesk documents.
func readTrigger(c *call, t Trigger) (Trigger, error) {
	f, err := readObject(c, "trigger")
	if err != nil {
		return t, err
	}
	if s, ok := f.str("title", "Title"); ok {
		t.Title = s
	}
	if s, ok := f.str("description", "Description"); ok {
		t.Description = s
	}
	if s, ok := f.str("category_id", "Category"); ok {
		t.CategoryID = s
	}
	if f.has("active") {
		var b bool
		if json.Unmarshal(f.raw["active"], &b) != nil {
			f.bad("active", "Active: is invalid")
		}
		t.Active = b
	}
	if f.has("position") {
		var n int64
		if json.Unmarshal(f.raw["position"], &n) != nil || n < 0 {
			f.bad("position", "Position: is invalid")
		}
		t.Position = n
	}
	// Zendesk replaces both lists when either is given: the one left out
	// is cleared.
	if f.has("conditions") || f.has("actions") {
		t.Conditions, t.Actions = Conditions{}, nil
	}
	if f.has("conditions") {
		var conds Conditions
		if json.Unmarshal(f.raw["conditions"], &conds) != nil {
			f.bad("conditions", "Conditions: is invalid")
		}
		t.Conditions = conds
	}
	if f.has("actions") {
		var acts []Action
		if json.Unmarshal(f.raw["actions"], &acts) != nil {
			f.bad("actions", "Actions: is invalid")
		}
		t.Actions = acts
	}
	return t, f.err()
}

// handleCreateTrigger serves POST /api/v2/triggers.json: 201. Triggers
// are active unless the body says otherwise.
func handleCreateTrigger(c *call) error {
	t, err := readTrigger(c, Trigger{Active: true})
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkTrigger(t); err != nil {
		return err
	}
	st := a.storeTrigger(t)
	writeJSON(c.w, http.StatusCreated, map[string]any{"trigger": a.triggerJSON(st)})
	return nil
}

// handleShowTrigger serves GET /api/v2/triggers/{id}.json.
func handleShowTrigger(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	t := a.triggerByID(c.id("id"))
	if t == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"trigger": a.triggerJSON(t)})
	return nil
}

// handleUpdateTrigger serves PUT /api/v2/triggers/{id}.json: 200.
func handleUpdateTrigger(c *call) error {
	a := c.a
	a.mu.Lock()
	t := a.triggerByID(c.id("id"))
	if t == nil {
		a.mu.Unlock()
		return errNotFound()
	}
	cur := t.clone()
	a.mu.Unlock()
	next, err := readTrigger(c, cur)
	if err != nil {
		return err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if t = a.triggerByID(c.id("id")); t == nil { // deleted meanwhile
		return errNotFound()
	}
	if err := a.checkTrigger(next); err != nil {
		return err
	}
	next.ID, next.CreatedAt, next.UpdatedAt = t.ID, t.CreatedAt, a.now().Truncate(time.Second)
	t.Trigger = next.clone()
	writeJSON(c.w, http.StatusOK, map[string]any{"trigger": a.triggerJSON(t)})
	return nil
}

// handleDeleteTrigger serves DELETE /api/v2/triggers/{id}.json: 204.
func handleDeleteTrigger(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	id := c.id("id")
	for i, t := range a.triggers {
		if t.ID == id {
			a.triggers = append(a.triggers[:i], a.triggers[i+1:]...)
			c.w.WriteHeader(http.StatusNoContent)
			return nil
		}
	}
	return errNotFound()
}

// handleListTriggers serves GET /api/v2/triggers.json and
// /api/v2/triggers/active.json: offset pagination, by position, with
// active=true|false and category_id filters, and the usage_* sideloads.
func handleListTriggers(c *call) error {
	q := c.r.URL.Query()
	p, err := parseOffset(q)
	if err != nil {
		return err
	}
	onlyActive := strings.HasSuffix(strings.TrimSuffix(c.r.URL.Path, ".json"), "/active")
	var activeFilter *bool
	switch q.Get("active") {
	case "":
	case "true", "false":
		v := q.Get("active") == "true"
		activeFilter = &v
	default:
		return errBadRequest("InvalidValue", "active must be true or false")
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	var all []*trigger
	for _, t := range a.sortedTriggers() {
		if (onlyActive && !t.Active) || (activeFilter != nil && t.Active != *activeFilter) ||
			(q.Get("category_id") != "" && t.CategoryID != q.Get("category_id")) {
			continue
		}
		all = append(all, t)
	}
	out := []map[string]any{}
	for _, t := range pageOf(p, all) {
		m := a.triggerJSON(t)
		for _, inc := range c.includes() {
			if strings.HasPrefix(inc, "usage_") {
				m[inc] = t.fired
			}
		}
		out = append(out, m)
	}
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "triggers", len(all), out))
	return nil
}
