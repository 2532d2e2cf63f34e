package zendesk

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Tag adds a tag to up to 100 users or organizations (object "user" or
// "organization") by external id: what a Salesforce delete does when the
// settings say "tag". Zendesk documents additional_tags for tickets only
// (Update Many Tickets); for users and organizations it offers
// update_many, whose tags replace the list, or one Add Tags call per
// record. So Tag reads the records (one show_many call), and writes each
// one's tags plus the new one with one update_many job: two calls and the
// polls for 100 records instead of 100 calls. A tag added in Zendesk
// between the read and the write is lost, a window of seconds. A record
// that already has the tag is "unchanged"; one Zendesk lacks, or a team
// member, "skipped".
func (d *Directory) Tag(ctx context.Context, t crossview.Tenant, object string, externalIDs []string, tag string) ([]crossview.WriteResult, error) {
	if err := checkBatch(len(externalIDs)); err != nil {
		return nil, err
	}
	tag = normTag(tag)
	if tag == "" {
		return nil, crossview.Errorf(crossview.EINVALID, "The tag to add is empty.")
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	res := newResults(externalIDs)
	type record struct {
		id   int64
		tags []string
		team string // the role of a team member
	}
	var found map[string]record
	var path, key string
	switch strings.ToLower(object) {
	case "user", "users":
		users, err := d.usersByExternalID(ctx, sub, cred, externalIDs)
		if err != nil {
			return nil, dirError("look up users by external id", err)
		}
		found, path, key = map[string]record{}, "/api/v2/users/update_many.json", "users"
		for k, u := range users {
			r := record{id: u.ID, tags: u.Tags}
			if u.teamMember() {
				r.team = u.Role
			}
			found[k] = r
		}
	case "organization", "organizations":
		orgs, err := d.orgsByExternalID(ctx, sub, cred, externalIDs)
		if err != nil {
			return nil, dirError("look up organizations by external id", err)
		}
		found, path, key = map[string]record{}, "/api/v2/organizations/update_many.json", "organizations"
		for k, o := range orgs {
			found[k] = record{id: o.ID, tags: o.Tags}
		}
	default:
		return nil, crossview.Errorf(crossview.EINVALID, "Crossview tags Zendesk users or organizations, not %q.", object)
	}
	var body []map[string]any
	var at []int
	for i, ext := range externalIDs {
		if !res.todo(i) {
			continue
		}
		r, ok := found[lower(ext)]
		switch {
		case !ok:
			res.set(i, statusSkipped, 0, "Zendesk has no "+strings.TrimSuffix(key, "s")+" with external id "+ext+".")
			continue
		case r.team != "":
			res.set(i, statusSkipped, r.id, fmt.Sprintf("The Zendesk user is an %s; Crossview never changes agents or admins.", r.team))
			continue
		}
		tags, grew := addTags(r.tags, []string{tag})
		if !grew {
			res.set(i, statusUnchanged, r.id, "")
			continue
		}
		body, at = append(body, map[string]any{"id": r.id, "tags": tags}), append(at, i)
	}
	if len(body) > 0 {
		out, err := d.write(ctx, sub, cred, http.MethodPut, path, map[string]any{key: body}, len(body))
		if err != nil {
			return nil, dirError("tag "+key, err)
		}
		for n, jr := range out {
			jr.Action = "update"
			res.job(at[n], jr)
		}
	}
	return res.done(), nil
}
