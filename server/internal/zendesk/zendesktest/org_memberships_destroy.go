package zendesktest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// handleDestroyManyOrgMemberships serves DELETE
// /api/v2/organization_memberships/destroy_many.json?ids=: up to 100
// memberships removed, as a job; an unknown id is a RecordNotFound
// result. Removing a user's default membership clears organization_id
// unless the user has others: then the oldest of them becomes the default
// (Zendesk does not document which one it picks).
func handleDestroyManyOrgMemberships(c *call) error {
	if _, err := parseIDs(c); err != nil {
		return err
	}
	// Results follow the order of the request (parseIDs sorts).
	var ids []int64
	for _, p := range strings.Split(c.r.URL.Query().Get("ids"), ",") {
		id, _ := strconv.ParseInt(strings.TrimSpace(p), 10, 64) // checked above
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return c.startJob("bulk_delete_organization_memberships", len(ids), func(a *Account) []map[string]any {
		results := make([]map[string]any, len(ids))
		for i, id := range ids {
			if !a.removeOrgMembership(id) {
				r := resultErr(i, errNotFound())
				r["id"] = id
				results[i] = r
				continue
			}
			results[i] = map[string]any{"id": id, "action": "delete", "status": "Deleted", "success": true}
		}
		return results
	})
}

// removeOrgMembership removes the membership with id, as memberships.go
// numbers them (a default membership is 40000000 + the user's id).
// Callers hold a.mu.
func (a *Account) removeOrgMembership(id int64) bool {
	m := a.membersLocked()
	now := a.now().Truncate(time.Second)
	if i := slices.IndexFunc(m.inOrg, func(om membership) bool { return om.id == id }); i >= 0 {
		m.inOrg = slices.Delete(m.inOrg, i, i+1)
		return true
	}
	u := a.users[id-40000000]
	if id <= 40000000 || u == nil || u.OrganizationID == 0 {
		return false
	}
	u.OrganizationID = 0
	if i := slices.IndexFunc(m.inOrg, func(om membership) bool { return om.userID == u.ID }); i >= 0 {
		u.OrganizationID = m.inOrg[i].targetID
		m.inOrg = slices.Delete(m.inOrg, i, i+1)
	}
	u.UpdatedAt = now
	return true
}
