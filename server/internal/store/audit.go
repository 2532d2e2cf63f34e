package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// tableAudit holds a tenant's audit entries, keyed by auditKey.
const tableAudit = "audit"

// Audit list sizes: what a zero limit means, and the most one call returns.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// Audit entry bounds. Entries are short words about an admin action; the
// caps keep a runaway caller from filling a tenant's partition.
const (
	maxAuditAction = 100
	maxAuditRecord = 8 << 10
)

// auditPruneEvery is how often one process sweeps a tenant's expired
// entries; between sweeps Audit hides them, so appends stay one write.
const auditPruneEvery = time.Hour

// auditKeyTime formats the time part of an audit key: RFC 3339 in UTC with
// all nine fraction digits, so keys sort as the times they name.
const auditKeyTime = "2006-01-02T15:04:05.000000000Z07:00"

// auditRecord is an audit entry at rest. Backend.List gives values only, so
// the value carries its own key for the retention sweep to delete by.
type auditRecord struct {
	Key string `json:"key"`
	crossview.AuditEntry
}

// auditState is what one process remembers about audit logs: a counter
// that orders entries appended in the same instant, and when each tenant's
// log was last swept. Its zero value is ready to use.
type auditState struct {
	mu     sync.Mutex
	seq    uint64
	pruned map[string]time.Time // tenant → last sweep, on the store's clock
}

// next returns the next sequence number.
func (a *auditState) next() uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	return a.seq
}

// pruneDue reports whether tenant's log was not swept within the last
// auditPruneEvery.
func (a *auditState) pruneDue(tenant string, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	last, ok := a.pruned[tenant]
	return !ok || now.Sub(last) >= auditPruneEvery || now.Before(last)
}

func (a *auditState) markPruned(tenant string, now time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pruned == nil {
		a.pruned = map[string]time.Time{}
	}
	a.pruned[tenant] = now
}

// AppendAudit records an admin action for a tenant. The tenant must exist
// and the entry needs an Action; At defaults to now. At most once an hour
// per tenant it also deletes the tenant's entries older than
// crossview.AuditRetention.
func (s *Store) AppendAudit(ctx context.Context, tenant string, e crossview.AuditEntry) error {
	if err := validateAudit(&e); err != nil {
		return err
	}
	if err := s.requireTenant(ctx, tenant); err != nil {
		return err
	}
	now := s.now().UTC()
	if e.At.IsZero() {
		e.At = now
	}
	e.At = e.At.UTC()
	key, err := s.auditKey(e.At)
	if err != nil {
		return fmt.Errorf("store: keying an audit entry of %q: %w", tenant, err)
	}
	raw, err := json.Marshal(auditRecord{Key: key, AuditEntry: e})
	if err != nil {
		return fmt.Errorf("store: encoding an audit entry of %q: %w", tenant, err)
	}
	if len(raw) > maxAuditRecord {
		return crossview.Errorf(crossview.ETOOLARGE, "an audit entry holds at most %d bytes", maxAuditRecord)
	}
	if err := s.b.Put(ctx, tenant, tableAudit, key, raw); err != nil {
		return fmt.Errorf("store: appending an audit entry of %q: %w", tenant, err)
	}
	if s.audit.pruneDue(tenant, now) {
		// The entry is stored; a sweep that fails is simply tried again on
		// the next append, so its error is not the caller's concern.
		if s.pruneAudit(ctx, tenant, now) == nil {
			s.audit.markPruned(tenant, now)
		}
	}
	return nil
}

// Audit lists a tenant's entries newest first: at most limit, 100 when
// limit <= 0, never more than 1000. Entries past retention are left out
// even before a sweep deletes them.
func (s *Store) Audit(ctx context.Context, tenant string, limit int) ([]crossview.AuditEntry, error) {
	if err := s.requireTenant(ctx, tenant); err != nil {
		return nil, err
	}
	switch {
	case limit <= 0:
		limit = defaultAuditLimit
	case limit > maxAuditLimit:
		limit = maxAuditLimit
	}
	recs, err := s.auditRecords(ctx, tenant)
	if err != nil {
		return nil, err
	}
	cutoff := s.now().UTC().Add(-crossview.AuditRetention)
	sort.Slice(recs, func(i, j int) bool { return recs[i].Key > recs[j].Key })
	out := make([]crossview.AuditEntry, 0, min(limit, len(recs)))
	for _, r := range recs {
		if len(out) == limit {
			break
		}
		if r.At.Before(cutoff) {
			continue
		}
		out = append(out, r.AuditEntry)
	}
	return out, nil
}

// pruneAudit deletes a tenant's entries older than retention.
func (s *Store) pruneAudit(ctx context.Context, tenant string, now time.Time) error {
	recs, err := s.auditRecords(ctx, tenant)
	if err != nil {
		return err
	}
	cutoff := now.Add(-crossview.AuditRetention)
	for _, r := range recs {
		if r.At.Before(cutoff) {
			if err := s.b.Delete(ctx, tenant, tableAudit, r.Key); err != nil {
				return fmt.Errorf("store: deleting an expired audit entry of %q: %w", tenant, err)
			}
		}
	}
	return nil
}

func (s *Store) auditRecords(ctx context.Context, tenant string) ([]auditRecord, error) {
	raws, err := s.b.List(ctx, tenant, tableAudit)
	if err != nil {
		return nil, fmt.Errorf("store: listing the audit log of %q: %w", tenant, err)
	}
	recs := make([]auditRecord, 0, len(raws))
	for _, raw := range raws {
		var r auditRecord
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("store: decoding an audit entry of %q: %w", tenant, err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// auditKey is unique and sorts by time: the time, then this process's
// sequence (so two entries of one instant keep their order), then random
// bytes (so two replicas never collide).
func (s *Store) auditKey(at time.Time) (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%012d-%s", at.Format(auditKeyTime), s.audit.next(), hex.EncodeToString(b[:])), nil
}

// requireTenant returns a not-found error unless the tenant exists.
func (s *Store) requireTenant(ctx context.Context, tenant string) error {
	_, err := s.tenantRecord(ctx, tenant)
	if err != nil && !errors.Is(err, crossview.ErrNotFound) {
		return fmt.Errorf("store: checking tenant %q: %w", tenant, err)
	}
	return err
}

func validateAudit(e *crossview.AuditEntry) error {
	e.Action = strings.TrimSpace(e.Action)
	if e.Action == "" {
		return crossview.Errorf(crossview.EINVALID, "an audit entry needs an action")
	}
	if len(e.Action) > maxAuditAction {
		return crossview.Errorf(crossview.EINVALID, "an audit action has at most %d characters", maxAuditAction)
	}
	return nil
}
