// Package store keeps tenants, connections and their tokens over a small
// Backend (bbolt in one process, Redis for many), so the business rules —
// validation, sealing of secrets, indexes and ordering — live in one place
// whichever backend holds the bytes.
//
// Layout, by partition and table:
//
//	_         tenants        subdomain     -> tenant record (secrets sealed)
//	_         conn_tenant    connection id -> tenant subdomain
//	_         org/<org15>    connection id -> {"id","tenant"}
//	<tenant>  connections    connection id -> connection record
//	<tenant>  tokens         connection id -> sealed token
//	<tenant>  audit          audit key     -> audit entry (carrying its key)
//	_         admin_sessions sha256(id)    -> admin session (sealed but its expiry)
//
// org15 is the first 15 characters of the org id, which the 15- and
// 18-character forms of one id share. Index entries are written before the
// record and removed only by DeleteConnection, so an index may hold stale
// entries (a crash between writes, a connection moved to another org) but
// never misses a record; readers check every entry against its record.
// The one-connection-per-tenant-and-org rule is checked in this process
// only; two replicas connecting the same org at the same instant can both
// succeed.
//
// An audit key is the entry's time (RFC 3339 in UTC with nine fraction
// digits), a per-process sequence and random hex, so keys sort by time and
// replicas never collide. Entries past crossview.AuditRetention are swept
// by an append, at most hourly per tenant and process.
package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
)

// Partition and table names. The global partition cannot clash with a
// tenant: subdomains never contain '_'.
const (
	globalPartition  = "_"
	tableTenants     = "tenants"
	tableConnTenant  = "conn_tenant"
	tableConnections = "connections"
	tableTokens      = "tokens"
	orgTablePrefix   = "org/"
)

// Backend is a namespaced byte store. A partition groups one tenant's
// records so Redis Cluster can keep them on one slot; a table is a set of
// keyed values inside a partition. Backends know nothing of records, sealing
// or indexes: that is Store's business.
type Backend interface {
	// Get returns the value at key, or crossview.ErrNotFound when missing.
	Get(ctx context.Context, partition, table, key string) ([]byte, error)
	// Put creates or replaces the value at key.
	Put(ctx context.Context, partition, table, key string, value []byte) error
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, partition, table, key string) error
	// List returns every value in a table, in no particular order; an
	// empty or missing table gives none.
	List(ctx context.Context, partition, table string) ([][]byte, error)
	// Count says how many keys a table holds, without reading them.
	Count(ctx context.Context, partition, table string) (int, error)
	// Ping checks that the backend can be reached.
	Ping(ctx context.Context) error
	// Close releases what the backend opened itself.
	Close() error
}

// Store implements crossview.Store over a Backend.
type Store struct {
	b    Backend
	keys *secret.Keyring
	now  func() time.Time
	// mu serialises writes in this process. Across processes the indexes
	// stay correct because entries are written before the record they
	// point at, removed only with it, and checked against it on read.
	mu sync.Mutex
	// audit orders audit keys and paces retention sweeps (audit.go).
	audit auditState
	// sessions paces sweeps of expired admin sessions (session.go).
	sessions sessionState
}

var _ crossview.Store = (*Store)(nil)

// New returns a Store that seals secrets with keys and stamps records with now.
func New(b Backend, keys *secret.Keyring, now func() time.Time) *Store {
	return &Store{b: b, keys: keys, now: now}
}

// Ping checks that the backend can be reached.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.b.Ping(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close closes the backend.
func (s *Store) Close() error {
	if err := s.b.Close(); err != nil {
		return fmt.Errorf("store: closing: %w", err)
	}
	return nil
}

// orgTable names the global table that indexes connections to one org.
func orgTable(orgID string) string {
	return orgTablePrefix + orgKey(orgID)
}

// orgKey is the part of an org id that its 15- and 18-character forms share.
func orgKey(orgID string) string {
	if len(orgID) > 15 {
		return orgID[:15]
	}
	return orgID
}

// sameOrg reports whether a and b name one org, in either id form.
func sameOrg(a, b string) bool {
	return crossview.ValidOrgID(a) && crossview.ValidOrgID(b) && orgKey(a) == orgKey(b)
}

// notFound returns an error that matches crossview.ErrNotFound and says what
// was missing in words safe to show.
func notFound(what, id string) error {
	return &crossview.Error{
		Code:    crossview.ENOTFOUND,
		Message: fmt.Sprintf("No %s %q.", what, id),
		Err:     crossview.ErrNotFound,
	}
}
