package zendesktest

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// addOrgMembership puts a user in an organization. A user without an
// organization gets it as their default (organization_id); otherwise it is
// an additional membership. It returns the membership's id. Callers hold
// a.mu.
func (a *Account) addOrgMembership(f *fields) (int64, error) {
	userID, _ := f.id("user_id", "User")
	orgID, _ := f.id("organization_id", "Organization")
	u, o := a.users[userID], a.orgs[orgID]
	if u == nil {
		f.bad("user_id", "User: cannot be blank")
	}
	if o == nil {
		f.bad("organization_id", "Organization: cannot be blank")
	}
	if err := f.err(); err != nil {
		return 0, err
	}
	m := a.membersLocked()
	if u.OrganizationID == orgID || slices.ContainsFunc(m.inOrg, func(om membership) bool { return om.userID == userID && om.targetID == orgID }) {
		return 0, errRecordInvalid(map[string][]fieldError{"user_id": {{Description: "User: has already been taken", Error: "DuplicateValue"}}})
	}
	if u.OrganizationID == 0 {
		u.OrganizationID = orgID
		u.UpdatedAt = a.now().Truncate(time.Second)
		return 40000000 + u.ID, nil // the default membership's id, as memberships.go lists it
	}
	m.nextID++
	m.inOrg = append(m.inOrg, membership{id: m.nextID, userID: userID, targetID: orgID, created: a.now().Truncate(time.Second)})
	return m.nextID, nil
}

// handleCreateOrgMembership serves POST
// /api/v2/organization_memberships.json: 201 with the membership.
func handleCreateOrgMembership(c *call) error {
	f, err := readObject(c, "organization_membership")
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	id, err := a.addOrgMembership(f)
	if err != nil {
		return err
	}
	uid, _ := f.id("user_id", "User")
	oid, _ := f.id("organization_id", "Organization")
	u := a.users[uid]
	writeJSON(c.w, http.StatusCreated, map[string]any{"organization_membership": map[string]any{
		"id": id, "url": fmt.Sprintf("%s/api/v2/organization_memberships/%d.json", a.base, id),
		"user_id": uid, "organization_id": oid, "organization_name": a.orgs[oid].Name,
		"default": optTrue(u.OrganizationID == oid), "view_tickets": u.TicketRestriction == "organization",
		"created_at": stamp(a.now()), "updated_at": stamp(a.now()),
	}})
	return nil
}

// handleCreateManyOrgMemberships serves POST
// /api/v2/organization_memberships/create_many.json: up to 100
// memberships, as a job.
func handleCreateManyOrgMemberships(c *call) error {
	items, err := readArray(c, "organization_memberships")
	if err != nil {
		return err
	}
	return c.startJob("bulk_create_organization_memberships", len(items), bulkJob(items, func(a *Account, f *fields) (int64, bool, error) {
		id, err := a.addOrgMembership(f)
		return id, true, err
	}))
}
