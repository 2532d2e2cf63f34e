package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Connection returns a connection by id, whichever tenant owns it.
func (s *Store) Connection(ctx context.Context, id string) (crossview.Connection, error) {
	if !validID(id) {
		return crossview.Connection{}, notFound("connection", id)
	}
	tenant, err := s.b.Get(ctx, globalPartition, tableConnTenant, id)
	if errors.Is(err, crossview.ErrNotFound) {
		return crossview.Connection{}, notFound("connection", id)
	}
	if err != nil {
		return crossview.Connection{}, fmt.Errorf("store: finding the tenant of connection %s: %w", id, err)
	}
	c, err := s.connectionIn(ctx, string(tenant), id)
	if err != nil {
		return crossview.Connection{}, err
	}
	return c, nil
}

// Connections lists a tenant's connections ordered by sidebar order, then
// name, then id. An unknown tenant has none.
func (s *Store) Connections(ctx context.Context, tenant string) ([]crossview.Connection, error) {
	if !crossview.ValidSubdomain(tenant) {
		return []crossview.Connection{}, nil
	}
	raws, err := s.b.List(ctx, tenant, tableConnections)
	if err != nil {
		return nil, fmt.Errorf("store: listing connections of %q: %w", tenant, err)
	}
	out := make([]crossview.Connection, 0, len(raws))
	for _, raw := range raws {
		var c crossview.Connection
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("store: decoding a connection of %q: %w", tenant, err)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Sidebar.Order != b.Sidebar.Order {
			return a.Sidebar.Order < b.Sidebar.Order
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	return out, nil
}

// ConnectionsByOrg lists every tenant's connection to an org, ordered by
// tenant then id. The org id may be given in its 15- or 18-character form.
func (s *Store) ConnectionsByOrg(ctx context.Context, orgID string) ([]crossview.Connection, error) {
	if !crossview.ValidOrgID(orgID) {
		return []crossview.Connection{}, nil
	}
	raws, err := s.b.List(ctx, globalPartition, orgTable(orgID))
	if err != nil {
		return nil, fmt.Errorf("store: listing connections to org %s: %w", orgID, err)
	}
	out := make([]crossview.Connection, 0, len(raws))
	for _, raw := range raws {
		var e orgEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, fmt.Errorf("store: decoding the index of org %s: %w", orgID, err)
		}
		c, err := s.connectionIn(ctx, e.Tenant, e.ID)
		if errors.Is(err, crossview.ErrNotFound) {
			continue // an entry left by an interrupted write
		}
		if err != nil {
			return nil, err
		}
		if c.Tenant != e.Tenant || !sameOrg(c.OrgID, orgID) {
			continue // stale: the connection moved to another org
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Tenant != out[j].Tenant {
			return out[i].Tenant < out[j].Tenant
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ConnectionByOrg finds a tenant's connection to an org, whatever its
// status, so a reconnect can restore its settings.
func (s *Store) ConnectionByOrg(ctx context.Context, tenant, orgID string) (crossview.Connection, error) {
	all, err := s.ConnectionsByOrg(ctx, orgID)
	if err != nil {
		return crossview.Connection{}, err
	}
	for _, c := range all {
		if c.Tenant == tenant {
			return c, nil
		}
	}
	return crossview.Connection{}, notFound("connection from "+tenant+" to org", orgID)
}

// connectionIn reads a connection from its tenant's partition.
func (s *Store) connectionIn(ctx context.Context, tenant, id string) (crossview.Connection, error) {
	if !crossview.ValidSubdomain(tenant) {
		return crossview.Connection{}, notFound("connection", id)
	}
	raw, err := s.b.Get(ctx, tenant, tableConnections, id)
	if errors.Is(err, crossview.ErrNotFound) {
		return crossview.Connection{}, notFound("connection", id)
	}
	if err != nil {
		return crossview.Connection{}, fmt.Errorf("store: reading connection %s: %w", id, err)
	}
	var c crossview.Connection
	if err := json.Unmarshal(raw, &c); err != nil {
		return crossview.Connection{}, fmt.Errorf("store: decoding connection %s: %w", id, err)
	}
	return c, nil
}
