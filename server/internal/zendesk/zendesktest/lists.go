package zendesktest

import (
	"net/http"
	"slices"
)

// handleListUsers serves GET /api/v2/users.json: active users by id,
// filtered by role= or role[]= (several roles), with cursor pagination
// (page[size] up to 100, page[after], page[before]) or, without page[...]
// parameters, offset pagination.
func handleListUsers(c *call) error {
	q := c.r.URL.Query()
	roles := q["role[]"]
	if r := q.Get("role"); r != "" {
		roles = append(roles, r)
	}
	for _, r := range roles {
		if !validRole(r) {
			return errBadRequest("InvalidValue", "role: "+r+" is not a valid role")
		}
	}
	c.a.mu.Lock()
	all := slices.DeleteFunc(c.a.sortedUsers(), func(u User) bool {
		return !u.Active || (len(roles) > 0 && !slices.Contains(roles, u.Role))
	})
	c.a.mu.Unlock()
	return writeList(c, "users", all, func(u User) int64 { return u.ID })
}

// handleListOrgs serves GET /api/v2/organizations.json: every
// organization by id, cursor- or offset-paginated as users are.
func handleListOrgs(c *call) error {
	c.a.mu.Lock()
	all := c.a.sortedOrgs()
	c.a.mu.Unlock()
	return writeList(c, "organizations", all, func(o Organization) int64 { return o.ID })
}

// writeList answers a list sorted by id: cursor pagination when the
// request has a page[...] parameter, else offset pagination.
func writeList[T any](c *call, key string, all []T, id func(T) int64) error {
	q := c.r.URL.Query()
	if q.Get("page[size]") == "" && q.Get("page[after]") == "" && q.Get("page[before]") == "" {
		p, err := parseOffset(q)
		if err != nil {
			return err
		}
		writeJSON(c.w, http.StatusOK, offsetBody(c, p, key, len(all), pageOf(p, all)))
		return nil
	}
	body, page, err := keyPage(c, key, all, func(t T) string { return idKey(id(t)) }, false, 100)
	if err != nil {
		return err
	}
	body[key] = page
	writeJSON(c.w, http.StatusOK, body)
	return nil
}
