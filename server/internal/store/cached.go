package store

import (
	"context"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Cached keeps tenants and tenants' connection lists in memory in front of
// a Store. Panels read both on every request; from memory that costs
// nothing, and when the backend (Redis) is briefly away the last copy keeps
// panels working. Writes through Cached drop what they change at once;
// writes by other replicas show within TTL.
type Cached struct {
	crossview.Store
	ttl, maxStale time.Duration
	now           func() time.Time

	mu      sync.Mutex
	tenants map[string]cachedTenant
	conns   map[string]cachedConns // by tenant
	byOrg   map[string]cachedConns // by org id
	prefs   map[string]cachedPref  // by scope and user
}

type cachedPref struct {
	b  []byte
	at time.Time
}

type cachedTenant struct {
	t  crossview.Tenant
	at time.Time
}

type cachedConns struct {
	c  []crossview.Connection
	at time.Time
}

// NewCached wraps s. Reads are served from memory for ttl, and for up to
// maxStale while s fails.
func NewCached(s crossview.Store, ttl, maxStale time.Duration, now func() time.Time) *Cached {
	return &Cached{Store: s, ttl: ttl, maxStale: maxStale, now: now,
		tenants: map[string]cachedTenant{}, conns: map[string]cachedConns{},
		byOrg: map[string]cachedConns{}, prefs: map[string]cachedPref{}}
}

// Tenant implements crossview.Store.
func (c *Cached) Tenant(ctx context.Context, sub string) (crossview.Tenant, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.tenants[sub]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.t, nil
	}
	t, err := c.Store.Tenant(ctx, sub)
	if err != nil {
		if ok && now.Sub(e.at) < c.maxStale && crossview.ErrorCode(err) != crossview.ENOTFOUND {
			return e.t, nil
		}
		return t, err
	}
	c.mu.Lock()
	c.tenants[sub] = cachedTenant{t: t, at: now}
	c.mu.Unlock()
	return t, nil
}

// Connections implements crossview.Store. The slice is shared: callers must
// not modify it or the connections' maps.
func (c *Cached) Connections(ctx context.Context, tenant string) ([]crossview.Connection, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.conns[tenant]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.c, nil
	}
	cs, err := c.Store.Connections(ctx, tenant)
	if err != nil {
		if ok && now.Sub(e.at) < c.maxStale {
			return e.c, nil
		}
		return nil, err
	}
	c.mu.Lock()
	c.conns[tenant] = cachedConns{c: cs, at: now}
	c.mu.Unlock()
	return cs, nil
}

// ConnectionsByOrg implements crossview.Store; ticket panels read it on
// every request. The slice is shared and must not be modified.
func (c *Cached) ConnectionsByOrg(ctx context.Context, orgID string) ([]crossview.Connection, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.byOrg[orgID]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		return e.c, nil
	}
	cs, err := c.Store.ConnectionsByOrg(ctx, orgID)
	if err != nil {
		if ok && now.Sub(e.at) < c.maxStale {
			return e.c, nil
		}
		return nil, err
	}
	c.mu.Lock()
	c.byOrg[orgID] = cachedConns{c: cs, at: now}
	c.mu.Unlock()
	return cs, nil
}

// Preference implements crossview.Store; a rep's filter is read on every
// poll of their panel.
func (c *Cached) Preference(ctx context.Context, scope, user string) ([]byte, error) {
	key := scope + "\x00" + user
	now := c.now()
	c.mu.Lock()
	e, ok := c.prefs[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < c.ttl {
		if e.b == nil {
			return nil, crossview.ErrNotFound
		}
		return e.b, nil
	}
	b, err := c.Store.Preference(ctx, scope, user)
	if err != nil && crossview.ErrorCode(err) != crossview.ENOTFOUND {
		return nil, err
	}
	c.mu.Lock()
	if len(c.prefs) > 100_000 {
		clear(c.prefs)
	}
	c.prefs[key] = cachedPref{b: b, at: now}
	c.mu.Unlock()
	return b, err
}

// PutPreference implements crossview.Store.
func (c *Cached) PutPreference(ctx context.Context, scope, user string, value []byte) error {
	err := c.Store.PutPreference(ctx, scope, user, value)
	c.mu.Lock()
	delete(c.prefs, scope+"\x00"+user)
	c.mu.Unlock()
	return err
}

// PutTenant implements crossview.Store.
func (c *Cached) PutTenant(ctx context.Context, t crossview.Tenant) error {
	defer c.forgetTenant(t.Subdomain)
	return c.Store.PutTenant(ctx, t)
}

// PutConnection implements crossview.Store.
func (c *Cached) PutConnection(ctx context.Context, conn crossview.Connection) error {
	defer c.forgetConns(conn.Tenant)
	return c.Store.PutConnection(ctx, conn)
}

// DeleteConnection implements crossview.Store.
func (c *Cached) DeleteConnection(ctx context.Context, id string) error {
	conn, err := c.Connection(ctx, id)
	if err == nil {
		defer c.forgetConns(conn.Tenant)
	}
	return c.Store.DeleteConnection(ctx, id)
}

func (c *Cached) forgetTenant(sub string) {
	c.mu.Lock()
	delete(c.tenants, sub)
	c.mu.Unlock()
}

// forgetConns drops a tenant's list and every by-org list (one write can
// move a connection between orgs, and by-org lists are few).
func (c *Cached) forgetConns(tenant string) {
	c.mu.Lock()
	delete(c.conns, tenant)
	clear(c.byOrg)
	c.mu.Unlock()
}
