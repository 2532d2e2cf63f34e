package zendesk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// pairs resolves memberships' users and organizations by external id, two
// show_many calls for up to 100, and keys each membership by its pair so
// a repeat in the batch is written once. A membership whose user or
// organization Zendesk lacks, or whose user is a team member, gets its
// outcome here (missing is that outcome's status).
func (d *Directory) pairs(ctx context.Context, sub string, cred Credentials, ms []crossview.Membership, missing string) (*results, map[string]dirUser, map[string]dirOrg, error) {
	keys := make([]string, len(ms))
	var userKeys, orgKeys []string
	for i, m := range ms {
		keys[i] = m.UserExternalID + "\x00" + m.OrgExternalID
		if m.UserExternalID == "" || m.OrgExternalID == "" {
			keys[i] = ""
		}
		userKeys, orgKeys = append(userKeys, m.UserExternalID), append(orgKeys, m.OrgExternalID)
	}
	res := newResults(keys)
	users, err := d.usersByExternalID(ctx, sub, cred, userKeys)
	if err != nil {
		return nil, nil, nil, dirError("look up users by external id", err)
	}
	orgs, err := d.orgsByExternalID(ctx, sub, cred, orgKeys)
	if err != nil {
		return nil, nil, nil, dirError("look up organizations by external id", err)
	}
	for i, m := range ms {
		res.res[i].ExternalID = m.UserExternalID // results name the user
		if !res.todo(i) {
			continue
		}
		u, uok := users[lower(m.UserExternalID)]
		_, ook := orgs[lower(m.OrgExternalID)]
		switch {
		case !uok:
			res.set(i, missing, 0, "Zendesk has no user with external id "+m.UserExternalID+".")
		case !ook:
			res.set(i, missing, 0, "Zendesk has no organization with external id "+m.OrgExternalID+".")
		case u.teamMember():
			res.set(i, statusSkipped, u.ID, fmt.Sprintf("The Zendesk user is an %s; Crossview never changes agents or admins.", u.Role))
		}
	}
	return res, users, orgs, nil
}

// AddMemberships puts users in organizations, both by external id, with
// one organization_memberships/create_many job. A user's first
// organization becomes its default one. A membership that exists is
// "unchanged"; a user or organization Zendesk lacks fails the record.
func (d *Directory) AddMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error) {
	if err := checkBatch(len(ms)); err != nil {
		return nil, err
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	res, users, orgs, err := d.pairs(ctx, sub, cred, ms, statusFailed)
	if err != nil {
		return nil, err
	}
	var body []map[string]any
	var at []int
	for i, m := range ms {
		if !res.todo(i) {
			continue
		}
		u, o := users[lower(m.UserExternalID)], orgs[lower(m.OrgExternalID)]
		if u.OrganizationID == o.ID {
			res.set(i, statusUnchanged, 0, "")
			continue
		}
		body, at = append(body, map[string]any{"user_id": u.ID, "organization_id": o.ID}), append(at, i)
	}
	if len(body) > 0 {
		out, err := d.write(ctx, sub, cred, http.MethodPost, "/api/v2/organization_memberships/create_many.json",
			map[string]any{"organization_memberships": body}, len(body))
		if err != nil {
			return nil, dirError("add organization memberships", err)
		}
		for n, jr := range out {
			if !jr.Success && strings.Contains(jr.message(), "already been taken") {
				res.set(at[n], statusUnchanged, 0, "") // the membership exists
				continue
			}
			jr.Action = "create"
			res.job(at[n], jr)
		}
	}
	return res.done(), nil
}

// RemoveMemberships takes users out of organizations, both by external
// id: it reads each user's memberships (one call per user) and removes
// the matching ones with one organization_memberships/destroy_many job.
// A membership that does not exist, or whose user or organization
// Zendesk lacks, is "unchanged"; a removed one "updated".
func (d *Directory) RemoveMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error) {
	if err := checkBatch(len(ms)); err != nil {
		return nil, err
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	res, users, orgs, err := d.pairs(ctx, sub, cred, ms, statusUnchanged)
	if err != nil {
		return nil, err
	}
	held := map[int64][]membershipWire{} // user id → memberships
	var ids []string
	var at []int
	for i, m := range ms {
		if !res.todo(i) {
			continue
		}
		u, o := users[lower(m.UserExternalID)], orgs[lower(m.OrgExternalID)]
		list, ok := held[u.ID]
		if !ok {
			path := "/api/v2/users/" + strconv.FormatInt(u.ID, 10) + "/organization_memberships.json"
			if list, err = listAll[membershipWire](ctx, d, sub, cred, path, "organization_memberships"); err != nil {
				return nil, dirError("read a user's organization memberships", err)
			}
			held[u.ID] = list
		}
		id := int64(0)
		for _, om := range list {
			if om.OrganizationID == o.ID {
				id = om.ID
			}
		}
		if id == 0 {
			res.set(i, statusUnchanged, 0, "")
			continue
		}
		ids, at = append(ids, strconv.FormatInt(id, 10)), append(at, i)
	}
	if len(ids) > 0 {
		q := url.Values{"ids": {strings.Join(ids, ",")}}
		out, err := d.write(ctx, sub, cred, http.MethodDelete, "/api/v2/organization_memberships/destroy_many.json?"+q.Encode(), nil, len(ids))
		if err != nil {
			return nil, dirError("remove organization memberships", err)
		}
		for n, jr := range out {
			switch {
			case jr.Success:
				res.set(at[n], statusUpdated, int64(jr.ID), "")
			case jr.Error == "RecordNotFound":
				res.set(at[n], statusUnchanged, 0, "") // gone already
			default:
				res.fail(at[n], jr.message())
			}
		}
	}
	return res.done(), nil
}

// membershipWire is an organization membership.
type membershipWire struct {
	ID             int64 `json:"id"`
	UserID         int64 `json:"user_id"`
	OrganizationID int64 `json:"organization_id"`
}
