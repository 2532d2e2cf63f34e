package ticketsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	// shows: a change no newer than it needs no sync.
	TicketUpdated int64     `json:"ticket_updated,omitempty"`
	Synced        time.Time `json:"synced"`
	Outcome       string    `json:"outcome"` // created, updated, failed, retrying, deleted
	Error         string    `json:"error,omitempty"`
}

// staged is a backfilled ticket waiting for a worker: the ticket as the
// export gave it and its comments up to Covered (ms).
type staged struct {
	Ticket   crossview.SyncTicket      `json:"ticket"`
	Comments []crossview.TicketComment `json:"comments,omitempty"`
}

func (s *Service) getJSON(ctx context.Context, partition, table, key string, v any) (bool, error) {
	b, err := s.o.Records.Get(ctx, partition, table, key)
	if errors.Is(err, crossview.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("ticketsync: decoding %s/%s: %w", table, key, err)
	}
	return true, nil
}

func (s *Service) putJSON(ctx context.Context, partition, table, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.o.Records.Put(ctx, partition, table, key, b)
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
