package ticketsync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// job is one claimed ticket on its way to Salesforce.
type job struct {
	lease  queue.Lease
	id     int64
	state  TicketState
	known  bool // state was read from the store
	staged *staged
}

// syncOne syncs one live ticket: read it and its new comments from
// Zendesk, then write the Case and comments in one all-or-nothing request.
func (s *Service) syncOne(ctx context.Context, c crossview.Connection, l queue.Lease) {
	j, conn, t, ok := s.begin(ctx, c, l)
	if !ok {
		return
	}
	if s.heardNothingNew(j) {
		// A duplicate or late delivery of a version already synced.
		s.skipUnchanged(ctx, conn, j)
		return
	}
	read := s.o.Now()
	ticket, err := s.o.Source.Ticket(ctx, t, j.id)
	if err != nil {
		s.fail(ctx, conn, j, err)
		return
	}
	marker, err := s.marker(ctx, conn, j, ticket.Key())
	if err != nil {
		s.fail(ctx, conn, j, err)
		return
	}
	comments, err := s.o.Source.CommentsAfter(ctx, t, j.id, marker)
	if err != nil {
		s.fail(ctx, conn, j, err)
		return
	}
	w := buildWrite(conn, ticket, comments, marker)
	hash := writeHash(conn, w)
	if s.unchanged(j, w, hash) {
		s.finish(ctx, conn, j, w, read, hash, crossview.CaseWritten{CaseID: j.state.CaseID}, "unchanged")
		return
	}
	if j.lease, err = s.holdFor(ctx, j.lease); err != nil {
		return // another worker has it now and will verify the marker
	}
	written, err := s.o.Sink.Write(ctx, conn, w)
	if err != nil {
		s.fail(ctx, conn, j, err)
		return
	}
	s.finish(ctx, conn, j, w, read, hash, written, outcomeOf(written))
}

// begin loads what a claimed ticket's sync needs; false means the lease
// was already dealt with.
func (s *Service) begin(ctx context.Context, c crossview.Connection, l queue.Lease) (job, crossview.Connection, crossview.Tenant, bool) {
	j := job{lease: l}
	var err error
	if j.id, err = strconv.ParseInt(l.Key, 10, 64); err != nil || j.id <= 0 {
		s.o.Logger.Error("ticket sync: a queued key is not a ticket id", "connection", c.ID, "key", l.Key)
		s.bury(ctx, c, j, "Crossview queued a key that is not a ticket id.")
		return j, c, crossview.Tenant{}, false
	}
	conn, err := s.o.Store.Connection(ctx, c.ID)
	if err == nil && !conn.Active(crossview.FeatureTicketSync) {
		// Turned off (or disconnected) since the change was queued.
		s.complete(ctx, conn, j)
		return j, conn, crossview.Tenant{}, false
	}
	var t crossview.Tenant
	if err == nil {
		t, err = s.o.Store.Tenant(ctx, conn.Tenant)
	}
	if err == nil {
		j.state, j.known, err = s.State(ctx, conn, j.id)
	}
	if err != nil {
		s.retry(ctx, c, j, s.backoff(l.Attempt, 0), "Crossview could not read its store: "+err.Error())
		return j, c, t, false
	}
	j.state.TicketID = j.id
	return j, conn, t, true
}

// heardNothingNew reports whether every change queued for the ticket is
// one its Case already shows, so not even Zendesk need be asked.
func (s *Service) heardNothingNew(j job) bool {
	return j.lease.Stamp > 0 && j.staged == nil && j.known && !j.state.Dirty && j.lease.Attempt == 1 &&
		j.state.CaseID != "" && j.lease.Stamp <= covered(j.state.TicketUpdated, j.state.ReadAt)
}

func (s *Service) skipUnchanged(ctx context.Context, conn crossview.Connection, j job) {
	if j.staged != nil {
		_ = s.unstage(ctx, conn, j.id)
	}
	s.complete(ctx, conn, j)
	s.count("unchanged", 0)
}

// unchanged reports whether w would send exactly what the last write sent
// (the same ticket, settings and marker, no new comment).
func (s *Service) unchanged(j job, w crossview.CaseWrite, hash string) bool {
	return j.known && !j.state.Dirty && j.state.CaseID != "" && len(w.Comments) == 0 &&
		w.Marker == j.state.Marker && hash == j.state.Hash
}

