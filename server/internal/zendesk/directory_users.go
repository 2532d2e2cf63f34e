package zendesk

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// UpsertUsers creates or updates up to 100 end users through one
// users/create_or_update_many job, which finds each by external id, then
// by email. First it reads the users with these external ids (one
// show_many call) and, for the others that have an email, the account's
// agents and admins (a list cached for CacheTTL): a record that would
// reach a team member is skipped with the reason, never written. A
// record whose Match leaves out "email" goes to users/create_many, which
// matches nothing. Emails and phones are sent as they are (Zendesk adds
// them to an existing user as identities, keeping the primary ones);
// tags are merged with the user's, so none is removed. A user already as
// wanted is "unchanged" and not written.
func (d *Directory) UpsertUsers(ctx context.Context, t crossview.Tenant, users []crossview.UserWrite) ([]crossview.WriteResult, error) {
	if err := checkBatch(len(users)); err != nil {
		return nil, err
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	keys := make([]string, len(users))
	orgKeys := make([]string, 0, len(users))
	for i, u := range users {
		keys[i] = u.ExternalID
		if u.OrgExternalID != "" {
			orgKeys = append(orgKeys, u.OrgExternalID)
		}
	}
	res := newResults(keys)
	found, err := d.usersByExternalID(ctx, sub, cred, keys)
	if err != nil {
		return nil, dirError("look up users by external id", err)
	}
	orgs, err := d.orgsByExternalID(ctx, sub, cred, orgKeys)
	if err != nil {
		return nil, dirError("look up the users' organizations", err)
	}
	var tm *team
	var upserts, creates []map[string]any
	var upsertAt, createAt []int
	notes := map[int]string{}     // said of a record that was written
	newTags := map[int][]string{} // tags for a user not found by external id, added once it exists
	for i, w := range users {
		if !res.todo(i) {
			continue
		}
		orgID, note := userOrg(w, orgs)
		if cur, ok := found[lower(w.ExternalID)]; ok {
			if cur.teamMember() {
				res.set(i, statusSkipped, cur.ID, fmt.Sprintf("The Zendesk user with this external id is an %s; Crossview never changes agents or admins.", cur.Role))
				continue
			}
			body := userUpdate(cur, w, orgID)
			if body == nil {
				res.set(i, statusUnchanged, cur.ID, note)
				continue
			}
			upserts, upsertAt, notes[i] = append(upserts, body), append(upsertAt, i), note
			continue
		}
		if email := lower(w.Email); email != "" {
			if tm == nil {
				if tm, err = d.teamFor(ctx, sub, cred); err != nil {
					return nil, dirError("read the account's agents and admins", err)
				}
			}
			if m, ok := tm.byEmail[email]; ok {
				res.set(i, statusSkipped, 0, fmt.Sprintf("%s belongs to Zendesk %s %d; Crossview never changes agents or admins.", w.Email, m.Role, m.ID))
				continue
			}
		}
		if tags, _ := addTags(nil, w.Tags); len(tags) > 0 {
			newTags[i] = tags
		}
		notes[i] = note
		if w.Email == "" || slices.Contains(w.Match, "email") {
			upserts, upsertAt = append(upserts, userNew(w, orgID)), append(upsertAt, i)
		} else {
			creates, createAt = append(creates, userNew(w, orgID)), append(createAt, i)
		}
	}
	if err := d.writeUsers(ctx, sub, cred, res, upserts, upsertAt, creates, createAt); err != nil {
		return nil, err
	}
	if err := d.tagNewUsers(ctx, sub, cred, res, newTags); err != nil {
		return nil, err
	}
	for i, note := range notes {
		if s := res.res[i].Status; note != "" && (s == statusCreated || s == statusUpdated) {
			res.res[i].Error = note
		}
	}
	return res.done(), nil
}

// writeUsers runs the create_or_update_many and create_many jobs and
// records each record's result.
func (d *Directory) writeUsers(ctx context.Context, sub string, cred Credentials, res *results, upserts []map[string]any, upsertAt []int, creates []map[string]any, createAt []int) error {
	type part struct {
		path  string
		body  []map[string]any
		at    []int
		jobID string
	}
	parts := []*part{{path: "/api/v2/users/create_or_update_many.json", body: upserts, at: upsertAt},
		{path: "/api/v2/users/create_many.json", body: creates, at: createAt}}
	var ids []string
	for _, p := range parts {
		if len(p.body) == 0 {
			continue
		}
		id, err := d.submit(ctx, sub, cred, http.MethodPost, p.path, map[string]any{"users": p.body})
		if err != nil {
			return dirError("write users", err)
		}
		p.jobID, ids = id, append(ids, id)
	}
	if len(ids) == 0 {
		return nil
	}
	jobs, err := d.await(ctx, sub, cred, ids)
	if err != nil {
		return dirError("wait for Zendesk's user jobs", err)
	}
	for _, p := range parts {
		if p.jobID != "" {
			for n, jr := range outcomes(jobs[p.jobID], len(p.body)) {
				res.job(p.at[n], jr)
			}
		}
	}
	return nil
}

// userOrg resolves a user's organization by its external id; the note
// says when Zendesk has none yet, so the user is written without it.
func userOrg(w crossview.UserWrite, orgs map[string]dirOrg) (int64, string) {
	if w.OrgExternalID == "" {
		return 0, ""
	}
	if o, ok := orgs[lower(w.OrgExternalID)]; ok {
		return o.ID, ""
	}
	return 0, fmt.Sprintf("Zendesk has no organization with external id %s yet, so the user was written without it.", w.OrgExternalID)
}

// userNew is the body of a user not found by external id. Its tags wait
// until Zendesk says whether it matched an existing user by email, whose
// tags must be kept.
func userNew(w crossview.UserWrite, orgID int64) map[string]any {
	body := map[string]any{"external_id": w.ExternalID}
	for k, v := range map[string]string{"name": w.Name, "email": w.Email, "phone": w.Phone} {
		if v = strings.TrimSpace(v); v != "" {
			body[k] = v
		}
	}
	if w.Notes != nil {
		body["notes"] = *w.Notes
	}
	if w.Details != nil {
		body["details"] = *w.Details
	}
	if len(w.Fields) > 0 {
		body["user_fields"] = w.Fields
	}
	if orgID != 0 {
		body["organization_id"] = orgID
	}
	return body
}

// userUpdate is the create_or_update_many body that brings cur to w, nil
// when cur is already as wanted. A changed organization replaces the
// user's default one (Zendesk then drops the user's other memberships,
// which the membership sync adds back).
func userUpdate(cur dirUser, w crossview.UserWrite, orgID int64) map[string]any {
	body := map[string]any{}
	if name := strings.TrimSpace(w.Name); name != "" && name != cur.Name {
		body["name"] = name
	}
	if email := strings.TrimSpace(w.Email); email != "" && !strings.EqualFold(email, cur.Email) {
		body["email"] = email // Zendesk adds it as an identity
	}
	if phone := strings.TrimSpace(w.Phone); phone != "" && !samePhone(phone, cur.Phone) {
		body["phone"] = phone // Zendesk adds it beside the primary phone
	}
	if ts, grew := addTags(cur.Tags, w.Tags); grew {
		body["tags"] = ts
	}
	if w.Notes != nil && *w.Notes != cur.Notes {
		body["notes"] = *w.Notes
	}
	if w.Details != nil && *w.Details != cur.Details {
		body["details"] = *w.Details
	}
	if f := changedFields(cur.UserFields, w.Fields); f != nil {
		body["user_fields"] = f
	}
	if orgID != 0 && orgID != cur.OrganizationID {
		body["organization_id"] = orgID
	}
	if len(body) == 0 {
		return nil
	}
	body["external_id"] = w.ExternalID
	return body
}

// samePhone compares two phone numbers by their digits, so a number
// Zendesk stores in another format ("+1 555-0100" for "(555) 0100" with
// the country code) is not sent again on every sync.
func samePhone(a, b string) bool {
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	da, db := digits(a), digits(b)
	if len(da) < len(db) {
		da, db = db, da
	}
	return db != "" && (da == db || (len(db) >= 7 && len(da)-len(db) <= 3 && strings.HasSuffix(da, db)))
}
