package zendesktest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// handleMe serves GET /api/v2/users/me.json: the authenticated user.
func handleMe(c *call) error {
	c.a.mu.Lock()
	u, ok := c.a.users[c.who.user.ID]
	var me User
	if ok {
		me = *u
	}
	c.a.mu.Unlock()
	if !ok {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"user": me})
	return nil
}

// handleShowUser serves GET /api/v2/users/{id}.json.
func handleShowUser(c *call) error {
	u, ok := c.a.User(c.id("id"))
	if !ok {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"user": u})
	return nil
}

// handleUserIdentities serves GET /api/v2/users/{id}/identities.json: the
// primary email identity first, then the other emails, then the phone
// numbers (the primary phone first), in one page.
func handleUserIdentities(c *call) error {
	u, ok := c.a.User(c.id("id"))
	if !ok {
		return errNotFound()
	}
	type identity struct{ kind, value string }
	var all []identity
	for _, email := range append([]string{u.Email}, u.OtherEmails...) {
		all = append(all, identity{"email", email})
	}
	for _, phone := range append([]string{u.Phone}, u.OtherPhones...) {
		all = append(all, identity{"phone_number", phone})
	}
	ids := []map[string]any{}
	for i, id := range all {
		if id.value == "" {
			continue
		}
		ids = append(ids, map[string]any{
			"url": u.URL + "/identities/" + strconv.Itoa(i+1) + ".json", "id": u.ID*100 + int64(i+1), "user_id": u.ID,
			"type": id.kind, "value": id.value, "verified": true, "primary": i == 0 || (id.kind == "phone_number" && id.value == u.Phone),
			"created_at": stamp(u.CreatedAt), "updated_at": stamp(u.UpdatedAt),
		})
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"identities": ids, "next_page": nil, "previous_page": nil, "count": len(ids)})
	return nil
}

// handleShowManyUsers serves GET /api/v2/users/show_many.json?ids=1,2 or
// ?external_ids=a,b (up to 100 either way).
func handleShowManyUsers(c *call) error {
	ids, exts, err := showManyKeys(c)
	if err != nil {
		return err
	}
	c.a.mu.Lock()
	users := []User{}
	for _, id := range ids {
		if u := c.a.users[id]; u != nil {
			users = append(users, *u)
		}
	}
	for _, ext := range exts {
		if u := c.a.userByExternalID(ext); u != nil {
			users = append(users, *u)
		}
	}
	c.a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"users": users, "next_page": nil, "previous_page": nil, "count": len(users)})
	return nil
}

// handleSearchUsers serves GET /api/v2/users/search.json?query= or
// ?external_id=. An email-looking query matches the email exactly
// (ignoring case); other text matches words of the name or email.
// Deactivated users are not found.
func handleSearchUsers(c *call) error {
	q := c.r.URL.Query()
	p, err := parseOffset(q)
	if err != nil {
		return err
	}
	query, ext := strings.TrimSpace(q.Get("query")), strings.TrimSpace(q.Get("external_id"))
	if query == "" && ext == "" {
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: query")
	}
	c.a.mu.Lock()
	var found []User
	for _, u := range c.a.sortedUsers() {
		if u.Active && (ext == "" || strings.EqualFold(u.ExternalID, ext)) && (query == "" || userMatches(u, query)) {
			found = append(found, u)
		}
	}
	c.a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "users", len(found), pageOf(p, found)))
	return nil
}

func userMatches(u User, query string) bool {
	query = strings.TrimPrefix(query, "email:")
	if strings.Contains(query, "@") && !strings.ContainsAny(query, " \t") {
		return strings.EqualFold(u.Email, query)
	}
	hay := strings.ToLower(u.Name + " " + u.Email)
	for _, w := range strings.Fields(strings.ToLower(query)) {
		if !strings.Contains(hay, strings.Trim(w, `"`)) {
			return false
		}
	}
	return true
}

// parseIDs reads show_many's ids parameter: at most 100 decimal ids.
func parseIDs(c *call) ([]int64, error) {
	raw := c.r.URL.Query().Get("ids")
	if raw == "" {
		return nil, errBadRequest("ParameterMissing", "param is missing or the value is empty: ids")
	}
	parts := strings.Split(raw, ",")
	if len(parts) > 100 {
		return nil, errBadRequest("InvalidValue", "ids: at most 100 ids are allowed")
	}
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil || id <= 0 {
			return nil, errBadRequest("InvalidValue", "ids: "+strconv.Quote(p)+" is not an id")
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
