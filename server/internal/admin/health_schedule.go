package admin

import (
	"context"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// recheckPoll is how often the health loop looks for connections due a
// check; it bounds how late a short recheck can be.
const recheckPoll = 15 * time.Second

// recheckDelay is how long a connection whose last checks found a problem
// waits for the next one: 1, 2, then 5 minutes — never longer than the
// regular interval — so health recovers soon after Salesforce does.
func recheckDelay(streak int, every time.Duration) time.Duration {
	steps := [...]time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute}
	return min(steps[min(max(streak, 1), len(steps))-1], every)
}

// recheckState counts, per connection, the checks in a row that found a
// problem worth rechecking soon. It lives in memory: after a restart the
// backoff starts again at one minute.
type recheckState struct {
	mu      sync.Mutex
	streaks map[string]int
}

func newRecheckState() *recheckState { return &recheckState{streaks: map[string]int{}} }

func (r *recheckState) record(id string, h crossview.Health) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if soonAgain(h) {
		r.streaks[id]++
	} else {
		delete(r.streaks, id)
	}
}

func (r *recheckState) streak(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.streaks[id]
}

// soonAgain reports whether a health result is worth checking again soon:
// any problem but a spent allowance (a check would spend more), mistyped
// settings (only an admin's save fixes those, and a save checks) or ticket
// sync's (an admin deploys the fields or presses Repair, which checks).
func soonAgain(h crossview.Health) bool {
	for _, p := range h.Problems {
		if p.Code != ProblemAPILimitLow && p.Code != ProblemSidebarFields && p.Feature == "" {
			return true
		}
	}
	return false
}

// due reports whether an active connection should be checked at now.
func (s *Service) due(c crossview.Connection, now time.Time, every time.Duration) bool {
	if c.Health.CheckedAt.IsZero() {
		return true
	}
	wait := every
	if soonAgain(c.Health) {
		wait = recheckDelay(s.rechecks.streak(c.ID), every)
	}
	return !now.Before(c.Health.CheckedAt.Add(wait))
}

// checkAndSave checks a connection and stores what it found on the
// connection as it is now, so an admin's change made during the check is
// kept.
func (s *Service) checkAndSave(ctx context.Context, c crossview.Connection) crossview.Connection {
	h := s.Check(ctx, c)
	s.rechecks.record(c.ID, h)
	if cur, err := s.o.Store.Connection(ctx, c.ID); err == nil {
		c = cur
	}
	c.Health = h
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		s.o.Logger.Error("saving a health check", "connection", c.ID, "err", err)
	}
	return c
}

// CheckNow checks one of the admin's connections on demand.
func (s *Service) CheckNow(ctx context.Context, sess Session, id string) (crossview.Connection, error) {
	c, err := s.owned(ctx, sess.Subdomain, id)
	if err != nil {
		return c, err
	}
	c = s.checkAndSave(ctx, c)
	s.audit(ctx, sess.Subdomain, sess.Actor(), "connection.check", &c, healthSummary(c.Health))
	return c, nil
}

// CheckAll checks every active connection of every tenant once.
func (s *Service) CheckAll(ctx context.Context) error {
	return s.checkWhere(ctx, func(crossview.Connection) bool { return true })
}

// CheckDue checks the active connections due a check at the service's
// clock: those last found healthy once every interval, those with a
// problem after 1, 2, then 5 minutes.
func (s *Service) CheckDue(ctx context.Context, every time.Duration) error {
	now := s.o.Now()
	return s.checkWhere(ctx, func(c crossview.Connection) bool { return s.due(c, now, every) })
}

func (s *Service) checkWhere(ctx context.Context, want func(crossview.Connection) bool) error {
	ts, err := s.o.Store.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		cs, err := s.o.Store.Connections(ctx, t.Subdomain)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Status == crossview.StatusActive && want(c) {
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				s.checkAndSave(cctx, c)
				cancel()
			}
		}
	}
	return nil
}

// RunHealthChecks checks every connection now, then looks every few
// seconds for connections due a check (see CheckDue) until ctx ends.
func (s *Service) RunHealthChecks(ctx context.Context, every time.Duration) {
	tick, stop := s.o.NewTicker(min(every, recheckPoll))
	defer stop()
	if err := s.CheckAll(ctx); err != nil && ctx.Err() == nil {
		s.o.Logger.Warn("health checks", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		if err := s.CheckDue(ctx, every); err != nil && ctx.Err() == nil {
			s.o.Logger.Warn("health checks", "err", err)
		}
	}
}
