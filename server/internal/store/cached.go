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
	conns   map[string]cachedConns
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
		tenants: map[string]cachedTenant{}, conns: map[string]cachedConns{}}
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

func (c *Cached) forgetConns(tenant string) {
	c.mu.Lock()
	delete(c.conns, tenant)
	c.mu.Unlock()
}
