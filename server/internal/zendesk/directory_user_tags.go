package zendesk

import (
	"context"
	"net/http"
	"slices"
)

// tagNewUsers adds the tags of users that were not found by external id,
// once they exist: a created user's are written as they are; a user
// Zendesk matched by email keeps the tags it had. One show_many call
// reads the matched users' tags, one users/update_many job writes them.
func (d *Directory) tagNewUsers(ctx context.Context, sub string, cred Credentials, res *results, newTags map[int][]string) error {
	var at []int
	var matched []int64
	for i := range newTags {
		switch res.res[i].Status {
		case statusCreated:
			at = append(at, i)
		case statusUpdated:
			at, matched = append(at, i), append(matched, res.res[i].ZendeskID)
		}
	}
	if len(at) == 0 {
		return nil
	}
	slices.Sort(at)
	cur, err := d.usersByID(ctx, sub, cred, matched)
	if err != nil {
		return dirError("read the tags of users matched by email", err)
	}
	var body []map[string]any
	var bodyAt []int
	for _, i := range at {
		id := res.res[i].ZendeskID
		u := cur[id]
		if u.teamMember() {
			continue // matched through an email the team list did not show; leave it be
		}
		if tags, grew := addTags(u.Tags, newTags[i]); grew {
			body, bodyAt = append(body, map[string]any{"id": id, "tags": tags}), append(bodyAt, i)
		}
	}
	if len(body) == 0 {
		return nil
	}
	out, err := d.write(ctx, sub, cred, http.MethodPut, "/api/v2/users/update_many.json", map[string]any{"users": body}, len(body))
	if err != nil {
		return dirError("add the tags of new users", err)
	}
	for n, jr := range out {
		if !jr.Success {
			res.set(bodyAt[n], statusFailed, res.res[bodyAt[n]].ZendeskID, "Zendesk wrote the user but refused its tags: "+jr.message())
		}
	}
	return nil
}
