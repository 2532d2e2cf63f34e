package ticketsync

import (
	"context"
	"strconv"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// maxBatch is how many staged tickets go to Salesforce in one WriteMany:
// sObject Collections take 200 records a call.
const maxBatch = 200

// splitStaged separates claimed tickets a backfill staged — and that no one
// has reported a newer version of since — from live ones, which are read
// afresh from Zendesk.
func (s *Service) splitStaged(ctx context.Context, c crossview.Connection, leases []queue.Lease) (live []queue.Lease, batch []job) {
	for _, l := range leases {
		id, err := strconv.ParseInt(l.Key, 10, 64)
		if err != nil {
			live = append(live, l) // syncOne buries it with the reason
			continue
		}
		st, ok, err := s.stagedTicket(ctx, c, id)
		if err != nil || !ok || covered(st.Ticket.UpdatedAt.UnixMilli(), st.Read) < l.Stamp {
			live = append(live, l)
			continue
		}
		batch = append(batch, job{lease: l, id: id, staged: &st})
	}
	return live, batch
}

// syncBatch writes staged tickets with WriteMany: their snapshots and
// comments came from the export, so they cost Zendesk nothing more.
func (s *Service) syncBatch(ctx context.Context, c crossview.Connection, jobs []job) {
	conn, err := s.o.Store.Connection(ctx, c.ID)
	if err != nil || !conn.Active(crossview.FeatureTicketSync) {
		for _, j := range jobs {
			if err != nil {
				s.retry(ctx, c, j, s.backoff(j.lease.Attempt, 0), "Crossview could not read the connection: "+err.Error())
			} else {
				s.complete(ctx, conn, j)
			}
		}
		return
	}
	var (
		todo   []job
		writes []crossview.CaseWrite
		hashes []string
	)
	for _, j := range jobs {
		st, known, err := s.State(ctx, conn, j.id)
		if err != nil {
			s.retry(ctx, conn, j, s.backoff(j.lease.Attempt, 0), "Crossview could not read its store: "+err.Error())
			continue
		}
		j.state, j.known = st, known
		j.state.TicketID = j.id
		t := j.staged.Ticket
		marker, err := s.marker(ctx, conn, j, t.Key())
		if err != nil {
			s.fail(ctx, conn, j, err)
			continue
		}
		w := buildWrite(conn, t, j.staged.Comments, marker)
		if hash := writeHash(conn, w); s.unchanged(j, w, hash) {
			s.finish(ctx, conn, j, w, j.staged.Read, hash, crossview.CaseWritten{CaseID: j.state.CaseID}, "unchanged")
			continue
		} else {
			hashes = append(hashes, hash)
		}
		todo = append(todo, j)
		writes = append(writes, w)
	}
	if len(todo) == 0 {
		return
	}
	for i := range todo {
		if todo[i].lease, err = s.holdFor(ctx, todo[i].lease); err != nil {
			s.o.Logger.Warn("ticket sync: a batch lease ran out", "connection", conn.ID, "ticket", todo[i].id)
		}
	}
	results, err := s.o.Sink.WriteMany(ctx, conn, writes)
	if err == nil && len(results) != len(writes) {
		err = crossview.Errorf(crossview.EINTERNAL, "Salesforce answered %d results for %d tickets", len(results), len(writes))
	}
	for i, j := range todo {
		switch {
		case err != nil:
			s.fail(ctx, conn, j, err)
		case results[i].Err != nil:
			s.fail(ctx, conn, j, results[i].Err)
		default:
			s.finish(ctx, conn, j, writes[i], j.staged.Read, hashes[i], results[i], outcomeOf(results[i]))
		}
	}
}
