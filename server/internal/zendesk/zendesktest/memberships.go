package zendesktest

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Group mirrors Zendesk's group JSON.
type Group struct {
	ID          int64     `json:"id"`
	URL         string    `json:"url"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Default     bool      `json:"default"`
	Deleted     bool      `json:"deleted"`
	IsPublic    bool      `json:"is_public"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// membership links a user to a group or an organization.
type membership struct {
	id, userID, targetID int64
	isDefault            bool
	created              time.Time
}

// memberships holds an account's groups and who belongs to what. A user's
// organization_id is their default organization membership; others are
// added with AddOrganizationMembership.
type memberships struct {
	nextID int64
	groups map[int64]*Group
	inGrp  []membership
	inOrg  []membership
}

// membersLocked returns the account's memberships. Callers hold a.mu.
func (a *Account) membersLocked() *memberships {
	if a.members == nil {
		a.members = &memberships{nextID: 30000000, groups: map[int64]*Group{}}
	}
	return a.members
}

// AddGroup stores a public group and returns it with its id, url and
// timestamps. The account's first group is its default group.
func (a *Account) AddGroup(name string) Group {
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.membersLocked()
	m.nextID++
	now := a.now().Truncate(time.Second)
	g := Group{ID: m.nextID, URL: fmt.Sprintf("%s/api/v2/groups/%d.json", a.base, m.nextID), Name: name, IsPublic: true, CreatedAt: now, UpdatedAt: now}
	g.Default = len(m.groups) == 0
	m.groups[g.ID] = &g
	return g
}

// AddGroupMembership puts an agent or admin in a group. Zendesk keeps
// groups for team members only, so an end-user, an unknown user or group,
// or a repeated membership panics: it is a mistake in the calling test.
func (a *Account) AddGroupMembership(userID, groupID int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.membersLocked()
	u := a.users[userID]
	if u == nil || u.Role == RoleEndUser || m.groups[groupID] == nil {
		panic(fmt.Sprintf("zendesktest: AddGroupMembership: user %d (an agent or admin) or group %d unknown", userID, groupID))
	}
	for _, gm := range m.inGrp {
		if gm.userID == userID && gm.targetID == groupID {
			panic(fmt.Sprintf("zendesktest: AddGroupMembership: user %d is already in group %d", userID, groupID))
		}
	}
	m.nextID++
	first := !slices.ContainsFunc(m.inGrp, func(gm membership) bool { return gm.userID == userID })
	m.inGrp = append(m.inGrp, membership{id: m.nextID, userID: userID, targetID: groupID, isDefault: first, created: a.now().Truncate(time.Second)})
}

// AddOrganizationMembership adds an organization to a user besides their
// default one (organization_id), as accounts with multiple organizations
// allow. An unknown user or organization panics.
func (a *Account) AddOrganizationMembership(userID, orgID int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	m := a.membersLocked()
	u := a.users[userID]
	if u == nil || a.orgs[orgID] == nil {
		panic(fmt.Sprintf("zendesktest: AddOrganizationMembership: user %d or organization %d unknown", userID, orgID))
	}
	if u.OrganizationID == orgID || slices.ContainsFunc(m.inOrg, func(om membership) bool { return om.userID == userID && om.targetID == orgID }) {
		return
	}
	m.nextID++
	m.inOrg = append(m.inOrg, membership{id: m.nextID, userID: userID, targetID: orgID, created: a.now().Truncate(time.Second)})
}

// SetTicketRestriction changes which tickets a user may access: for
// agents "", "groups", "organization", "assigned" or "requested" (the
// API documents every value without tying it to a role); for end-users
// "requested" or "organization". Admins have no restriction.
func (a *Account) SetTicketRestriction(userID int64, restriction string) error {
	a.mu.Lock()
	u := a.users[userID]
	a.mu.Unlock()
	if u == nil {
		return fmt.Errorf("zendesktest: setting ticket restriction of user %d: not found", userID)
	}
	r, err := restrictionFor(u.Role, restriction)
	if err != nil {
		return fmt.Errorf("zendesktest: setting ticket restriction of user %d: %w", userID, err)
	}
	return a.changeUser(userID, func(u *User) { u.TicketRestriction = r })
}

// restrictionFor checks a ticket restriction against the role, filling
// Zendesk's default: end-users see the tickets they requested; team
// members are unrestricted.
func restrictionFor(role, r string) (string, error) {
	ok := false
	switch role {
	case RoleEndUser:
		if r == "" {
			r = "requested"
		}
		ok = r == "requested" || r == "organization"
	case RoleAgent:
		ok = r == "" || r == "groups" || r == "organization" || r == "assigned" || r == "requested"
	case RoleAdmin:
		ok = r == ""
	}
	if !ok {
		return "", fmt.Errorf("ticket restriction %q is not valid for an %s", r, role)
	}
	return r, nil
}

// handleUserGroupMemberships serves GET
// /api/v2/users/{user_id}/group_memberships.json, offset-paginated.
func handleUserGroupMemberships(c *call) error {
	p, err := parseOffset(c.r.URL.Query())
	if err != nil {
		return err
	}
	a, uid := c.a, c.id("user_id")
	a.mu.Lock()
	if a.users[uid] == nil {
		a.mu.Unlock()
		return errNotFound()
	}
	out := []map[string]any{}
	for _, gm := range a.membersLocked().inGrp {
		if gm.userID == uid {
			out = append(out, map[string]any{
				"id": gm.id, "url": fmt.Sprintf("%s/api/v2/group_memberships/%d.json", a.base, gm.id),
				"user_id": gm.userID, "group_id": gm.targetID, "default": gm.isDefault,
				"created_at": stamp(gm.created), "updated_at": stamp(gm.created),
			})
		}
	}
	a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "group_memberships", len(out), pageOf(p, out)))
	return nil
}

// handleUserOrgMemberships serves GET
// /api/v2/users/{user_id}/organization_memberships.json: the default
// organization first, then the others, offset-paginated.
func handleUserOrgMemberships(c *call) error {
	p, err := parseOffset(c.r.URL.Query())
	if err != nil {
		return err
	}
	a, uid := c.a, c.id("user_id")
	a.mu.Lock()
	u := a.users[uid]
	if u == nil {
		a.mu.Unlock()
		return errNotFound()
	}
	m := a.membersLocked()
	list := slices.DeleteFunc(slices.Clone(m.inOrg), func(om membership) bool { return om.userID != uid })
	if u.OrganizationID != 0 {
		// The default membership's id is derived from the user's, so it
		// stays the same from one call to the next.
		list = append([]membership{{id: 40000000 + u.ID, userID: uid, targetID: u.OrganizationID, isDefault: true, created: u.CreatedAt}}, list...)
	}
	out := []map[string]any{}
	for _, om := range list {
		name := ""
		if o := a.orgs[om.targetID]; o != nil {
			name = o.Name
		}
		out = append(out, map[string]any{
			"id": om.id, "url": fmt.Sprintf("%s/api/v2/organization_memberships/%d.json", a.base, om.id),
			"user_id": om.userID, "organization_id": om.targetID, "organization_name": name,
			"default": optTrue(om.isDefault), "view_tickets": u.TicketRestriction == "organization",
			"created_at": stamp(om.created), "updated_at": stamp(om.created),
		})
	}
	a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "organization_memberships", len(out), pageOf(p, out)))
	return nil
}

// optTrue renders a flag Zendesk sends as true or null.
func optTrue(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}
