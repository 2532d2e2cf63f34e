package ticketsync

import (
	"context"
	"sort"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Tables, in the tenant's partition.
const (
	tableState    = "ts_state/"    // + connection id: ticket id → TicketState
	tableStage    = "ts_stage/"    // + connection id: ticket id → staged snapshot (backfill)
	tableComments = "ts_comments/" // + connection id: ticket id → comments read ahead of their ticket (backfill)
	tableMeta     = "ts_meta"      // "reconcile" → reconcile cursor; "backfill/<conn>" → Progress
)

// TicketState is what Crossview knows about one ticket's Case.
type TicketState struct {
	TicketID int64  `json:"ticket_id"`
	CaseID   string `json:"case_id,omitempty"`
	// Marker is the comment marker the Case holds. Dirty means a write's
	// outcome is unknown, so the Case's own marker must be read first.
	Marker int64 `json:"marker"`
	Dirty  bool  `json:"dirty,omitempty"`
	// TicketUpdated is the updated_at (ms) of the ticket version the Case
	// shows, and ReadAt when Crossview read it: see covered.
	TicketUpdated int64     `json:"ticket_updated,omitempty"`
	ReadAt        time.Time `json:"read_at"`
	// Hash identifies what the last write sent; the same ticket read again
	// with nothing new costs Salesforce nothing.
	Hash    string    `json:"hash,omitempty"`
	Synced  time.Time `json:"synced"`
	Outcome string    `json:"outcome"` // created, updated, failed, retrying, deleted
	Error   string    `json:"error,omitempty"`
}

// staged is a backfilled ticket waiting for a worker: the ticket as the
// export gave it at Read, and its comments.
type staged struct {
	Ticket   crossview.SyncTicket      `json:"ticket"`
	Read     time.Time                 `json:"read"`
	Comments []crossview.TicketComment `json:"comments,omitempty"`
}

// skew is how far Zendesk's clock and ours may disagree.
const skew = time.Second

// covered returns the newest ticket version (updated_at, ms) a snapshot
// read at read is known to include. Zendesk's updated_at has whole
// seconds: a change later in the same second as updated bears the same
// value, so a read made within that second covers only what came before.
func covered(updated int64, read time.Time) int64 {
	if read.UnixMilli() >= updated+1000+skew.Milliseconds() {
		return updated
	}
	return updated - 1
}

func (s *Service) getJSON(ctx context.Context, partition, table, key string, v any) (bool, error) {
	return GetJSON(ctx, s.o.Records, partition, table, key, v)
}

func (s *Service) putJSON(ctx context.Context, partition, table, key string, v any) error {
	return PutJSON(ctx, s.o.Records, partition, table, key, v)
}

// State returns what Crossview knows of a ticket's Case (ok false when the
// ticket was never synced).
func (s *Service) State(ctx context.Context, c crossview.Connection, ticketID int64) (TicketState, bool, error) {
	var st TicketState
	ok, err := s.getJSON(ctx, c.Tenant, tableState+c.ID, strconv.FormatInt(ticketID, 10), &st)
	return st, ok, err
}

func (s *Service) putState(ctx context.Context, c crossview.Connection, st TicketState) error {
	return s.putJSON(ctx, c.Tenant, tableState+c.ID, strconv.FormatInt(st.TicketID, 10), st)
}

func (s *Service) stagedTicket(ctx context.Context, c crossview.Connection, ticketID int64) (staged, bool, error) {
	var st staged
	ok, err := s.getJSON(ctx, c.Tenant, tableStage+c.ID, strconv.FormatInt(ticketID, 10), &st)
	return st, ok, err
}

func (s *Service) unstage(ctx context.Context, c crossview.Connection, ticketID int64) error {
	return s.o.Records.Delete(ctx, c.Tenant, tableStage+c.ID, strconv.FormatInt(ticketID, 10))
}

// sortComments orders comments oldest first, by id.
func sortComments(cms []crossview.TicketComment) {
	sort.Slice(cms, func(i, j int) bool { return cms[i].ID < cms[j].ID })
}
