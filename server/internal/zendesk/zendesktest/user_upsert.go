package zendesktest

import (
	"net/http"
	"slices"
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
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	u, created, err := a.upsertUser(f, c.who.user)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(c.w, status, map[string]any{"user": *u})
	return nil
}

// upsertUser creates or updates the user a body describes, as
// create_or_update and create_or_update_many do: matched by external_id,
// then by any of its email identities, primary or secondary. Callers
// hold a.mu.
func (a *Account) upsertUser(f *fields, caller User) (*User, bool, error) {
	var u *User
	if ext := f.peek("external_id"); ext != "" {
		u = a.userByExternalID(ext)
	}
	if email := f.peek("email"); u == nil && email != "" {
		u = a.userByEmail(email)
	}
	return a.writeUser(f, u, caller)
}

// writeUser applies a body to u, or creates a user when u is nil. An
// existing user's primary email and phone stay: a new email or phone
// becomes another identity, as Zendesk documents for updates. Only admins
// may grant agent or admin roles or change team members. Callers hold
// a.mu.
func (a *Account) writeUser(f *fields, u *User, caller User) (*User, bool, error) {
	email, _ := f.str("email", "Email")
	ext, hasExt := f.str("external_id", "External")
	name, hasName := f.str("name", "Name")
	role, hasRole := f.str("role", "Role")
	orgID, hasOrg := f.id("organization_id", "Organization")
	phone, hasPhone := f.str("phone", "Phone")
	notes, hasNotes := f.str("notes", "Notes")
	details, hasDetails := f.str("details", "Details")
	tags, hasTags := f.strs("tags", "Tags")
	if email != "" && !looksLikeEmail(email) {
		f.bad("email", "Email: "+email+" is not properly formatted")
	}
	if hasPhone && phone != "" && !looksLikePhone(phone) {
		f.bad("phone", "Phone: "+phone+" is not a valid phone number")
	}
	if hasRole && !validRole(role) {
		f.bad("role", "Role: is invalid")
	}
	if hasRole && role != RoleEndUser && caller.Role != RoleAdmin {
		return nil, false, errForbidden()
	}
	if hasOrg && orgID != 0 && a.orgs[orgID] == nil {
		f.bad("organization_id", "Organization: is invalid")
	}
	if email != "" {
		// The email becomes an identity of this user, so it cannot
		// belong to another one.
		if other := a.userByEmail(email); other != nil && other != u {
			f.bad("email", "Email: "+email+" is already being used by another user")
		}
	}
	if hasExt && ext != "" {
		if other := a.userByExternalID(ext); other != nil && other != u {
			f.badCode("external_id", "External: "+ext+" has already been taken", "DuplicateValue")
		}
	}
	if u != nil && u.Role != RoleEndUser && caller.Role != RoleAdmin {
		return nil, false, errForbidden() // agents may not change team members
	}
	created := u == nil
	if created && strings.TrimSpace(name) == "" {
		f.bad("name", "Name: cannot be blank")
	}
	var cur map[string]any
	if u != nil {
		cur = u.UserFields
	}
	userFields := f.fieldValues("user_fields", a.userFields, cur)
	if err := f.err(); err != nil {
		return nil, false, err
	}
	now := a.now().Truncate(time.Second)
	if created {
		u = &User{Role: RoleEndUser, Active: true, CreatedAt: now}
		u.ID = a.claimID(0, &a.nextUser, func(id int64) bool { return a.users[id] != nil })
		u.URL = a.userURL(u.ID)
		a.users[u.ID] = u
	}
	switch {
	case u.Email == "":
		u.Email = email
	case email != "" && !u.hasEmail(email):
		u.OtherEmails = append(slices.Clone(u.OtherEmails), email)
	}
	if hasName && strings.TrimSpace(name) != "" {
		u.Name = name
	}
	if hasExt {
		u.ExternalID = ext
	}
	a.indexUser(u)
	if hasRole {
		u.Role = role
	}
	if hasOrg {
		u.OrganizationID = orgID
	}
	if hasPhone {
		u.addPhone(phone)
	}
	if hasNotes {
		u.Notes = notes
	}
	if hasDetails {
		u.Details = details
	}
	if hasTags {
		u.Tags = normalizeTags(tags) // Zendesk replaces the whole list
	}
	if userFields != nil {
		u.UserFields = userFields
	}
	u.UpdatedAt = now
	return u, created, nil
}

// addPhone writes a phone as Zendesk documents it: the primary phone of
// a user who has none, else another phone identity; the primary number
// stays. An empty phone clears the primary one.
func (u *User) addPhone(phone string) {
	switch {
	case phone == "" || u.Phone == "":
		u.Phone = phone
	case u.Phone != phone && !slices.Contains(u.OtherPhones, phone):
		u.OtherPhones = append(slices.Clone(u.OtherPhones), phone)
	}
}

func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t<>")
}

// looksLikePhone accepts a number written with digits, spaces, dashes,
// dots and parentheses, an optional leading +, and 7 to 15 digits.
func looksLikePhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case strings.ContainsRune(" -.()", r):
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}
