package datasync

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
)

// claimTTL bounds how long one replica holds a tenant's claims lease
// unrenewed; a holder renews it as it goes (claimLock.keep), so a long
// piece of work never outlasts it.
const claimTTL = 10 * time.Second

// tenantLocks is one mutex per tenant, so the claims of one tenant never
// wait for another's.
type tenantLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

func (l *tenantLocks) of(tenant string) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]*sync.Mutex{}
	}
	m := l.m[tenant]
	if m == nil {
		m = &sync.Mutex{}
		l.m[tenant] = m
	}
	return m
}

// claimLock is a held claims lock of one tenant.
type claimLock struct {
	s       *Service
	tenant  string
	mu      *sync.Mutex
	hold    queue.Hold
	renewed time.Time
}

// lockClaims serialises claim decisions of a tenant: a mutex here, and a
// lease (SET NX PX on Redis) across replicas, waited for up to claimTTL.
func (s *Service) lockClaims(ctx context.Context, tenant string) (*claimLock, error) {
	mu := s.claimMu.of(tenant)
	mu.Lock()
	name := "ds-claims:" + tenant
	deadline := time.Now().Add(claimTTL)
	for {
		hold, ok, err := s.o.Leases.Acquire(ctx, name, s.o.Worker, claimTTL)
		if err != nil {
			mu.Unlock()
			return nil, err
		}
		if ok {
			return &claimLock{s: s, tenant: tenant, mu: mu, hold: hold, renewed: time.Now()}, nil
		}
		if time.Now().After(deadline) {
			mu.Unlock()
			return nil, fmt.Errorf("datasync: another replica holds the email claims of %s", tenant)
		}
		select {
		case <-ctx.Done():
			mu.Unlock()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// keep renews the lease once a third of its time has gone, so work of any
// length under the lock keeps it; an error means another replica may have
// taken it, and the work must stop.
func (l *claimLock) keep(ctx context.Context) error {
	if time.Since(l.renewed) < claimTTL/3 {
		return nil
	}
	hold, err := l.s.o.Leases.Renew(ctx, l.hold, claimTTL)
	if err != nil {
		return fmt.Errorf("datasync: renewing the email claims lock of %s: %w", l.tenant, err)
	}
	l.hold, l.renewed = hold, time.Now()
	return nil
}

func (l *claimLock) unlock(ctx context.Context) {
	if err := l.s.o.Leases.Release(context.WithoutCancel(ctx), l.hold); err != nil {
		l.s.o.Logger.Warn("data sync: releasing the claims lock", "tenant", l.tenant, "err", err)
	}
	l.mu.Unlock()
}
