package zendesk

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// showManyLimit is how many ids show_many takes in one call.
const showManyLimit = 100

// UserByEmail finds the user whose email is exactly email, ignoring case,
// through GET /api/v2/users/search.json?query=<email>; ok is false when
// there is none. Search may also answer near matches (a longer address
// that starts the same); only the exact address counts.
func (c *Client) UserByEmail(ctx context.Context, sub string, cred Credentials, email string) (u User, ok bool, err error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return User{}, false, nil
	}
	q := url.Values{"query": {email}}
	var r struct {
		Users []User `json:"users"`
	}
	if err := c.get(ctx, sub, &cred, "/api/v2/users/search.json?"+q.Encode(), &r); err != nil {
		return User{}, false, err
	}
	for _, u := range r.Users {
		if strings.EqualFold(u.Email, email) {
			return u, true, nil
		}
	}
	return User{}, false, nil
}

// UsersByID fetches users by id through GET
// /api/v2/users/show_many.json?ids=..., 100 ids a call. Users come back in
// the order of ids; unknown ids and repeats are left out.
func (c *Client) UsersByID(ctx context.Context, sub string, cred Credentials, ids []int64) ([]User, error) {
	var want []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	byID := make(map[int64]User, len(want))
	for batch := range slices.Chunk(want, showManyLimit) {
		parts := make([]string, len(batch))
		for i, id := range batch {
			parts[i] = strconv.FormatInt(id, 10)
		}
		q := url.Values{"ids": {strings.Join(parts, ",")}}
		var r struct {
			Users []User `json:"users"`
		}
		if err := c.get(ctx, sub, &cred, "/api/v2/users/show_many.json?"+q.Encode(), &r); err != nil {
			return nil, err
		}
		for _, u := range r.Users {
			byID[u.ID] = u
		}
	}
	out := make([]User, 0, len(byID))
	for _, id := range want {
		if u, ok := byID[id]; ok {
			out = append(out, u)
		}
	}
	return out, nil
}
