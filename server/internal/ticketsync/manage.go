package ticketsync

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// Enable turns ticket sync on for a connection: it checks the org can take
// synced Cases (refusing with the named problems if not), creates the
// Zendesk webhook and trigger, and starts the backfill. The connection is
// saved with the feature on and returned.
func (s *Service) Enable(ctx context.Context, c crossview.Connection) (crossview.Connection, error) {
	if c.Status != crossview.StatusActive {
		return c, crossview.Errorf(crossview.ECONFLICT, "Reconnect this org before turning ticket sync on.")
	}
	if err := c.TicketSync.Validate(); err != nil {
		return c, err
	}
	problems, err := s.o.Sink.Check(ctx, c)
	if err != nil {
		return c, err
	}
	// A warning (display fields missing, say) does not stop sync: Cases
	// sync without them, and health keeps naming it.
	if blocking := blockingOf(problems); len(blocking) > 0 {
		return c, refusal(blocking)
	}
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return c, err
	}
	hook, err := s.o.Hooks.Provision(ctx, t, c, s.Endpoint(c))
	if err != nil {
		return c, err
	}
	if err := s.saveHook(ctx, t, &c, hook); err != nil {
		_ = s.o.Hooks.Remove(context.WithoutCancel(ctx), t, hook)
		return c, err
	}
	// Reconciliation starts from now; the backfill covers the past.
	var cur reconcileCursor
	if ok, err := s.getJSON(ctx, c.Tenant, tableMeta, metaReconcile, &cur); err == nil && !ok {
		_ = s.putJSON(ctx, c.Tenant, tableMeta, metaReconcile, reconcileCursor{Start: s.o.Now().Add(-5 * time.Minute)})
	}
	if c.TicketSync.BackfillDays > 0 {
		if _, err := s.StartBackfill(ctx, c, c.TicketSync.BackfillDays); err != nil {
			return c, err
		}
	}
	s.forgetConnections()
	s.poke()
	return c, nil
}

func blockingOf(problems []crossview.HealthProblem) []crossview.HealthProblem {
	var out []crossview.HealthProblem
	for _, p := range problems {
		if p.Blocking {
			out = append(out, p)
		}
	}
	return out
}

// refusal words the problems that stop sync from being turned on.
func refusal(problems []crossview.HealthProblem) error {
	parts := make([]string, 0, len(problems))
	for _, p := range problems {
		parts = append(parts, strings.TrimSuffix(p.Title, ".")+": "+p.Fix)
	}
	return crossview.Errorf(crossview.ECONFLICT, "Ticket sync cannot start: %s.", strings.Join(parts, "; "))
}

// saveHook stores what Provision or Repair made: the secret sealed with the
// tenant, the ids and the feature flag on the connection.
func (s *Service) saveHook(ctx context.Context, t crossview.Tenant, c *crossview.Connection, hook crossview.SyncHook) error {
	if hook.Secret != "" {
		secrets := map[string]string{}
		for k, v := range t.SyncWebhookSecrets {
			secrets[k] = v
		}
		secrets[c.ID] = hook.Secret
		t.SyncWebhookSecrets = secrets
		if err := s.o.Store.PutTenant(ctx, t); err != nil {
			return err
		}
	}
	c.TicketSync.WebhookID, c.TicketSync.TriggerID = hook.WebhookID, hook.TriggerID
	if c.Features == nil {
		c.Features = map[crossview.Feature]bool{}
	}
	c.Features[crossview.FeatureTicketSync] = true
	c.UpdatedAt = s.o.Now()
	return s.o.Store.PutConnection(ctx, *c)
}

// Disable turns ticket sync off: the trigger and webhook are removed from
// Zendesk, queued work is dropped (dead letters too) and a backfill stops.
// Turning it on again starts afresh. The connection is saved and returned.
func (s *Service) Disable(ctx context.Context, c crossview.Connection) (crossview.Connection, error) {
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return c, err
	}
	hook := crossview.SyncHook{WebhookID: c.TicketSync.WebhookID, TriggerID: c.TicketSync.TriggerID}
	if hook.WebhookID != "" || hook.TriggerID != 0 {
		if err := s.o.Hooks.Remove(ctx, t, hook); err != nil {
			return c, err
		}
	}
	if _, ok := t.SyncWebhookSecrets[c.ID]; ok {
		secrets := map[string]string{}
		for k, v := range t.SyncWebhookSecrets {
			if k != c.ID {
				secrets[k] = v
			}
		}
		t.SyncWebhookSecrets = secrets
		if err := s.o.Store.PutTenant(ctx, t); err != nil {
			return c, err
		}
	}
	c.TicketSync.WebhookID, c.TicketSync.TriggerID = "", 0
	if c.Features != nil {
		c.Features[crossview.FeatureTicketSync] = false
	}
	c.UpdatedAt = s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	var p Progress
	if ok, _ := s.getJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), &p); ok && (p.State == BackfillRunning || p.State == BackfillExported) {
		p.State, p.UpdatedAt = BackfillCancelled, s.o.Now()
		_ = s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p)
	}
	s.setBackfilling(c.ID, false)
	if err := s.o.Queue.Drop(ctx, c.ID); err != nil {
		s.o.Logger.Warn("ticket sync: dropping the queue", "connection", c.ID, "err", err)
	}
	s.forgetConnections()
	return c, nil
}

