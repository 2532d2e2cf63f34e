package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
)

// orgEntry is a value in an org index table.
type orgEntry struct {
	ID     string `json:"id"`
	Tenant string `json:"tenant"`
}

// PutConnection creates or replaces a connection. The tenant must exist, a
// connection cannot move to another tenant, and a tenant has at most one
// connection per org (reconnecting reuses it; see ConnectionByOrg).
// ConnectedAt is set now when zero and UpdatedAt is set now.
func (s *Store) PutConnection(ctx context.Context, c crossview.Connection) error {
	if err := validateConnection(c); err != nil {
		return err
	}
	if c.Features == nil {
		c.Features = map[crossview.Feature]bool{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()

	if _, err := s.tenantRecord(ctx, c.Tenant); errors.Is(err, crossview.ErrNotFound) {
		return crossview.Errorf(crossview.EINVALID, "connection %s: tenant %q does not exist; add the Zendesk account first", c.ID, c.Tenant)
	} else if err != nil {
		return fmt.Errorf("store: putting connection %s: %w", c.ID, err)
	}
	old, err := s.Connection(ctx, c.ID)
	exists := err == nil
	if err != nil && !errors.Is(err, crossview.ErrNotFound) {
		return fmt.Errorf("store: putting connection %s: %w", c.ID, err)
	}
	if exists && old.Tenant != c.Tenant {
		return crossview.Errorf(crossview.ECONFLICT, "connection %s belongs to tenant %q and cannot move to %q", c.ID, old.Tenant, c.Tenant)
	}
	if other, err := s.ConnectionByOrg(ctx, c.Tenant, c.OrgID); err == nil && other.ID != c.ID {
		return crossview.Errorf(crossview.ECONFLICT, "tenant %q is already connected to org %s by connection %s", c.Tenant, c.OrgID, other.ID)
	} else if err != nil && !errors.Is(err, crossview.ErrNotFound) {
		return fmt.Errorf("store: putting connection %s: %w", c.ID, err)
	}

	now := s.now().UTC()
	if c.ConnectedAt.IsZero() {
		c.ConnectedAt = now
	}
	c.UpdatedAt = now
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: encoding connection %s: %w", c.ID, err)
	}
	entry, err := json.Marshal(orgEntry{ID: c.ID, Tenant: c.Tenant})
	if err != nil {
		return fmt.Errorf("store: encoding org index of %s: %w", c.ID, err)
	}
	// Indexes first: a crash between the writes leaves an index entry
	// pointing at nothing (ignored by readers), never a record that cannot
	// be found.
	if err := s.b.Put(ctx, globalPartition, tableConnTenant, c.ID, []byte(c.Tenant)); err != nil {
		return fmt.Errorf("store: indexing connection %s: %w", c.ID, err)
	}
	if err := s.b.Put(ctx, globalPartition, orgTable(c.OrgID), c.ID, entry); err != nil {
		return fmt.Errorf("store: indexing connection %s by org: %w", c.ID, err)
	}
	if err := s.b.Put(ctx, c.Tenant, tableConnections, c.ID, raw); err != nil {
		return fmt.Errorf("store: putting connection %s: %w", c.ID, err)
	}
	// A connection that moved to another org keeps its entry under the old
	// org: readers skip it. Deleting it here could race with a replica
	// moving the connection back and lose the entry it just wrote.
	return nil
}

// DeleteConnection removes a connection with its token and index entries.
func (s *Store) DeleteConnection(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.Connection(ctx, id)
	if err != nil {
		return err
	}
	// The token goes first: a half-finished delete must not strand a secret.
	steps := []struct {
		what                  string
		partition, table, key string
	}{
		{"token", c.Tenant, tableTokens, c.ID},
		{"record", c.Tenant, tableConnections, c.ID},
		{"org index", globalPartition, orgTable(c.OrgID), c.ID},
		{"tenant index", globalPartition, tableConnTenant, c.ID},
	}
	for _, st := range steps {
		if err := s.b.Delete(ctx, st.partition, st.table, st.key); err != nil {
			return fmt.Errorf("store: deleting %s of connection %s: %w", st.what, id, err)
		}
	}
	return nil
}
