package ticketsync

import (
	"context"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// reconcileCursor is where a tenant's reconciliation resumes.
type reconcileCursor struct {
	Cursor string    `json:"cursor,omitempty"`
	Start  time.Time `json:"start"`
}

const metaReconcile = "reconcile"

// RunReconcile reads every syncing tenant's incremental ticket export every
// Reconcile interval, from a persisted cursor, and queues each ticket whose
// change never reached its Case: the safety net under the webhooks.
func (s *Service) RunReconcile(ctx context.Context) {
	tick := time.NewTicker(s.o.Reconcile)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.ReconcileAll(ctx); err != nil {
			s.o.Logger.Warn("ticket sync: reconciliation", "err", err)
		}
	}
}

// ReconcileAll runs one reconciliation of every syncing tenant that no
// other replica is reconciling, and prunes the sync logs.
func (s *Service) ReconcileAll(ctx context.Context) error {
	conns, err := s.syncing(ctx)
	if err != nil {
		return err
	}
	s.pruneLogs(ctx, conns)
	byTenant := map[string][]crossview.Connection{}
	for _, c := range conns {
		byTenant[c.Tenant] = append(byTenant[c.Tenant], c)
	}
	for sub, cs := range byTenant {
		if err := s.reconcileTenant(ctx, sub, cs); err != nil {
			s.o.Logger.Warn("ticket sync: reconciling", "tenant", sub, "err", err)
		}
	}
	return nil
}

func (s *Service) reconcileTenant(ctx context.Context, sub string, conns []crossview.Connection) error {
	// The export shares one small rate limit per account with backfills:
	// let a backfill have it.
	for _, c := range conns {
		if s.backfilling(c) {
			return nil
		}
	}
	hold, ok, err := s.o.Leases.Acquire(ctx, "ts-reconcile:"+sub, s.o.Worker, 2*s.o.Reconcile+time.Minute)
	if err != nil || !ok {
		return err
	}
	defer func() { _ = s.o.Leases.Release(context.WithoutCancel(ctx), hold) }()
	t, err := s.o.Store.Tenant(ctx, sub)
	if err != nil {
		return err
	}
	var cur reconcileCursor
	if _, err := s.getJSON(ctx, sub, tableMeta, metaReconcile, &cur); err != nil {
		return err
	}
	if cur.Cursor == "" && cur.Start.IsZero() {
		// Zendesk refuses a start less than a minute old.
		cur.Start = s.o.Now().Add(-5 * time.Minute)
	}
	missed := 0
	for range 50 { // at most 50 pages a run; the rest waits for the next
		page, err := s.o.Source.ExportTickets(ctx, t, cur.Cursor, cur.Start)
		if err != nil {
			return err
		}
		for _, tk := range page.Tickets {
			for _, c := range conns {
				n, err := s.requeueIfMissed(ctx, c, tk)
				if err != nil {
					return err
				}
				missed += n
			}
		}
		if page.Cursor != "" {
			cur.Cursor = page.Cursor
		}
		if err := s.putJSON(ctx, sub, tableMeta, metaReconcile, cur); err != nil {
			return err
		}
		if page.End {
			break
		}
		if hold, err = s.o.Leases.Renew(ctx, hold, 2*s.o.Reconcile+time.Minute); err != nil {
			return err
		}
	}
	if missed > 0 {
		s.o.Logger.Info("ticket sync: reconciliation queued changes the webhooks missed", "tenant", sub, "tickets", missed)
		s.poke()
	}
	return nil
}

// requeueIfMissed queues a ticket whose latest version its Case does not
// show. With a trigger filter, only tickets that synced before are known to
// be in scope; new ones are left to the trigger.
func (s *Service) requeueIfMissed(ctx context.Context, c crossview.Connection, tk crossview.SyncTicket) (int, error) {
	if tk.Deleted {
		return 0, nil
	}
	st, known, err := s.State(ctx, c, tk.ID)
	if err != nil {
		return 0, err
	}
	if known && !st.Dirty && covered(st.TicketUpdated, st.ReadAt) >= tk.UpdatedAt.UnixMilli() {
		return 0, nil
	}
	if !known && len(c.TicketSync.Conditions) > 0 {
		return 0, nil
	}
	stamp := min(tk.UpdatedAt.UnixMilli(), queue.MaxStamp)
	if err := s.o.Queue.Enqueue(ctx, c.ID, queueKey(tk.ID), s.o.Now(), stamp); err != nil {
		return 0, err
	}
	return 1, nil
}
