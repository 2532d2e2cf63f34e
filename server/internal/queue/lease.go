package queue

import (
	"context"
	"sync"
	"time"
)

// Leases hands out named, exclusive, expiring leases: one replica polls an
// org or runs a backfill at a time. A holder that dies loses its lease when
// it expires; the next holder gets a larger fencing token.
type Leases interface {
	// Acquire takes the named lease for holder until now+ttl if nobody
	// holds it (or its holder's time ran out). ok is false when another
	// holder has it. A holder that already has it renews it.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (l Hold, ok bool, err error)
	// Renew extends a held lease; ErrLeaseLost if it is no longer held.
	Renew(ctx context.Context, l Hold, ttl time.Duration) (Hold, error)
	// Release gives a held lease up; releasing a lost lease is no error.
	Release(ctx context.Context, l Hold) error
}

// Hold is a held lease.
type Hold struct {
	Name   string
	Holder string
	Token  int64 // fencing token, increasing per name
	Until  time.Time
}

// LocalLeases is Leases for one process (the embedded mode): a process
// killed loses its leases with its memory, which is exactly right.
type LocalLeases struct {
	now func() time.Time

	mu     sync.Mutex
	held   map[string]Hold
	tokens map[string]int64
}

var _ Leases = (*LocalLeases)(nil)

// NewLocalLeases returns in-process leases.
func NewLocalLeases(now func() time.Time) *LocalLeases {
	return &LocalLeases{now: now, held: map[string]Hold{}, tokens: map[string]int64{}}
}

// Acquire implements Leases.
func (m *LocalLeases) Acquire(_ context.Context, name, holder string, ttl time.Duration) (Hold, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if h, ok := m.held[name]; ok && now.Before(h.Until) {
		if h.Holder != holder {
			return Hold{}, false, nil
		}
		h.Until = now.Add(ttl)
		m.held[name] = h
		return h, true, nil
	}
	m.tokens[name]++
	h := Hold{Name: name, Holder: holder, Token: m.tokens[name], Until: now.Add(ttl)}
	m.held[name] = h
	return h, true, nil
}

// Renew implements Leases.
func (m *LocalLeases) Renew(_ context.Context, l Hold, ttl time.Duration) (Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	h, ok := m.held[l.Name]
	if !ok || h.Token != l.Token || !now.Before(h.Until) {
		return l, ErrLeaseLost
	}
	h.Until = now.Add(ttl)
	m.held[l.Name] = h
	return h, nil
}

// Release implements Leases.
func (m *LocalLeases) Release(_ context.Context, l Hold) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h, ok := m.held[l.Name]; ok && h.Token == l.Token {
		delete(m.held, l.Name)
	}
	return nil
}
