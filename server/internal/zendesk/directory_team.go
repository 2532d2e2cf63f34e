package zendesk

import (
	"context"
	"fmt"
	"time"
)

// team is an account's agents and admins, by email and id, as read at
// one moment.
type team struct {
	read    time.Time
	byEmail map[string]dirUser
}

// teamPath lists the team members: every active agent and admin, 100 a
// page.
const teamPath = "/api/v2/users.json?role%5B%5D=agent&role%5B%5D=admin&page%5Bsize%5D=100"

// identity is one of a user's identities, as /users/{id}/identities lists
// them.
type identity struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// teamFor returns the account's agents and admins by each of their email
// identities, read again once CacheTTL has passed. It is how a record
// matched by email is kept away from a team member: Zendesk has no way to
// look many users up by email, and one search per email would cost a call
// per record, where this list costs one call per 100 team members, and one
// per team member for its identities (create_or_update_many matches a user
// by any email identity, and the user JSON shows the primary one only),
// per CacheTTL.
func (d *Directory) teamFor(ctx context.Context, sub string, cred Credentials) (*team, error) {
	d.mu.Lock()
	t := d.teams[sub]
	d.mu.Unlock()
	if t != nil && d.c.now().Sub(t.read) < d.o.CacheTTL {
		return t, nil
	}
	members, err := listAll[dirUser](ctx, d, sub, cred, teamPath, "users")
	if err != nil {
		return nil, err
	}
	t = &team{read: d.c.now(), byEmail: make(map[string]dirUser, len(members))}
	for _, u := range members {
		if !u.teamMember() {
			continue
		}
		if u.Email != "" {
			t.byEmail[lower(u.Email)] = u
		}
		ids, err := listAll[identity](ctx, d, sub, cred, fmt.Sprintf("/api/v2/users/%d/identities.json", u.ID), "identities")
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if id.Type == "email" && id.Value != "" {
				t.byEmail[lower(id.Value)] = u
			}
		}
	}
	d.mu.Lock()
	d.teams[sub] = t
	d.mu.Unlock()
	return t, nil
}
