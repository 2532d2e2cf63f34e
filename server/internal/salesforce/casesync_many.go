package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxCollection is the most records one sObject Collections call takes.
const maxCollection = 200

// caseState is what the org holds for a ticket key before a batch.
type caseState struct {
	id        string
	marker    int64
	updatedAt time.Time
}

// manyTicket is one ticket of a WriteMany on its way through.
type manyTicket struct {
	i        int // index in ws
	w        crossview.CaseWrite
	rel      related
	body     map[string]any // nil: the Case is newer than this copy; fields left alone
	comments []commentRecord
	marker   int64 // the marker to set once the comments are in; 0 none
	caseID   string
}

// WriteMany writes up to 200 tickets (the backfill) in a few calls: one
// composite of queries for the requesters, organizations and the Cases'
// current markers; sObject Collections creates for missing Contacts and
// Accounts; one Collections upsert of the Cases by key; then composites
// each holding Collections inserts of CaseComments and the update of
// those Cases' markers, all or nothing, so a ticket's comments and its
// marker land together. Comments at or below a Case's marker are
// skipped, so a batch repeated after a crash doubles nothing; a Case whose
// Zendesk_Updated_At__c is newer than the ticket keeps its fields. A
// ticket's own failure is in its Err; an error fails the batch.
func (s *CaseSink) WriteMany(ctx context.Context, conn crossview.Connection, ws []crossview.CaseWrite) ([]crossview.CaseWritten, error) {
	if len(ws) > maxCollection {
		return nil, crossview.Errorf(crossview.EINVALID, "WriteMany takes at most %d tickets, not %d", maxCollection, len(ws))
	}
	if err := s.checkVersion(); err != nil {
		return nil, err
	}
	out := make([]crossview.CaseWritten, len(ws))
	var ts []*manyTicket
	var tickets []crossview.SyncTicket
	for i, w := range ws {
		if w.Ticket.Deleted {
			out[i].Notes = []string{"The ticket was deleted in Zendesk; its Case is left as it is."}
			continue
		}
		ts = append(ts, &manyTicket{i: i, w: w})
		tickets = append(tickets, w.Ticket)
	}
	if len(ts) == 0 {
		return out, nil
	}
	ds, err := s.describe(ctx, conn, false, writeObjects(conn.TicketSync)...)
	if err != nil {
		return nil, err
	}
	qs, err := s.lookupsFor(conn, ds[crossview.ObjectAccount], tickets, false)
	if err != nil {
		return nil, err
	}
	states := map[string]caseState{}
	qs = append(qs, s.stateQueries(ds[crossview.ObjectCase], ts, states)...)
	if err := s.runQueries(ctx, conn, qs); err != nil {
		return nil, err
	}
	if err := s.linkAndUpsert(ctx, conn, ds, ts, states, out); err != nil {
		return nil, err
	}
	if stale := staleLinks(ts, out); len(stale) > 0 {
		// Contacts or Accounts remembered from earlier lookups were deleted
		// or merged since: look again, once, for those tickets.
		var again []crossview.SyncTicket
		for _, t := range stale {
			s.ids.drop(t.rel.cached...)
			out[t.i] = crossview.CaseWritten{}
			again = append(again, t.w.Ticket)
		}
		if err := s.lookup(ctx, conn, ds[crossview.ObjectAccount], again, true); err != nil {
			return nil, err
		}
		if err := s.linkAndUpsert(ctx, conn, ds, stale, states, out); err != nil {
			return nil, err
		}
	}
	if err := s.commentsMany(ctx, conn, ts, out); err != nil {
		return nil, err
	}
	return out, nil
}

// linkAndUpsert links the tickets to their Contacts and Accounts
// (creating the missing ones), maps them and upserts their Cases.
func (s *CaseSink) linkAndUpsert(ctx context.Context, conn crossview.Connection, ds map[string]*ObjectDescribe, ts []*manyTicket, states map[string]caseState, out []crossview.CaseWritten) error {
	if err := s.createRelated(ctx, conn, ds, ts, out); err != nil {
		return err
	}
	for _, t := range ts {
		s.prepareMany(conn, ds[crossview.ObjectCase], t, states[strings.ToLower(t.w.Ticket.Key())], &out[t.i])
	}
	return s.upsertMany(ctx, conn, ts, out)
}

// staleLinks lists the tickets whose Case upsert failed on a Contact or
// Account id that came from the id cache.
func staleLinks(ts []*manyTicket, out []crossview.CaseWritten) []*manyTicket {
	var stale []*manyTicket
	for _, t := range ts {
		if recordGone(out[t.i].Err) && len(t.rel.cached) > 0 {
			stale = append(stale, t)
		}
	}
	return stale
}

