package zendesk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// dirUser is a user as data sync reads it.
type dirUser struct {
	ID             int64          `json:"id"`
	Name           string         `json:"name"`
	Email          string         `json:"email"`
	Role           string         `json:"role"`
	OrganizationID int64          `json:"organization_id"`
	ExternalID     string         `json:"external_id"`
	Phone          string         `json:"phone"`
	Tags           []string       `json:"tags"`
	Notes          string         `json:"notes"`
	Details        string         `json:"details"`
	UserFields     map[string]any `json:"user_fields"`
}

// teamMember reports whether the user is an agent or admin.
func (u dirUser) teamMember() bool { return u.Role != "" && u.Role != "end-user" }

// dirOrg is an organization as data sync reads it.
type dirOrg struct {
	ID                 int64          `json:"id"`
	Name               string         `json:"name"`
	ExternalID         string         `json:"external_id"`
	DomainNames        []string       `json:"domain_names"`
	Tags               []string       `json:"tags"`
	Notes              string         `json:"notes"`
	Details            string         `json:"details"`
	OrganizationFields map[string]any `json:"organization_fields"`
}

// showMany reads records by key through a show_many endpoint (path),
// param ("ids" or "external_ids") 100 values a call; key is the answer's
// list. Values holding a comma cannot be asked for and are left out.
func showMany[T any](ctx context.Context, d *Directory, sub string, cred Credentials, path, param, key string, values []string) ([]T, error) {
	var want []string
	seen := map[string]bool{}
	for _, v := range values {
		if k := lower(v); k != "" && !strings.Contains(k, ",") && !seen[k] {
			seen[k] = true
			want = append(want, strings.TrimSpace(v))
		}
	}
	var out []T
	for batch := range slices.Chunk(want, maxBatch) {
		q := url.Values{param: {strings.Join(batch, ",")}}
		var r map[string]json.RawMessage
		if err := d.call(ctx, sub, cred, http.MethodGet, path+"?"+q.Encode(), nil, &r); err != nil {
			return nil, err
		}
		var items []T
		if err := json.Unmarshal(r[key], &items); len(r[key]) > 0 && err != nil {
			return nil, fmt.Errorf("zendesk: decoding %s: %w", path, err)
		}
		out = append(out, items...)
	}
	return out, nil
}

// usersByExternalID reads users by external id, keyed by lower(external id).
func (d *Directory) usersByExternalID(ctx context.Context, sub string, cred Credentials, exts []string) (map[string]dirUser, error) {
	us, err := showMany[dirUser](ctx, d, sub, cred, "/api/v2/users/show_many.json", "external_ids", "users", exts)
	out := make(map[string]dirUser, len(us))
	for _, u := range us {
		out[lower(u.ExternalID)] = u
	}
	return out, err
}

// usersByID reads users by id.
func (d *Directory) usersByID(ctx context.Context, sub string, cred Credentials, ids []int64) (map[int64]dirUser, error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = strconv.FormatInt(id, 10)
	}
	us, err := showMany[dirUser](ctx, d, sub, cred, "/api/v2/users/show_many.json", "ids", "users", keys)
	out := make(map[int64]dirUser, len(us))
	for _, u := range us {
		out[u.ID] = u
	}
	return out, err
}

// orgsByExternalID reads organizations by external id, keyed by
// lower(external id).
func (d *Directory) orgsByExternalID(ctx context.Context, sub string, cred Credentials, exts []string) (map[string]dirOrg, error) {
	os, err := showMany[dirOrg](ctx, d, sub, cred, "/api/v2/organizations/show_many.json", "external_ids", "organizations", exts)
	out := make(map[string]dirOrg, len(os))
	for _, o := range os {
		out[lower(o.ExternalID)] = o
	}
	return out, err
}

// maxListPages bounds reading a whole list (team members, organizations,
// memberships): 100,000 records.
const maxListPages = 1000

// listAll reads every page of a list, cursor- or offset-paginated,
// following links.next while meta.has_more, or next_page (each checked to
// stay in the account).
func listAll[T any](ctx context.Context, d *Directory, sub string, cred Credentials, path, key string) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	for next := path; next != ""; {
		if len(seen) >= maxListPages {
			return nil, &PaginationError{Reason: fmt.Sprintf("no end after %d pages", maxListPages)}
		}
		seen[next] = true
		var raw map[string]json.RawMessage
		if err := d.call(ctx, sub, cred, http.MethodGet, next, nil, &raw); err != nil {
			return nil, err
		}
		var items []T
		var meta struct {
			HasMore bool `json:"has_more"`
		}
		var links struct {
			Next string `json:"next"`
		}
		var nextPage *string
		for k, v := range map[string]any{key: &items, "meta": &meta, "links": &links, "next_page": &nextPage} {
			if b, ok := raw[k]; ok {
				if err := json.Unmarshal(b, v); err != nil {
					return nil, fmt.Errorf("zendesk: decoding %s: %w", stripQuery(next), err)
				}
			}
		}
		out = append(out, items...)
		link := links.Next
		if _, cursor := raw["meta"]; !cursor && nextPage != nil {
			link = *nextPage
		} else if !meta.HasMore {
			link = ""
		}
		if link == "" {
			return out, nil
		}
		n, err := d.c.nextPath(sub, link)
		if err != nil {
			return nil, err
		}
		if seen[n] {
			return nil, &PaginationError{Reason: "the server repeated a page"}
		}
		next = n
	}
	return out, nil
}
