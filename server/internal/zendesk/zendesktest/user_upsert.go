package zendesktest

import (
	"net/http"
	"strings"
	"time"
)

// handleCreateOrUpdateUser serves POST /api/v2/users/create_or_update.json.
// The user is matched by external_id, then by email; 201 on create, 200 on
// update. The primary email of an existing user does not change (Zendesk
// adds a secondary identity instead). Only admins may grant agent or admin
// roles.
func handleCreateOrUpdateUser(c *call) error {
	f, err := readObject(c, "user")
	if err != nil {
		return err
	}
	email, _ := f.str("email", "Email")
	ext, hasExt := f.str("external_id", "External")
	name, hasName := f.str("name", "Name")
	role, hasRole := f.str("role", "Role")
	orgID, hasOrg := f.id("organization_id", "Organization")
	if email != "" && !looksLikeEmail(email) {
		f.bad("email", "Email: "+email+" is not properly formatted")
	}
	if hasRole && !validRole(role) {
		f.bad("role", "Role: is invalid")
	}
	if hasRole && role != RoleEndUser && c.who.user.Role != RoleAdmin {
		return errForbidden()
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	if hasOrg && orgID != 0 && a.orgs[orgID] == nil {
		f.bad("organization_id", "Organization: is invalid")
	}
	var u *User
	if ext != "" {
		u = a.userByExternalID(ext)
	}
	if u == nil && email != "" {
		u = a.userByEmail(email)
	}
	if u != nil && email != "" {
		// Matched by external id, the email becomes an identity of this
		// user, so it cannot belong to another one.
		if other := a.userByEmail(email); other != nil && other != u {
			f.bad("email", "Email: "+email+" is already being used by another user")
		}
	}
	created := u == nil
	if created && strings.TrimSpace(name) == "" {
		f.bad("name", "Name: cannot be blank")
	}
	if err := f.err(); err != nil {
		return err
	}
	now := a.now().Truncate(time.Second)
	if created {
		u = &User{Role: RoleEndUser, Active: true, CreatedAt: now}
		u.ID = a.claimID(0, &a.nextUser, func(id int64) bool { return a.users[id] != nil })
		u.URL = a.userURL(u.ID)
		a.users[u.ID] = u
	}
	if u.Email == "" {
		u.Email = email
	}
	if hasName && strings.TrimSpace(name) != "" {
		u.Name = name
	}
	if hasExt {
		u.ExternalID = ext
	}
	if hasRole {
		u.Role = role
	}
	if hasOrg {
		u.OrganizationID = orgID
	}
	u.UpdatedAt = now
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(c.w, status, map[string]any{"user": *u})
	return nil
}

// userByExternalID finds a user by external id, ignoring case. Callers
// hold a.mu.
func (a *Account) userByExternalID(ext string) *User {
	for _, u := range a.users {
		if u.ExternalID != "" && strings.EqualFold(u.ExternalID, ext) {
			return u
		}
	}
	return nil
}

func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>")
}