// stateQueries read the Cases' ids, markers and Zendesk update times by
// key, filing them into states (keyed by the lower-cased key).
func (s *CaseSink) stateQueries(d *ObjectDescribe, ts []*manyTicket, states map[string]caseState) []lookupQuery {
	fields := "Id, " + crossview.CaseTicketKeyField + ", " + crossview.CaseCommentMarkerField
	_, hasUpdated := d.Field(CaseUpdatedAtField)
	if hasUpdated {
		fields += ", " + CaseUpdatedAtField
	}
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.w.Ticket.Key()
	}
	var out []lookupQuery
	for _, soql := range inChunks(dedupe(keys), Quote, func(in string) string {
		return fmt.Sprintf("SELECT %s FROM Case WHERE %s IN (%s)", fields, crossview.CaseTicketKeyField, in)
	}) {
		out = append(out, lookupQuery{soql: soql, file: func(rows []map[string]any) {
			for _, r := range rows {
				st := caseState{id: text(lookupCI(r, "Id"))}
				st.marker, _ = parseMarker(text(lookupCI(r, crossview.CaseCommentMarkerField)))
				if hasUpdated {
					st.updatedAt, _ = time.Parse("2006-01-02T15:04:05.000-0700", text(lookupCI(r, CaseUpdatedAtField)))
				}
				states[strings.ToLower(text(lookupCI(r, crossview.CaseTicketKeyField)))] = st
			}
		}})
	}
	return out
}

// prepareMany maps one ticket: its Case body (unless the Case is newer),
// the comments above the Case's marker, and the marker to set.
func (s *CaseSink) prepareMany(conn crossview.Connection, d *ObjectDescribe, t *manyTicket, st caseState, out *crossview.CaseWritten) {
	if out.Err != nil {
		return
	}
	t.caseID = st.id
	if st.id == "" || st.updatedAt.IsZero() || !st.updatedAt.After(t.w.Ticket.UpdatedAt) {
		body, notes := caseBody(conn.TicketSync, d, t.w.Ticket)
		t.rel.linkFields(d, body)
		t.body = body
		out.Notes = append(out.Notes, notes...)
		out.Changed = fieldNames(body)
	} else {
		out.Notes = append(out.Notes, "The Case has a newer copy of this ticket; its fields were left as they are.")
	}
	var fresh []crossview.TicketComment
	for _, c := range t.w.Comments {
		if c.ID > st.marker {
			fresh = append(fresh, c)
		}
	}
	comments, notes := commentRecords(fresh)
	t.comments = comments
	out.Notes = append(out.Notes, notes...)
	if m := max(t.w.Marker, lastID(comments)); m > st.marker {
		t.marker = m
	}
}

func lastID(cs []commentRecord) int64 {
	if len(cs) == 0 {
		return 0
	}
	return cs[len(cs)-1].id
}

// upsertMany upserts the Cases by key with one Collections call. A ticket
// with no comments to add gets its marker in the same record.
func (s *CaseSink) upsertMany(ctx context.Context, conn crossview.Connection, ts []*manyTicket, out []crossview.CaseWritten) error {
	var recs []map[string]any
	var owners []*manyTicket
	for _, t := range ts {
		if out[t.i].Err != nil || t.body == nil {
			continue
		}
		rec := cloneBody(t.body)
		rec["attributes"] = map[string]any{"type": crossview.ObjectCase}
		rec[crossview.CaseTicketKeyField] = t.w.Ticket.Key()
		if len(t.comments) == 0 && t.marker > 0 {
			rec[crossview.CaseCommentMarkerField] = strconv.FormatInt(t.marker, 10)
			t.marker = 0
			out[t.i].Changed = append(out[t.i].Changed, crossview.CaseCommentMarkerField)
		}
		recs = append(recs, rec)
		owners = append(owners, t)
	}
	if len(recs) == 0 {
		return nil
	}
	results, err := s.collection(ctx, conn, http.MethodPatch,
		"/composite/sobjects/Case/"+crossview.CaseTicketKeyField, recs)
	if err != nil {
		return err
	}
	for j, r := range results {
		t := owners[j]
		if !r.Success {
			out[t.i].Err = r.err("Case " + t.w.Ticket.Key())
			continue
		}
		t.caseID = r.ID
		out[t.i].CaseID, out[t.i].Created = r.ID, r.Created != nil && *r.Created
	}
	return nil
}

// saveResult is one record's result in a Collections answer.
type saveResult struct {
	ID      string `json:"id"`
	Success bool   `json:"success"`
	Created *bool  `json:"created"`
	Errors  []struct {
		StatusCode string   `json:"statusCode"`
		Message    string   `json:"message"`
		Fields     []string `json:"fields"`
	} `json:"errors"`
}

// err is the record's failure as an *APIError naming the record.
func (r saveResult) err(where string) *APIError {
	e := &APIError{Status: http.StatusBadRequest, Subrequest: where, Code: "UNKNOWN_EXCEPTION", Message: "the record failed without an error"}
	if len(r.Errors) > 0 {
		e.Code, e.Message, e.Fields = r.Errors[0].StatusCode, r.Errors[0].Message, r.Errors[0].Fields
	}
	return e
}

// collection sends one Collections request without allOrNone: each
// record stands alone. The results are in the order of recs.
func (s *CaseSink) collection(ctx context.Context, conn crossview.Connection, method, path string, recs []map[string]any) ([]saveResult, error) {
	var results []saveResult
	body := map[string]any{"allOrNone": false, "records": recs}
	if err := s.c.Do(ctx, conn, method, s.c.DataPath(path), body, &results); err != nil {
		return nil, err
	}
	if len(results) != len(recs) {
		return nil, fmt.Errorf("salesforce: Collections answered %d results for %d records", len(results), len(recs))
	}
	return results, nil
}

// decodeResults reads a Collections answer inside a composite.
func decodeResults(body json.RawMessage) ([]saveResult, bool) {
	var rs []saveResult
	return rs, json.Unmarshal(body, &rs) == nil
}
