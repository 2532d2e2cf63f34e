package ticketsync

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// connCache remembers which connections sync, for a few seconds, so an
// idle poll costs no store reads.
type connCache struct {
	at    time.Time
	conns []crossview.Connection
}

// syncing lists every connection with ticket sync on.
func (s *Service) syncing(ctx context.Context) ([]crossview.Connection, error) {
	s.mu.Lock()
	if c := s.conns; !c.at.IsZero() && s.o.Now().Sub(c.at) < 5*time.Second {
		s.mu.Unlock()
		return c.conns, nil
	}
	s.mu.Unlock()
	tenants, err := s.o.Store.Tenants(ctx)
	if err != nil {
		return nil, err
	}
	var out []crossview.Connection
	for _, t := range tenants {
		cs, err := s.o.Store.Connections(ctx, t.Subdomain)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Active(crossview.FeatureTicketSync) {
				out = append(out, c)
			}
		}
	}
	s.mu.Lock()
	s.conns = connCache{at: s.o.Now(), conns: out}
	s.mu.Unlock()
	return out, nil
}

// forgetConnections makes the next poll read connections afresh.
func (s *Service) forgetConnections() {
	s.mu.Lock()
	s.conns = connCache{}
	s.mu.Unlock()
}

// Run syncs queued tickets until ctx ends: it claims work for every
// connection with ticket sync on, at most Workers tickets at once, taking
// connections in turn so a busy one cannot starve the others.
func (s *Service) Run(ctx context.Context) {
	// At shutdown nothing new is claimed, but syncs under way finish (each
	// call has its own deadline) rather than being cut off half done; Run
	// returns once they have.
	work := context.WithoutCancel(ctx)
	slots := make(chan struct{}, s.o.Workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	tick := time.NewTicker(s.o.Poll)
	defer tick.Stop()
	turn := 0
	for {
		if ctx.Err() != nil {
			return
		}
		claimed := s.claimRound(ctx, work, slots, &wg, turn)
		turn++
		if claimed && len(slots) < cap(slots) {
			continue // more may be due: look again at once
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-tick.C:
		}
	}
}

// claimRound claims work for each syncing connection while slots are free
// and says whether it claimed anything.
func (s *Service) claimRound(ctx, work context.Context, slots chan struct{}, wg *sync.WaitGroup, turn int) bool {
	conns, err := s.syncing(ctx)
	if err != nil {
		s.o.Logger.Warn("ticket sync: listing connections", "err", err)
		return false
	}
	claimed := false
	for i := range conns {
		c := conns[(i+turn)%len(conns)]
		free := cap(slots) - len(slots)
		if free == 0 {
			break
		}
		if _, ok := s.pausedFor(c.ID); ok {
			continue
		}
		if reason, over := s.overAllowance(c); over {
			s.pauseFor(c.ID, s.o.Now().Add(5*time.Minute), reason)
			continue
		}
		// A backfill claims in bulk: staged tickets go to Salesforce 200 at
		// a time; live ones one by one.
		n := free
		if s.backfilling(c) {
			n = max(free, maxBatch)
		}
		leases, err := s.o.Queue.Claim(ctx, c.ID, s.o.Worker, n, s.o.Lease)
		if err != nil {
			s.o.Logger.Warn("ticket sync: claiming", "connection", c.ID, "err", err)
			continue
		}
		if len(leases) == 0 {
			continue
		}
		claimed = true
		s.dispatch(ctx, work, c, leases, slots, wg)
	}
	return claimed
}

// dispatch runs the leases: staged backfill tickets as one batch, live ones
// each in a slot of its own.
func (s *Service) dispatch(ctx, work context.Context, c crossview.Connection, leases []queue.Lease, slots chan struct{}, wg *sync.WaitGroup) {
	live, batch := s.splitStaged(work, c, leases)
	if len(batch) > 0 {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			for _, j := range batch {
				s.span(c, j.lease, "started")
			}
			s.syncBatch(work, c, batch)
			for _, j := range batch {
				s.span(c, j.lease, "finished")
			}
		})
	}
	for i, l := range live {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			// Shutting down: hand back what was claimed but not started,
			// so another replica need not wait for the leases to run out.
			for _, rest := range live[i:] {
				_ = s.o.Queue.Retry(work, rest, s.o.Now(), "handed back at shutdown")
			}
			return
		}
		wg.Go(func() {
			defer func() { <-slots }()
			s.span(c, l, "started")
			s.syncOne(work, c, l)
			s.span(c, l, "finished")
		})
	}
}

// span logs, at debug level, when this replica starts and ends work on a
// ticket, with a nanosecond clock, so runs of several replicas can be
// checked for two working on one ticket at once.
func (s *Service) span(c crossview.Connection, l queue.Lease, what string) {
	if s.o.Logger.Enabled(context.Background(), slog.LevelDebug) {
		s.o.Logger.Debug("ticket sync: "+what, "connection", c.ID, "ticket", l.Key, "token", l.Token,
			"attempt", l.Attempt, "worker", s.o.Worker, "at_ns", time.Now().UnixNano())
	}
}