// marker returns the comment marker to continue from. The copy kept here
// is trusted only when the last write's outcome is known; otherwise the
// Case itself is asked.
func (s *Service) marker(ctx context.Context, conn crossview.Connection, j job, key string) (int64, error) {
	if j.lease.Attempt == 1 && !j.state.Dirty {
		return j.state.Marker, nil
	}
	m, found, err := s.o.Sink.Marker(ctx, conn, key)
	if err != nil || !found {
		return 0, err
	}
	return m, nil
}

// holdFor makes sure the lease outlasts the write about to be made.
func (s *Service) holdFor(ctx context.Context, l queue.Lease) (queue.Lease, error) {
	if l.Until.Sub(s.o.Now()) > s.o.Lease/2 {
		return l, nil
	}
	return s.o.Queue.Extend(ctx, l, s.o.Lease)
}

// buildWrite picks the comments the connection syncs; the marker moves past
// every comment read, written or not.
func buildWrite(c crossview.Connection, t crossview.SyncTicket, comments []crossview.TicketComment, marker int64) crossview.CaseWrite {
	w := crossview.CaseWrite{Ticket: t, Marker: marker}
	for _, cm := range comments {
		if cm.ID <= marker {
			continue
		}
		w.Marker = max(w.Marker, cm.ID)
		switch c.TicketSync.Comments {
		case crossview.CommentsAll:
			w.Comments = append(w.Comments, cm)
		case crossview.CommentsPublic, "":
			if cm.Public {
				w.Comments = append(w.Comments, cm)
			}
		}
	}
	return w
}

func outcomeOf(w crossview.CaseWritten) string {
	if w.Created {
		return "created"
	}
	return "updated"
}

// finish records a successful sync and ends the lease. If the state
// cannot be saved the lease is retried instead, so the next try reads the
// Case's marker rather than trusting a stale copy.
func (s *Service) finish(ctx context.Context, conn crossview.Connection, j job, cw crossview.CaseWrite, read time.Time, hash string, w crossview.CaseWritten, outcome string) {
	now := s.o.Now()
	st := j.state
	st.CaseID = orDefault(w.CaseID, st.CaseID)
	st.Dirty, st.Marker, st.Hash = false, cw.Marker, hash
	st.TicketUpdated, st.ReadAt = cw.Ticket.UpdatedAt.UnixMilli(), read
	st.Synced, st.Error = now, ""
	switch {
	case outcome != "unchanged":
		st.Outcome = outcome
	case st.Outcome != "created" && st.Outcome != "updated":
		st.Outcome = "updated" // the Case already showed this version
	}
	if err := s.putState(ctx, conn, st); err != nil {
		s.retry(ctx, conn, j, s.backoff(j.lease.Attempt, 0), "Crossview could not save the sync state: "+err.Error())
		return
	}
	if err := s.unstage(ctx, conn, j.id); err != nil {
		s.o.Logger.Warn("ticket sync: dropping a staged ticket", "connection", conn.ID, "ticket", j.id, "err", err)
	}
	lag := now.Sub(j.lease.Queued)
	if outcome != "unchanged" {
		s.logEntry(ctx, conn, Entry{Ticket: j.id, Case: st.CaseID, Outcome: outcome, Changed: w.Changed,
			Comments: len(cw.Comments), Notes: w.Notes, Attempt: j.lease.Attempt, LagMS: lag.Milliseconds(), Backfill: j.staged != nil})
	}
	s.complete(ctx, conn, j)
	s.count(outcome, lag)
}

func (s *Service) complete(ctx context.Context, conn crossview.Connection, j job) {
	if err := s.o.Queue.Complete(ctx, j.lease); err != nil {
		lvl := "ticket sync: completing"
		if errors.Is(err, queue.ErrLeaseLost) {
			lvl = "ticket sync: the lease ran out before the sync finished; the next holder verifies the Case"
		}
		s.o.Logger.Warn(lvl, "connection", conn.ID, "ticket", j.id, "err", err)
	}
}

