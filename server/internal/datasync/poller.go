package datasync

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// RunPollers keeps one poller per syncing connection running somewhere:
// every second it tries to take the lease of each connection no poller
// here holds; a replica that dies loses its leases within LeaseTTL and
// another takes over from the persisted cursors. When ctx ends it stops
// its pollers and returns once they have released their leases, so the
// store they write to can close.
func (s *Service) RunPollers(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var pollers sync.WaitGroup
	for {
		s.claimPollers(ctx, &pollers)
		select {
		case <-ctx.Done():
			s.mu.Lock()
			for _, stop := range s.running {
				stop()
			}
			s.mu.Unlock()
			pollers.Wait()
			return
		case <-tick.C:
		}
	}
}

func (s *Service) claimPollers(ctx context.Context, pollers *sync.WaitGroup) {
	tenants, err := s.o.Store.Tenants(ctx)
	if err != nil {
		s.o.Logger.Warn("data sync: listing tenants", "err", err)
		return
	}
	for _, t := range tenants {
		conns, err := s.o.Store.Connections(ctx, t.Subdomain)
		if err != nil {
			continue
		}
		for _, c := range conns {
			if !syncing(c) {
				continue
			}
			s.mu.Lock()
			_, mine := s.running[c.ID]
			s.mu.Unlock()
			if mine {
				continue
			}
			hold, ok, err := s.o.Leases.Acquire(ctx, leaseName(c.ID), s.o.Worker, s.o.LeaseTTL)
			if err != nil || !ok {
				continue
			}
			pctx, stop := context.WithCancel(ctx)
			s.mu.Lock()
			s.running[c.ID] = stop
			s.mu.Unlock()
			pollers.Go(func() { s.pollLoop(pctx, c.ID, hold) })
		}
	}
}

func leaseName(connID string) string { return "ds-poll:" + connID }

// pollLoop polls one connection while this replica holds its lease. The
// lease is renewed on its own beat, not between pages: a page can outlast
// it (twenty Zendesk jobs, each awaited). When a renewal fails the poll's
// context ends, so nothing more is written or saved under a lost lease.
func (s *Service) pollLoop(ctx context.Context, connID string, hold queue.Hold) {
	ctx, lost := context.WithCancel(ctx)
	held := make(chan struct{})
	defer func() {
		lost()
		<-held
		s.mu.Lock()
		if stop, ok := s.running[connID]; ok {
			stop()
			delete(s.running, connID)
		}
		s.mu.Unlock()
	}()
	go func() {
		defer close(held)
		s.keepLease(ctx, connID, hold, lost)
	}()
	s.o.Logger.Info("data sync: polling", "connection", connID, "worker", s.o.Worker, "token", hold.Token)
	holding := func() bool { return ctx.Err() == nil }
	for {
		c, err := s.o.Store.Connection(ctx, connID)
		if err != nil || !syncing(c) {
			return
		}
		if s.due(c) {
			s.cycle(ctx, c, holding)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// keepLease renews the lease every quarter of its life until ctx ends,
// then releases it; a failed renewal calls lost.
func (s *Service) keepLease(ctx context.Context, connID string, hold queue.Hold, lost context.CancelFunc) {
	defer func() { _ = s.o.Leases.Release(context.WithoutCancel(ctx), hold) }()
	tick := time.NewTicker(max(s.o.LeaseTTL/4, time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var err error
		if hold, err = s.o.Leases.Renew(ctx, hold, s.o.LeaseTTL); err != nil {
			if ctx.Err() == nil {
				s.o.Logger.Warn("data sync: lost the poller lease", "connection", connID, "err", err)
			}
			lost()
			return
		}
	}
}

// due reports whether the connection's next poll time has come.
func (s *Service) due(c crossview.Connection) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.polls[c.ID]
	return !s.o.Now().Before(p.next)
}

// cycle runs one poll of every object the connection syncs: backfill pages
// while a backfill runs, then changes and deletes. holding says whether
// the lease is still this replica's; a lost lease ends ctx and stops the
// cycle where it is (the cursors saved so far hold).
func (s *Service) cycle(ctx context.Context, c crossview.Connection, holding func() bool) {
	start := s.o.Now()
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	var cycleErr error
	failedObject := "Zendesk account"
	moved := false
	if err == nil {
		for _, ob := range objects(c) {
			err := s.pollObject(ctx, c, t, ob, holding)
			if errors.Is(err, errStateMoved) {
				moved = true // a backfill was started meanwhile: the next poll, at once, carries it out
				continue
			}
			if err != nil {
				cycleErr, failedObject = fmt.Errorf("%s: %w", ob.object, err), ob.object
				break
			}
		}
	} else {
		cycleErr = err
	}
	iv, reason := s.interval(c)
	p := pollState{last: start, next: start.Add(iv), interval: iv, reason: reason}
	if moved {
		p.next = s.o.Now()
	}
	if cycleErr != nil {
		f := s.o.Classify(cycleErr)
		p.err = failedObject + ": " + orDefault(f.Message, cycleErr.Error())
		if wait := s.o.Now().Add(f.RetryAfter); wait.After(p.next) {
			p.next = wait // counted from the refusal, not from the poll's start
		}
		s.o.Logger.Warn("data sync: poll failed; the next resumes from the cursor", "connection", c.ID, "err", cycleErr)
	}
	s.mu.Lock()
	s.polls[c.ID] = p
	s.mu.Unlock()
	s.savePoll(ctx, c, p)
}

// interval is how long to wait between polls: the connection's setting,
// stretched when polling at that pace would spend more than its share of
// the org's remaining daily API allowance.
func (s *Service) interval(c crossview.Connection) (time.Duration, string) {
	ds := c.DataSync
	iv := time.Duration(ds.PollSeconds) * time.Second
	if iv <= 0 {
		iv = 30 * time.Second
	}
	iv = max(iv, s.o.MinInterval)
	if s.o.Usage == nil {
		return iv, ""
	}
	used, limit, ok := s.o.Usage(c.OrgID)
	if !ok || limit <= 0 {
		return iv, ""
	}
	share := ds.APIShare
	if share <= 0 {
		share = crossview.DefaultDataSyncSettings().APIShare
	}
	budget := float64(limit-used) * share // calls polling may spend until the day rolls over
	n := float64(max(len(objects(c)), 1))
	if budget < 2*n {
		// The allowance is a rolling 24 hours and a poll is how its use is
		// read again: look once an hour.
		return max(time.Hour, iv), fmt.Sprintf("paused: the org has used %d of %d daily API calls; looking again in an hour", used, limit)
	}
	if perDay(n, iv) <= budget {
		return iv, ""
	}
	// The shortest interval within the budget: below deleteEvery a day
	// costs n*day/iv + n*day/deleteEvery, above it 2*n*day/iv.
	day := float64(24 * time.Hour)
	need := time.Duration(2 * n * day / budget)
	if rest := budget - n*day/float64(deleteEvery); rest > 0 {
		if short := time.Duration(n * day / rest); short <= deleteEvery {
			need = short
		}
	}
	need = max((need + time.Second - 1).Truncate(time.Second), iv) // whole seconds, rounded up
	return need, fmt.Sprintf("every %s to stay within %.0f%% of the org's remaining API allowance (%d of %d used)",
		need, share*100, used, limit)
}

// perDay is how many API calls a day polling n objects every iv costs:
// one query an object a poll (more only while there is much to read),
// and one getDeleted an object a poll, at most every deleteEvery.
func perDay(n float64, iv time.Duration) float64 {
	day := float64(24 * time.Hour)
	return n*day/float64(iv) + n*day/float64(max(iv, deleteEvery))
}
