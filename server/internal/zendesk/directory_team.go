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
	// done is closed once the team is read, err saying how that went:
	// until then, other callers for the account wait for this one read
	// rather than each reading the whole team again.
	done chan struct{}
	err  error
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
	if t := d.teams[sub]; t != nil {
		select {
		case <-t.done:
			if d.c.now().Sub(t.read) < d.o.CacheTTL {
				d.mu.Unlock()
				return t, nil
			}
		default:
			d.mu.Unlock()
			return t.wait(ctx)
		}
	}
	t := &team{done: make(chan struct{})}
	d.teams[sub] = t
	d.mu.Unlock()
	byEmail, err := d.readTeam(ctx, sub, cred)
	d.mu.Lock()
	t.read, t.byEmail, t.err = d.c.now(), byEmail, err
	if err != nil {
		delete(d.teams, sub) // the next caller reads it again
	}
	d.mu.Unlock()
	close(t.done)
	return t.wait(ctx)
}

// wait returns the team once its read is done.
func (t *team) wait(ctx context.Context) (*team, error) {
	select {
	case <-t.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if t.err != nil {
		return nil, t.err
	}
	return t, nil
}

// readTeam reads the account's agents and admins by each of their email
// identities.
func (d *Directory) readTeam(ctx context.Context, sub string, cred Credentials) (map[string]dirUser, error) {
	members, err := listAll[dirUser](ctx, d, sub, cred, teamPath, "users")
	if err != nil {
		return nil, err
	}
	byEmail := make(map[string]dirUser, len(members))
	for _, u := range members {
		if !u.teamMember() {
			continue
		}
		if u.Email != "" {
			byEmail[lower(u.Email)] = u
		}
		ids, err := listAll[identity](ctx, d, sub, cred, fmt.Sprintf("/api/v2/users/%d/identities.json", u.ID), "identities")
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if id.Type == "email" && id.Value != "" {
				byEmail[lower(id.Value)] = u
			}
		}
	}
	return byEmail, nil
}
