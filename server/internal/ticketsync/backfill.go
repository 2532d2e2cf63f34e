package ticketsync

import (
	"context"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// Backfill states.
const (
	BackfillRunning   = "running"   // reading the export and staging tickets
	BackfillExported  = "exported"  // every ticket staged; workers are writing them
	BackfillDone      = "done"      // every staged ticket reached Salesforce
	BackfillFailed    = "failed"    // stopped on an error (see Error); start it again to resume
	BackfillCancelled = "cancelled" // ticket sync was turned off
)

// Progress is a backfill's persisted state: where the export resumes after
// a crash, and what the admin pages show.
type Progress struct {
	State string    `json:"state"`
	Days  int       `json:"days"`
	Since time.Time `json:"since"`
	// Cursor continues the ticket export; CommentsFrom the comment events.
	Cursor       string    `json:"cursor,omitempty"`
	CommentsFrom time.Time `json:"comments_from"`
	CommentsEnd  bool      `json:"comments_end,omitempty"`
	// Reached is the updated_at of the last ticket exported: how far
	// through the window the export is.
	Reached    time.Time `json:"reached"`
	Exported   int       `json:"exported"`
	StartedAt  time.Time `json:"started_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	FinishedAt time.Time `json:"finished_at"`
	// NotBefore holds the export back until Zendesk exports the minute
	// before the backfill started (see exportTail).
	NotBefore time.Time `json:"not_before,omitzero"`
	Error     string    `json:"error,omitempty"`
	// Filled in by BackfillProgress, not stored.
	Synced  int           `json:"-"`
	Total   int           `json:"-"`
	Percent int           `json:"-"`
	Rate    float64       `json:"-"` // tickets a second
	ETA     time.Duration `json:"-"`
}

func metaBackfill(connID string) string { return "backfill/" + connID }

// exportTail is how long after a backfill starts its export can be called
// complete: Zendesk's incremental export never returns the most recent
// minute, so a ticket changed just before sync was turned on (too early
// for the trigger) shows in the export only then.
const exportTail = time.Minute + skew

// StartBackfill brings the last days of tickets (closed ones too) across,
// resuming a failed or cancelled run's export rather than starting over
// when the window is the same.
func (s *Service) StartBackfill(ctx context.Context, c crossview.Connection, days int) (Progress, error) {
	if days < 1 || days > 365 {
		return Progress{}, crossview.Errorf(crossview.EINVALID, "A backfill reaches between 1 and 365 days back.")
	}
	now := s.o.Now()
	p := Progress{State: BackfillRunning, Days: days, Since: now.Add(-time.Duration(days) * 24 * time.Hour), StartedAt: now, UpdatedAt: now}
	p.CommentsFrom = p.Since
	if err := s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p); err != nil {
		return p, err
	}
	s.setBackfilling(c.ID, true)
	return p, nil
}

// BackfillProgress returns a connection's backfill with its counts, rate
// and ETA (ok false when none ever ran).
func (s *Service) BackfillProgress(ctx context.Context, c crossview.Connection) (Progress, bool, error) {
	var p Progress
	ok, err := s.getJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), &p)
	if err != nil || !ok {
		return p, ok, err
	}
	left, err := s.o.Records.Count(ctx, c.Tenant, tableStage+c.ID)
	if err != nil {
		return p, true, err
	}
	p.Synced = max(p.Exported-left, 0)
	now := s.o.Now()
	switch p.State {
	case BackfillRunning:
		// The export runs in updated_at order: how far it reached through
		// the window estimates how much is left.
		p.Total = p.Exported
		if span, done := now.Sub(p.Since), p.Reached.Sub(p.Since); done > 0 && span > 0 && p.Exported > 0 {
			p.Total = max(p.Exported, int(float64(p.Exported)*float64(span)/float64(done)))
		}
	default:
		p.Total = p.Exported
	}
	if p.State == BackfillDone {
		p.Synced = p.Exported
	}
	if p.Total > 0 {
		p.Percent = min(100, p.Synced*100/p.Total)
	} else if p.State == BackfillDone {
		p.Percent = 100
	}
	end := now
	if !p.FinishedAt.IsZero() {
		end = p.FinishedAt
	}
	if el := end.Sub(p.StartedAt).Seconds(); el > 0 {
		p.Rate = float64(p.Synced) / el
	}
	if p.Rate > 0 && p.Total > p.Synced {
		p.ETA = time.Duration(float64(p.Total-p.Synced) / p.Rate * float64(time.Second))
	}
	return p, true, nil
}

func (s *Service) setBackfilling(connID string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.filling == nil {
		s.filling = map[string]bool{}
	}
	s.filling[connID] = on
}

// backfilling reports whether a backfill of c is under way (as this
// process last saw it).
func (s *Service) backfilling(c crossview.Connection) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.filling[c.ID]
}

// RunBackfills drives every connection's backfill, one replica per
// connection at a time, until ctx ends.
func (s *Service) RunBackfills(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		conns, err := s.syncing(ctx)
		if err == nil {
			for _, c := range conns {
				s.driveBackfill(ctx, c)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// backfillGather is how long staged tickets wait to come due together.
const backfillGather = 2 * time.Second

// backfillLease is how long a replica holds a connection's backfill
// between pages.
const backfillLease = 2 * time.Minute

func (s *Service) driveBackfill(ctx context.Context, c crossview.Connection) {
	var p Progress
	ok, err := s.getJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), &p)
	if err != nil || !ok {
		s.setBackfilling(c.ID, false)
		return
	}
	active := p.State == BackfillRunning || p.State == BackfillExported
	s.setBackfilling(c.ID, active)
	if !active || s.waitingForTail(p) {
		return
	}
	hold, got, err := s.o.Leases.Acquire(ctx, "ts-backfill:"+c.ID, s.o.Worker, backfillLease)
	if err != nil || !got {
		return
	}
	defer func() { _ = s.o.Leases.Release(context.WithoutCancel(ctx), hold) }()
	if p.State == BackfillExported {
		s.finishBackfill(ctx, c, p)
		return
	}
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return
	}
	for p.State == BackfillRunning && !s.waitingForTail(p) {
		if err := s.backfillPage(ctx, c, t, &p); err != nil {
			f := s.o.Classify(err)
			if f.Kind == Transient || f.Kind == RateLimited {
				// Resumes from the saved cursor on the next round.
				s.o.Logger.Info("ticket sync: backfill waits", "connection", c.ID, "err", err)
				time.Sleep(min(max(f.RetryAfter, time.Second), 10*time.Second))
				return
			}
			p.State, p.Error, p.UpdatedAt = BackfillFailed, orDefault(f.Message, crossview.ErrorMessage(err)), s.o.Now()
			_ = s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p)
			s.setBackfilling(c.ID, false)
			return
		}
		if hold, err = s.o.Leases.Renew(ctx, hold, backfillLease); err != nil {
			return // another replica took over; it resumes from the cursor
		}
	}
}

// waitingForTail reports whether a running backfill has read the export to
// its end and waits for its last minute.
func (s *Service) waitingForTail(p Progress) bool {
	return p.State == BackfillRunning && s.o.Now().Before(p.NotBefore)
}

// backfillPage exports one page of tickets, reads comment events far
// enough to cover them, stages each ticket with its comments and queues it.
// Progress is saved after each step, so a crash repeats at most one page,
// and a repeated page stages the same snapshots again: nothing doubles.
func (s *Service) backfillPage(ctx context.Context, c crossview.Connection, t crossview.Tenant, p *Progress) error {
	page, err := s.o.Source.ExportTickets(ctx, t, p.Cursor, p.Since)
	if err != nil {
		return err
	}
	var reach time.Time
	for _, tk := range page.Tickets {
		if tk.UpdatedAt.After(reach) {
			reach = tk.UpdatedAt
		}
	}
	// Every comment of a ticket is no newer than the ticket's updated_at.
	for !p.CommentsEnd && !p.CommentsFrom.After(reach) && len(page.Tickets) > 0 {
		cp, err := s.o.Source.ExportComments(ctx, t, p.CommentsFrom)
		if err != nil {
			return err
		}
		for id, cms := range cp.Comments {
			if err := s.holdComments(ctx, c, id, cms); err != nil {
				return err
			}
		}
		p.CommentsEnd = cp.End
		if cp.Next.After(p.CommentsFrom) {
			p.CommentsFrom = cp.Next
		} else if !cp.End {
			p.CommentsEnd = true // the export did not move: do not loop
		}
		if err := s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p); err != nil {
			return err
		}
	}
	now := s.o.Now()
	// Staged tickets come due together a moment later, so workers claim
	// them in full batches (sObject Collections take 200) rather than in
	// the dribs this loop queues them.
	due := now.Add(backfillGather)
	for _, tk := range page.Tickets {
		if tk.Deleted {
			continue
		}
		var cms []crossview.TicketComment
		if _, err := s.getJSON(ctx, c.Tenant, tableComments+c.ID, strconv.FormatInt(tk.ID, 10), &cms); err != nil {
			return err
		}
		if err := s.putJSON(ctx, c.Tenant, tableStage+c.ID, strconv.FormatInt(tk.ID, 10), staged{Ticket: tk, Read: now, Comments: cms}); err != nil {
			return err
		}
		if err := s.o.Records.Delete(ctx, c.Tenant, tableComments+c.ID, strconv.FormatInt(tk.ID, 10)); err != nil {
			return err
		}
		if err := s.o.Queue.Enqueue(ctx, c.ID, queueKey(tk.ID), due, min(tk.UpdatedAt.UnixMilli(), queue.MaxStamp)); err != nil {
			return err
		}
	}
	s.poke()
	p.Exported += len(page.Tickets)
	if reach.After(p.Reached) {
		p.Reached = reach
	}
	if page.Cursor != "" {
		p.Cursor = page.Cursor
	}
	if page.End {
		if tail := p.StartedAt.Add(exportTail); s.o.Now().Before(tail) {
			// Read once more then, from the cursors: the comment events
			// export holds back its most recent minute too.
			p.NotBefore, p.CommentsEnd = tail, false
		} else {
			p.State = BackfillExported
		}
	}
	p.UpdatedAt = s.o.Now()
	return s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p)
}

// holdComments keeps comment events that arrive before their ticket's
// page, merged by comment id.
func (s *Service) holdComments(ctx context.Context, c crossview.Connection, ticketID int64, cms []crossview.TicketComment) error {
	key := strconv.FormatInt(ticketID, 10)
	var held []crossview.TicketComment
	if _, err := s.getJSON(ctx, c.Tenant, tableComments+c.ID, key, &held); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for _, h := range held {
		seen[h.ID] = true
	}
	for _, cm := range cms {
		if !seen[cm.ID] {
			held = append(held, cm)
			seen[cm.ID] = true
		}
	}
	sortComments(held)
	return s.putJSON(ctx, c.Tenant, tableComments+c.ID, key, held)
}

// finishBackfill marks a backfill done once workers wrote every staged
// ticket.
func (s *Service) finishBackfill(ctx context.Context, c crossview.Connection, p Progress) {
	left, err := s.o.Records.Count(ctx, c.Tenant, tableStage+c.ID)
	if err != nil || left > 0 {
		return
	}
	now := s.o.Now()
	p.State, p.FinishedAt, p.UpdatedAt = BackfillDone, now, now
	if err := s.putJSON(ctx, c.Tenant, tableMeta, metaBackfill(c.ID), p); err == nil {
		s.setBackfilling(c.ID, false)
		s.logEntry(ctx, c, Entry{Outcome: "backfilled", Comments: 0, Notes: []string{strconv.Itoa(p.Exported) + " tickets of the last " + strconv.Itoa(p.Days) + " days"}})
	}
}
