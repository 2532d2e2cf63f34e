package datasync

import (
	"context"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Backfill states.
const (
	BackfillRunning = "running"
	BackfillDone    = "done"
	BackfillFailed  = "failed"
)

// startBackfill sets an object to be brought across from the start: its
// count for progress, its change cursor at now (less the overlap) so what
// changes during the backfill follows it.
func (s *Service) startBackfill(ctx context.Context, c crossview.Connection, ob objectSync) error {
	total, err := s.o.Source.Count(ctx, c, ob.object, ob.sync.Filter)
	if err != nil {
		return err
	}
	now := s.o.Now()
	st, err := s.state(ctx, c, ob.object)
	if err != nil {
		return err
	}
	st.Backfill = &Backfill{State: BackfillRunning, Total: total, StartedAt: now}
	st.Cursor = Cursor{Modstamp: now.Add(-s.o.Overlap)}
	st.Seen, st.Scan = nil, nil
	if st.DeletedFrom.IsZero() {
		st.DeletedFrom = now
	}
	st.Gen++ // a poll working from the state before this one saves nothing over it
	return s.putJSON(ctx, c.Tenant, tableState+c.ID, ob.object, st)
}

// backfillPages writes pages of records by Id from the backfill's cursor,
// which is saved after each batch of a page is in Zendesk: a crash repeats
// at most the batch under way, repeating it only updates what it created,
// and the progress moves batch by batch.
func (s *Service) backfillPages(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, st *objectState, holding func() bool) error {
	bf := st.Backfill
	fields := readFields(ob)
	for range maxPagesPerCycle {
		recs, err := s.o.Source.Page(ctx, c, ob.object, bf.AfterID, fields, ob.sync.Filter, s.o.PageSize)
		if err != nil {
			f := s.o.Classify(err)
			if f.Kind == permanent {
				bf.State, bf.Error = BackfillFailed, orDefault(f.Message, err.Error())
				return s.putState(ctx, c, ob.object, *st)
			}
			return err
		}
		if len(recs) > 0 {
			before, err := s.o.Records.Count(ctx, c.Tenant, tableErrors+c.ID)
			if err != nil {
				return err
			}
			err = s.writeEach(ctx, c, t, ob, recs, "backfill", func(part []crossview.SFRecord) error {
				after, err := s.o.Records.Count(ctx, c.Tenant, tableErrors+c.ID)
				if err != nil {
					return err
				}
				bf.AfterID = part[len(part)-1].ID
				bf.Done += len(part)
				s.markSeen(st, part)
				bf.Failed, before = max(0, bf.Failed+after-before), after
				bf.Total = max(bf.Total, bf.Done)
				return s.putState(ctx, c, ob.object, *st)
			})
			if err != nil {
				return err
			}
		}
		if len(recs) < s.o.PageSize {
			bf.State, bf.FinishedAt = BackfillDone, s.o.Now()
			bf.Total = bf.Done
		}
		if err := s.putState(ctx, c, ob.object, *st); err != nil {
			return err
		}
		if bf.State != BackfillRunning || !holding() {
			return nil
		}
	}
	return nil
}

// Progress is a backfill's progress as the admin pages show it.
type Progress struct {
	Object string
	Backfill
	Percent int
	Rate    float64 // records a second
	ETA     time.Duration
}

func (s *Service) progress(object string, bf *Backfill) Progress {
	p := Progress{Object: object, Backfill: *bf}
	if bf.Total > 0 {
		p.Percent = min(100, bf.Done*100/bf.Total)
	}
	if bf.State == BackfillDone {
		p.Percent = 100
	}
	end := s.o.Now()
	if !bf.FinishedAt.IsZero() {
		end = bf.FinishedAt
	}
	if el := end.Sub(bf.StartedAt).Seconds(); el > 0 {
		p.Rate = float64(bf.Done) / el
	}
	if p.Rate > 0 && bf.Total > bf.Done && bf.State == BackfillRunning {
		p.ETA = time.Duration(float64(bf.Total-bf.Done) / p.Rate * float64(time.Second))
	}
	return p
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