// Repair puts the trigger and webhook back as Enable made them.
func (s *Service) Repair(ctx context.Context, c crossview.Connection) (crossview.Connection, error) {
	if !c.Active(crossview.FeatureTicketSync) {
		return c, crossview.Errorf(crossview.ECONFLICT, "Ticket sync is off for this connection; turn it on instead.")
	}
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return c, err
	}
	hook := crossview.SyncHook{WebhookID: c.TicketSync.WebhookID, TriggerID: c.TicketSync.TriggerID, Secret: t.SyncWebhookSecrets[c.ID]}
	fixed, err := s.o.Hooks.Repair(ctx, t, c, hook, s.Endpoint(c))
	if err != nil {
		return c, err
	}
	if fixed.Secret == hook.Secret {
		fixed.Secret = "" // unchanged: nothing to save
	}
	return c, s.saveHook(ctx, t, &c, fixed)
}

// Problems checks a syncing connection: the org's Case fields and the
// Zendesk trigger and webhook. For the health check.
func (s *Service) Problems(ctx context.Context, c crossview.Connection) ([]crossview.HealthProblem, error) {
	if !c.Active(crossview.FeatureTicketSync) {
		return nil, nil
	}
	problems, err := s.o.Sink.Check(ctx, c)
	if err != nil {
		return nil, err
	}
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return nil, err
	}
	hook := crossview.SyncHook{WebhookID: c.TicketSync.WebhookID, TriggerID: c.TicketSync.TriggerID, Secret: t.SyncWebhookSecrets[c.ID]}
	hp, err := s.o.Hooks.Inspect(ctx, t, c, hook, s.Endpoint(c))
	if err != nil {
		return nil, err
	}
	return append(problems, hp...), nil
}

// Status is what the admin pages and `admin sync status` show.
type Status struct {
	On     bool
	Paused string // why the connection's sync waits, if it does
	Queue  queue.Stats
	// Lag is how long the oldest waiting change has waited.
	Lag         time.Duration
	DeadLetters []queue.DeadLetter
	Backfill    *Progress
}

// Status reports a connection's sync.
func (s *Service) Status(ctx context.Context, c crossview.Connection) (Status, error) {
	st := Status{On: c.Active(crossview.FeatureTicketSync)}
	if p, ok := s.pausedFor(c.ID); ok {
		st.Paused = p.reason
	} else if reason, over := s.overAllowance(c); over && st.On {
		st.Paused = reason
	}
	var err error
	if st.Queue, err = s.o.Queue.Stats(ctx, c.ID); err != nil {
		return st, err
	}
	if !st.Queue.OldestQueued.IsZero() {
		st.Lag = s.o.Now().Sub(st.Queue.OldestQueued)
	}
	if st.DeadLetters, err = s.o.Queue.DeadLetters(ctx, c.ID, 100); err != nil {
		return st, err
	}
	p, ok, err := s.BackfillProgress(ctx, c)
	if err != nil {
		return st, err
	}
	if ok {
		st.Backfill = &p
	}
	if s.o.Metrics != nil {
		s.o.Metrics.SyncQueue(c.ID, st.Queue.Waiting, st.Queue.Leased, st.Queue.Dead)
	}
	return st, nil
}

// Replay queues one dead-lettered ticket again, after the admin fixed the
// cause.
func (s *Service) Replay(ctx context.Context, c crossview.Connection, ticketID int64, actor string) error {
	err := s.o.Queue.Replay(ctx, c.ID, queueKey(ticketID))
	if errors.Is(err, queue.ErrNotBuried) {
		return crossview.Errorf(crossview.ENOTFOUND, "Ticket %d is not waiting in the dead letters.", ticketID)
	}
	if err != nil {
		return err
	}
	s.logEntry(ctx, c, Entry{Ticket: ticketID, Outcome: "replayed", Actor: actor})
	s.poke()
	return nil
}

// ReplayAll queues every dead-lettered ticket again and says how many.
func (s *Service) ReplayAll(ctx context.Context, c crossview.Connection, actor string) (int, error) {
	n, err := s.o.Queue.ReplayAll(ctx, c.ID)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.logEntry(ctx, c, Entry{Outcome: "replayed", Actor: actor, Notes: []string{strconv.Itoa(n) + " tickets"}})
		s.poke()
	}
	return n, nil
}
