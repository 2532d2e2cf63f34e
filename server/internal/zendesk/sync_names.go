package zendesk

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Kinds of records whose names ticket sync caches.
const (
	kindUser  = "user"
	kindOrg   = "organization"
	kindGroup = "group"
	kindBrand = "brand"
	kindForm  = "ticket_form"
)

// maxCachedNames bounds the cache: end users are many, and a cache that
// only grows would hold every requester an account ever had.
const maxCachedNames = 50_000

// cachedName is a record's display name and one more value: a user's
// email, an organization's external id.
type cachedName struct {
	name, extra string
	at          time.Time
}

type nameKey struct {
	tenant, kind string
	id           int64
}

// nameCache remembers names of users, organizations, groups, brands and
// ticket forms per account for a while, so that when Zendesk does not
// sideload one (brands, or a record a page left out) steady state still
// costs one call a ticket. A name changed in Zendesk shows after ttl.
type nameCache struct {
	ttl time.Duration
	now func() time.Time

	mu sync.Mutex
	m  map[nameKey]cachedName
}

func newNameCache(ttl time.Duration, now func() time.Time) *nameCache {
	return &nameCache{ttl: ttl, now: now, m: map[nameKey]cachedName{}}
}

// get returns a fresh entry.
func (c *nameCache) get(tenant, kind string, id int64) (cachedName, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.m[nameKey{tenant, kind, id}]
	if !ok || c.now().Sub(n.at) >= c.ttl {
		return cachedName{}, false
	}
	return n, true
}

// put stores an entry; an empty name records that the record is gone, so
// it is not asked for again until ttl passes.
func (c *nameCache) put(tenant, kind string, id int64, name, extra string) {
	if id == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.m) >= maxCachedNames {
		for k, n := range c.m {
			if now.Sub(n.at) >= c.ttl {
				delete(c.m, k)
			}
		}
		if len(c.m) >= maxCachedNames {
			clear(c.m)
		}
	}
	c.m[nameKey{tenant, kind, id}] = cachedName{name: name, extra: extra, at: now}
}

// remember caches every name a ticket answer sideloaded.
func (s *SyncSource) remember(sub string, side ticketSideloads) {
	for _, u := range side.Users {
		s.names.put(sub, kindUser, u.ID, u.Name, u.Email)
	}
	for kind, list := range map[string][]namedWire{kindOrg: side.Organizations, kindGroup: side.Groups, kindBrand: side.Brands, kindForm: side.TicketForms} {
		for _, r := range list {
			s.names.put(sub, kind, r.ID, r.Name, r.ExternalID)
		}
	}
}

// fillNames fetches the names the cache lacks for tickets: users in
// batches of 100, other records one call each (an account has few groups,
// brands and forms, so after the first tickets the cache holds them).
func (s *SyncSource) fillNames(ctx context.Context, t crossview.Tenant, tickets []syncTicketWire) error {
	var users []int64
	for _, tk := range tickets {
		users = append(users, tk.RequesterID, tk.AssigneeID)
	}
	if err := s.fillUsers(ctx, t, users); err != nil {
		return err
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	asked := map[nameKey]bool{}
	for _, tk := range tickets {
		for kind, id := range map[string]int64{kindOrg: tk.OrganizationID, kindGroup: tk.GroupID, kindBrand: tk.BrandID, kindForm: tk.TicketFormID} {
			k := nameKey{sub, kind, id}
			if id == 0 || asked[k] {
				continue
			}
			if _, ok := s.names.get(sub, kind, id); ok {
				continue
			}
			asked[k] = true
			r, err := s.c.record(ctx, sub, cred, kind, id)
			if err != nil && !IsNotFound(err) {
				return err
			}
			s.names.put(sub, kind, id, r.Name, r.ExternalID) // gone: remembered as nameless
		}
	}
	return nil
}

// fillUsers fetches the users the cache lacks.
func (s *SyncSource) fillUsers(ctx context.Context, t crossview.Tenant, ids []int64) error {
	var missing []int64
	for _, id := range ids {
		if _, ok := s.names.get(t.Subdomain, kindUser, id); id != 0 && !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	us, err := s.c.UsersByID(ctx, t.Subdomain, CredentialsOf(t), missing)
	if err != nil {
		return err
	}
	for _, u := range us {
		s.names.put(t.Subdomain, kindUser, u.ID, u.Name, u.Email)
	}
	for _, id := range missing {
		if _, ok := s.names.get(t.Subdomain, kindUser, id); !ok {
			s.names.put(t.Subdomain, kindUser, id, "", "") // deleted user
		}
	}
	return nil
}

// record reads one organization, group, brand or ticket form.
func (c *Client) record(ctx context.Context, sub string, cred Credentials, kind string, id int64) (namedWire, error) {
	var r map[string]namedWire
	plural := map[string]string{kindOrg: "organizations", kindGroup: "groups", kindBrand: "brands", kindForm: "ticket_forms"}[kind]
	if err := c.get(ctx, sub, &cred, fmt.Sprintf("/api/v2/%s/%d.json", plural, id), &r); err != nil {
		return namedWire{}, err
	}
	return r[kind], nil
}