// fail decides what a failure means: retry later, pause the connection,
// dead-letter the ticket, or drop it.
func (s *Service) fail(ctx context.Context, conn crossview.Connection, j job, err error) {
	f := s.o.Classify(err)
	msg := orDefault(f.Message, crossview.ErrorMessage(err))
	now := s.o.Now()
	// A write that failed may have landed in part (a ticket with many
	// comments goes in several all-or-nothing steps): whatever comes next,
	// read the Case's marker before trusting the copy.
	j.state.Dirty = true
	switch f.Kind {
	case Gone:
		j.state.Outcome, j.state.Error, j.state.Synced = "deleted", "", now
		_ = s.putState(ctx, conn, j.state)
		_ = s.unstage(ctx, conn, j.id)
		s.logEntry(ctx, conn, Entry{Ticket: j.id, Case: j.state.CaseID, Outcome: "skipped", Error: "The ticket was deleted in Zendesk; its Case is left as it was."})
		s.complete(ctx, conn, j)
		s.count("skipped", 0)
	case Unauthorized:
		until := now.Add(5 * time.Minute)
		s.pauseFor(conn.ID, until, "stopped: "+msg)
		s.retry(ctx, conn, j, until.Sub(now), msg)
	case RateLimited:
		wait := max(f.RetryAfter, 30*time.Second)
		s.pauseFor(conn.ID, now.Add(wait), "paused: "+msg)
		s.retry(ctx, conn, j, wait, msg)
	case Permanent:
		s.bury(ctx, conn, j, msg)
	default:
		if j.lease.Attempt >= s.o.MaxAttempts {
			s.bury(ctx, conn, j, "gave up after "+strconv.Itoa(j.lease.Attempt)+" attempts: "+msg)
			return
		}
		s.retry(ctx, conn, j, s.backoff(j.lease.Attempt, f.RetryAfter), msg)
	}
}

func (s *Service) retry(ctx context.Context, conn crossview.Connection, j job, wait time.Duration, reason string) {
	if err := s.o.Queue.Retry(ctx, j.lease, s.o.Now().Add(wait), reason); err != nil {
		s.o.Logger.Warn("ticket sync: scheduling a retry", "connection", conn.ID, "ticket", j.id, "err", err)
	}
	if j.known || j.id > 0 {
		j.state.Outcome, j.state.Error = "retrying", reason
		if err := s.putState(ctx, conn, j.state); err != nil {
			s.o.Logger.Warn("ticket sync: saving state", "connection", conn.ID, "ticket", j.id, "err", err)
		}
	}
	s.logEntry(ctx, conn, Entry{Ticket: j.id, Case: j.state.CaseID, Outcome: "retrying", Error: reason, Attempt: j.lease.Attempt,
		RetryIn: wait.Round(time.Second).String()})
	s.count("retried", 0)
}

func (s *Service) bury(ctx context.Context, conn crossview.Connection, j job, reason string) {
	if err := s.o.Queue.Bury(ctx, j.lease, reason); err != nil {
		s.o.Logger.Warn("ticket sync: dead-lettering", "connection", conn.ID, "ticket", j.id, "err", err)
	}
	if j.id > 0 {
		j.state.Outcome, j.state.Error, j.state.Synced = "failed", reason, s.o.Now()
		if err := s.putState(ctx, conn, j.state); err != nil {
			s.o.Logger.Warn("ticket sync: saving state", "connection", conn.ID, "ticket", j.id, "err", err)
		}
		// A replay reads the ticket afresh from Zendesk; a backfill waiting
		// for its staged tickets is not held up by one in the dead letters.
		if err := s.unstage(ctx, conn, j.id); err != nil {
			s.o.Logger.Warn("ticket sync: dropping a staged ticket", "connection", conn.ID, "ticket", j.id, "err", err)
		}
	}
	s.logEntry(ctx, conn, Entry{Ticket: j.id, Case: j.state.CaseID, Outcome: "failed", Error: reason, Attempt: j.lease.Attempt})
	s.count("dead", 0)
}

func (s *Service) count(outcome string, lag time.Duration) {
	if s.o.Metrics != nil {
		s.o.Metrics.TicketSynced(outcome, lag)
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeHash identifies a write's content: the ticket as read, the
// connection's sync settings and the marker.
func writeHash(c crossview.Connection, w crossview.CaseWrite) string {
	b, _ := json.Marshal(struct {
		T crossview.SyncTicket
		S crossview.TicketSyncSettings
		M int64
	}{w.Ticket, c.TicketSync, w.Marker})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}
