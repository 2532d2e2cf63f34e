package ticketsync

import (
	"context"
	"encoding/json"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Entry is one line of a connection's sync log: which ticket, which Case,
// what happened and why.
type Entry struct {
	At       time.Time `json:"at"`
	Ticket   int64     `json:"ticket"`
	Case     string    `json:"case,omitempty"`
	Outcome  string    `json:"outcome"` // created, updated, retrying, failed, skipped, replayed
	Changed  []string  `json:"changed,omitempty"`
	Comments int       `json:"comments,omitempty"`
	Notes    []string  `json:"notes,omitempty"`
	Error    string    `json:"error,omitempty"`
	Attempt  int       `json:"attempt,omitempty"`
	RetryIn  string    `json:"retry_in,omitempty"`
	LagMS    int64     `json:"lag_ms,omitempty"`
	Backfill bool      `json:"backfill,omitempty"`
	Actor    string    `json:"actor,omitempty"` // who asked (a replay)
}

// logEntry appends to the connection's sync log; a failure to log is
// logged, never fatal to the sync.
func (s *Service) logEntry(ctx context.Context, conn crossview.Connection, e Entry) {
	if s.o.Log == nil {
		return
	}
	e.At = s.o.Now()
	b, err := json.Marshal(e)
	if err == nil {
		err = s.o.Log.Append(ctx, conn.ID, e.At, b)
	}
	if err != nil {
		s.o.Logger.Warn("ticket sync: writing the sync log", "connection", conn.ID, "ticket", e.Ticket, "err", err)
	}
}

// History lists a connection's sync log, newest first: limit entries older
// than before (zero for the newest).
func (s *Service) History(ctx context.Context, conn crossview.Connection, before time.Time, limit int) ([]Entry, error) {
	raw, err := s.o.Log.Recent(ctx, conn.ID, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(raw))
	for _, r := range raw {
		var e Entry
		if err := json.Unmarshal(r.Entry, &e); err != nil {
			continue // an entry from a future version; skip it
		}
		out = append(out, e)
	}
	return out, nil
}

// pruneLogs drops entries older than the retention from every syncing
// connection's log.
func (s *Service) pruneLogs(ctx context.Context, conns []crossview.Connection) {
	cutoff := s.o.Now().Add(-s.o.LogRetention)
	for _, c := range conns {
		if _, err := s.o.Log.Prune(ctx, c.ID, cutoff); err != nil {
			s.o.Logger.Warn("ticket sync: pruning the sync log", "connection", c.ID, "err", err)
		}
	}
}
