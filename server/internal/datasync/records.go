package datasync

import (
	"context"
	"errors"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// Tables, in the tenant's partition.
const (
	tableState  = "ds_state/"  // + connection id: object → objectState
	tableErrors = "ds_errors/" // + connection id: object/id → RecordError
	tableLinks  = "ds_links/"  // + connection id: contact id → its Account ids (for unlink)
	tableOwners = "ds_owner"   // lower-case email → its claim (claims.go)
)

// objectState is where one object's sync stands: the change cursor, the
// records already written inside the overlap window, the deletes cursor
// and the backfill.
type objectState struct {
	Cursor Cursor `json:"cursor"`
	// Seen holds what was written of the records whose stamp is inside
	// the overlap window, so reading the window again writes nothing
	// twice. Salesforce keeps SystemModstamp to the second, so a record
	// changed twice in one second keeps its stamp: what was written is
	// known by a sum of its fields too.
	Seen map[string]seen `json:"seen,omitempty"`
	// Scan is where a read of changes that one poll could not finish goes
	// on: the next poll starts there rather than at the window again, or
	// more changes inside the window than a poll reads would be read
	// again forever.
	Scan *Cursor `json:"scan,omitempty"`
	// Gen moves on each time a backfill is started, from the admin pages
	// as well as by the poller: a poll that read an older generation
	// does not save over it.
	Gen         int64     `json:"gen,omitempty"`
	DeletedFrom time.Time `json:"deleted_from"`
	Backfill    *Backfill `json:"backfill,omitempty"`
}

// seen is a record written: its SystemModstamp (ms) and a sum of what
// was read of it.
type seen struct {
	MS  int64  `json:"ms"`
	Sum uint64 `json:"sum"`
}

// Backfill is one object's backfill: it pages by Id from AfterID.
type Backfill struct {
	State      string    `json:"state"` // running, done, failed
	AfterID    string    `json:"after_id,omitempty"`
	Done       int       `json:"done"`
	Failed     int       `json:"failed"`
	Total      int       `json:"total"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Error      string    `json:"error,omitempty"`
}

// RecordError is a record Zendesk refused, kept until it syncs.
type RecordError struct {
	Object   string    `json:"object"`
	ID       string    `json:"id"`
	Error    string    `json:"error"`
	At       time.Time `json:"at"`
	Attempts int       `json:"attempts"`
}

func (s *Service) getJSON(ctx context.Context, partition, table, key string, v any) (bool, error) {
	return ticketsync.GetJSON(ctx, s.o.Records, partition, table, key, v)
}

func (s *Service) putJSON(ctx context.Context, partition, table, key string, v any) error {
	return ticketsync.PutJSON(ctx, s.o.Records, partition, table, key, v)
}

func (s *Service) state(ctx context.Context, c crossview.Connection, object string) (objectState, error) {
	var st objectState
	_, err := s.getJSON(ctx, c.Tenant, tableState+c.ID, object, &st)
	return st, err
}

// errStateMoved says an object's state was moved on (a backfill started)
// while a poll worked from an older copy: the poll stops there, and the
// next one starts from the new state.
var errStateMoved = errors.New("data sync: the object's state moved on during the poll")

// putState saves a poll's state of an object, unless a backfill was
// started since the poll read it.
func (s *Service) putState(ctx context.Context, c crossview.Connection, object string, st objectState) error {
	if err := ctx.Err(); err != nil {
		return err // the lease was lost (or the replica stops): the next holder's cursor is the one that counts
	}
	now, err := s.state(ctx, c, object)
	if err != nil {
		return err
	}
	if now.Gen != st.Gen {
		return errStateMoved
	}
	return s.putJSON(ctx, c.Tenant, tableState+c.ID, object, st)
}

func errorKey(object, id string) string { return object + "/" + id }

// tablePoll keeps each connection's last poll (connection id → pollRecord),
// so every replica's admin pages show what the polling one saw.
const tablePoll = "ds_poll"

type pollRecord struct {
	Last     time.Time     `json:"last"`
	Next     time.Time     `json:"next"`
	Interval time.Duration `json:"interval"`
	Reason   string        `json:"reason,omitempty"`
	Err      string        `json:"err,omitempty"`
}

// savePoll keeps a poll's outcome; failing to is logged, never fatal.
func (s *Service) savePoll(ctx context.Context, c crossview.Connection, p pollState) {
	r := pollRecord{Last: p.last, Next: p.next, Interval: p.interval, Reason: p.reason, Err: p.err}
	if err := s.putJSON(context.WithoutCancel(ctx), c.Tenant, tablePoll, c.ID, r); err != nil {
		s.o.Logger.Warn("data sync: saving the poll's outcome", "connection", c.ID, "err", err)
	}
}

// lastPoll is the connection's latest poll: this replica's, or the one
// the polling replica saved, whichever is newer.
func (s *Service) lastPoll(ctx context.Context, c crossview.Connection) (pollState, error) {
	s.mu.Lock()
	p := s.polls[c.ID]
	s.mu.Unlock()
	var r pollRecord
	if _, err := s.getJSON(ctx, c.Tenant, tablePoll, c.ID, &r); err != nil {
		return p, err
	}
	if r.Last.After(p.last) {
		return pollState{last: r.Last, next: r.Next, interval: r.Interval, reason: r.Reason, err: r.Err}, nil
	}
	return p, nil
}
