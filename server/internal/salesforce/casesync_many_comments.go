package salesforce

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Limits of one comments composite: four Collections inserts of 200
// CaseComments and one Collections update of up to 200 markers (a
// composite takes five Collections subrequests), within a payload well
// under the composite's size limit.
const (
	maxBatchComments = 4 * maxCollection
	maxBatchBytes    = 3 << 20
)

// commentUnit is one ticket's share of a comments composite: its
// comments there and the marker that lands with them.
type commentUnit struct {
	t        *manyTicket
	comments []commentRecord
	marker   int64
}

type commentBatch struct {
	units    []commentUnit
	comments int
	bytes    int
}

// commentsMany adds the tickets' new comments and advances their markers,
// in as few all-or-nothing composites as fit. A ticket split over two
// composites gets, in the first, the marker of the last comment there.
func (s *CaseSink) commentsMany(ctx context.Context, conn crossview.Connection, ts []*manyTicket, out []crossview.CaseWritten) error {
	for _, b := range packComments(ts, out) {
		if err := s.sendComments(ctx, conn, b, out); err != nil {
			return err
		}
	}
	return nil
}

// packComments splits the tickets' comments and markers into batches.
func packComments(ts []*manyTicket, out []crossview.CaseWritten) []*commentBatch {
	var batches []*commentBatch
	cur := &commentBatch{}
	flush := func() {
		if len(cur.units) > 0 {
			batches = append(batches, cur)
		}
		cur = &commentBatch{}
	}
	for _, t := range ts {
		if out[t.i].Err != nil || t.caseID == "" || (len(t.comments) == 0 && t.marker == 0) {
			continue
		}
		if len(cur.units) == maxCollection {
			flush()
		}
		u := commentUnit{t: t}
		for _, c := range t.comments {
			size := recordSize(c.body)
			if cur.comments == maxBatchComments || cur.bytes+size > maxBatchBytes {
				if len(u.comments) > 0 {
					u.marker = lastID(u.comments) // only as far as this batch writes
					cur.units = append(cur.units, u)
					u = commentUnit{t: t}
				}
				flush()
			}
			u.comments = append(u.comments, c)
			cur.comments++
			cur.bytes += size
		}
		u.marker = max(t.marker, lastID(u.comments))
		cur.units = append(cur.units, u)
	}
	flush()
	return batches
}

func recordSize(body map[string]any) int {
	b, _ := json.Marshal(body)
	return len(b) + 100 // attributes, ParentId, separators
}

// sendComments writes one batch. When a record fails, the tickets it
// belongs to get its error and the batch is sent again without them.
func (s *CaseSink) sendComments(ctx context.Context, conn crossview.Connection, b *commentBatch, out []crossview.CaseWritten) error {
	for {
		var units []commentUnit
		for _, u := range b.units {
			if out[u.t.i].Err == nil {
				units = append(units, u)
			}
		}
		if len(units) == 0 {
			return nil
		}
		req, owners := s.commentsRequest(units)
		resp, err := s.c.Composite(ctx, conn, req)
		if err != nil {
			return err
		}
		cause := compositeFailure(resp, req)
		if cause == nil {
			for _, u := range units {
				if u.marker > 0 {
					out[u.t.i].Changed = appendUnique(out[u.t.i].Changed, crossview.CaseCommentMarkerField)
				}
			}
			return nil
		}
		if !blameRecords(resp, owners, out) {
			// Nothing names a record: the batch fails as a whole.
			for _, u := range units {
				out[u.t.i].Err = cause
			}
			return nil
		}
	}
}

// commentsRequest builds a batch's composite; owners maps each
// subrequest's records to their units.
func (s *CaseSink) commentsRequest(units []commentUnit) (CompositeRequest, map[string][]commentUnit) {
	req := CompositeRequest{AllOrNone: true}
	owners := map[string][]commentUnit{}
	var recs []map[string]any
	var recOwners []commentUnit
	flush := func() {
		if len(recs) == 0 {
			return
		}
		ref := "comments" + strconv.Itoa(len(req.Subrequests)+1)
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPost, ReferenceID: ref,
			URL: s.c.DataPath("/composite/sobjects"), Body: map[string]any{"allOrNone": true, "records": recs}})
		owners[ref] = recOwners
		recs, recOwners = nil, nil
	}
	var markers []map[string]any
	var markerOwners []commentUnit
	for _, u := range units {
		for _, c := range u.comments {
			rec := cloneBody(c.body)
			rec["attributes"] = map[string]any{"type": "CaseComment"}
			rec["ParentId"] = u.t.caseID
			recs, recOwners = append(recs, rec), append(recOwners, u)
			if len(recs) == maxCollection {
				flush()
			}
		}
		if u.marker > 0 {
			markers = append(markers, map[string]any{"attributes": map[string]any{"type": crossview.ObjectCase},
				"Id": u.t.caseID, crossview.CaseCommentMarkerField: strconv.FormatInt(u.marker, 10)})
			markerOwners = append(markerOwners, u)
		}
	}
	flush()
	if len(markers) > 0 {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPatch, ReferenceID: "markers",
			URL: s.c.DataPath("/composite/sobjects"), Body: map[string]any{"allOrNone": true, "records": markers}})
		owners["markers"] = markerOwners
	}
	return req, owners
}

// blameRecords gives each failed record's error to its ticket; false when
// no record failed for a reason of its own.
func blameRecords(resp *CompositeResponse, owners map[string][]commentUnit, out []crossview.CaseWritten) bool {
	blamed := false
	for _, sub := range resp.Responses {
		results, ok := decodeResults(sub.Body)
		if !ok || len(results) != len(owners[sub.ReferenceID]) {
			continue
		}
		for j, r := range results {
			e := r.err("")
			if r.Success || e.Code == "ALL_OR_NONE_OPERATION_ROLLED_BACK" {
				continue
			}
			u := owners[sub.ReferenceID][j]
			e.Subrequest = sub.ReferenceID + " (Case " + u.t.w.Ticket.Key() + ")"
			if out[u.t.i].Err == nil {
				out[u.t.i].Err = e
			}
			blamed = true
		}
	}
	return blamed
}
