package datasync

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxPagesPerCycle bounds one object's work in one poll, so every object
// gets its turn.
const maxPagesPerCycle = 25

// pollObject runs one object's part of a poll.
func (s *Service) pollObject(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, holding func() bool) error {
	st, err := s.state(ctx, c, ob.object)
	if err != nil {
		return err
	}
	if st.Backfill != nil && st.Backfill.State == BackfillRunning {
		return s.backfillPages(ctx, c, t, ob, &st, holding)
	}
	if err := s.changes(ctx, c, t, ob, &st, holding); err != nil {
		return err
	}
	return s.deletes(ctx, c, t, ob, &st)
}

// changes reads what changed since the cursor, page by page, and writes
// it. The window behind the cursor is read again (records saved in a
// transaction that committed late carry an older stamp), and what was
// already written there is skipped.
func (s *Service) changes(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, st *objectState, holding func() bool) error {
	fields := readFields(ob)
	from := Cursor{Modstamp: st.Cursor.Modstamp.Add(-s.o.Overlap)}
	switch {
	case st.Scan != nil:
		from = *st.Scan
	case st.Cursor.Modstamp.IsZero():
		from = Cursor{}
	}
	for range maxPagesPerCycle {
		recs, err := s.o.Source.Changed(ctx, c, ob.object, from, fields, ob.sync.Filter, s.o.PageSize)
		if err != nil {
			return err
		}
		var fresh []crossview.SFRecord
		marks := make([]seen, len(recs)) // before the write adds further Accounts
		for i, r := range recs {
			marks[i] = seen{MS: r.Modstamp.UnixMilli(), Sum: sum(r)}
			if st.Seen[r.ID] != marks[i] {
				fresh = append(fresh, r)
			}
		}
		if len(fresh) > 0 {
			if err := s.write(ctx, c, t, ob, fresh, "change"); err != nil {
				return err
			}
		}
		for i, r := range recs {
			if after(r, st.Cursor) {
				st.Cursor = Cursor{Modstamp: r.Modstamp, ID: r.ID}
			}
			if st.Seen == nil {
				st.Seen = map[string]seen{}
			}
			st.Seen[r.ID] = marks[i]
		}
		edge := st.Cursor.Modstamp.Add(-s.o.Overlap).UnixMilli()
		for id, m := range st.Seen {
			if m.MS < edge {
				delete(st.Seen, id)
			}
		}
		st.Scan = nil
		if len(recs) == s.o.PageSize {
			last := recs[len(recs)-1]
			from = Cursor{Modstamp: last.Modstamp, ID: last.ID}
			st.Scan = &from
		}
		if err := s.putState(ctx, c, ob.object, *st); err != nil {
			return err
		}
		if st.Scan == nil || !holding() {
			return nil
		}
	}
	return nil
}

// sum is a checksum of what a query read of a record (its fields and
// Account; not the further Accounts a write looks up). Two reads with the
// same stamp and sum are the same version.
func sum(r crossview.SFRecord) uint64 {
	h := fnv.New64a()
	b, _ := json.Marshal(r.Fields) // map keys in order: the same fields give the same bytes
	_, _ = h.Write(b)
	_, _ = h.Write([]byte("\x00" + r.AccountID))
	return h.Sum64()
}

// markSeen notes records written whose stamp is inside the window the
// next change poll reads again, so it does not write them twice.
func (s *Service) markSeen(st *objectState, recs []crossview.SFRecord) {
	edge := st.Cursor.Modstamp.Add(-s.o.Overlap)
	for _, r := range recs {
		if r.Modstamp.Before(edge) {
			continue
		}
		if st.Seen == nil {
			st.Seen = map[string]seen{}
		}
		st.Seen[r.ID] = seen{MS: r.Modstamp.UnixMilli(), Sum: sum(r)}
	}
}

// after reports whether r comes after the cursor in (SystemModstamp, Id)
// order.
func after(r crossview.SFRecord, c Cursor) bool {
	if !r.Modstamp.Equal(c.Modstamp) {
		return r.Modstamp.After(c.Modstamp)
	}
	return r.ID > c.ID
}

// deleteEvery is how often deletes are read: getDeleted works in whole
// minutes, and a delete waits at most this long.
const deleteEvery = 2 * time.Minute

// deletes reads what Salesforce deleted since the last look and applies
// the connection's delete rule.
func (s *Service) deletes(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, st *objectState) error {
	now := s.o.Now()
	if st.DeletedFrom.IsZero() {
		st.DeletedFrom = now
		return s.putState(ctx, c, ob.object, *st)
	}
	if now.Sub(st.DeletedFrom) < deleteEvery {
		return nil
	}
	gone, covered, err := s.o.Source.Deleted(ctx, c, ob.object, st.DeletedFrom, now)
	if resyncNeeded(err) {
		return s.resync(ctx, c, ob, st, err)
	}
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		if err := s.applyDeletes(ctx, c, t, ob.object, gone); err != nil {
			return err
		}
	}
	if covered.After(st.DeletedFrom) {
		st.DeletedFrom = covered
	}
	return s.putState(ctx, c, ob.object, *st)
}

// resyncNeeded reports whether err says deletes were lost to polling
// (getDeleted no longer covers the window): the Source's error says so
// by behaviour, so this package need not know Salesforce's.
func resyncNeeded(err error) bool {
	var r interface{ ResyncNeeded() bool }
	return errors.As(err, &r) && r.ResyncNeeded()
}

// resync restarts an object's backfill when its deletes since the last
// look are beyond reach: every record in scope is written again, and
// deletes are read from now on. Which records were deleted in between
// cannot be known, so their delete rule is not applied; the log says so.
func (s *Service) resync(ctx context.Context, c crossview.Connection, ob objectSync, st *objectState, cause error) error {
	from := st.DeletedFrom
	st.DeletedFrom = time.Time{}
	if err := s.putState(ctx, c, ob.object, *st); err != nil {
		return err
	}
	s.log(ctx, c, Entry{At: s.o.Now(), Object: ob.object, Why: "resync",
		Error: "Salesforce no longer lists the deletes since " + from.UTC().Format(time.RFC3339) +
			" (" + cause.Error() + "); every record in scope is brought across again, and deletes from before now are not applied"})
	s.o.Logger.Warn("data sync: deletes lost to polling; backfilling again", "connection", c.ID, "object", ob.object, "err", cause)
	return s.startBackfill(ctx, c, ob)
}

// readFields lists the fields a poll reads for an object: every mapped
// field (Id, SystemModstamp and AccountId come anyway).
func readFields(ob objectSync) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ob.sync.Mappings {
		if m.Salesforce != "" && !seen[m.Salesforce] {
			seen[m.Salesforce] = true
			out = append(out, m.Salesforce)
		}
	}
	if ob.object != objAccount && !seen["Email"] {
		out = append(out, "Email")
	}
	if ob.object == objAccount && !seen["Name"] {
		out = append(out, "Name")
	}
	return out
}
