package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Composite reference ids of a write.
const (
	refNewAccount = "newAccount"
	refNewPerson  = "newPerson"
	refCase       = "case"
	refComment    = "comment"
)

// maxSubrequests is the most subrequests one composite request takes.
const maxSubrequests = 25

// Write upserts the ticket's Case by its key, links its Contact (or Lead)
// and Account, and adds w.Comments as CaseComments with the marker, in one
// composite request, all or nothing. Lookups are cached, so a steady
// stream of changes costs one call each. A ticket with more comments than
// one request takes is written in several all-or-nothing steps, each
// moving the marker only to the last comment it wrote; if a later step
// fails, the earlier ones stay written, so read Marker before writing the
// ticket again (as after any failed write). Salesforce's refusals come
// back as *APIError naming the failing subrequest; see IsPermanent.
func (s *CaseSink) Write(ctx context.Context, conn crossview.Connection, w crossview.CaseWrite) (crossview.CaseWritten, error) {
	if w.Ticket.Deleted {
		return crossview.CaseWritten{Notes: []string{"The ticket was deleted in Zendesk; its Case is left as it is."}}, nil
	}
	if err := s.checkVersion(); err != nil {
		return crossview.CaseWritten{}, err
	}
	ds, err := s.describe(ctx, conn, false, writeObjects(conn.TicketSync)...)
	if err != nil {
		return crossview.CaseWritten{}, err
	}
	body, notes := caseBody(conn.TicketSync, ds[crossview.ObjectCase], w.Ticket)
	comments, commentNotes := commentRecords(w.Comments)
	out := crossview.CaseWritten{Notes: append(notes, commentNotes...)}

	rel, release, err := s.related(ctx, conn, ds, w.Ticket, false)
	if err != nil {
		return out, err
	}
	defer func() { release() }()
	retried := false
	for done := 0; done < len(comments) || done == 0; {
		n := min(len(comments)-done, maxSubrequests-1-rel.prefixLen())
		step := comments[done : done+n]
		marker := w.Marker
		if done+n < len(comments) {
			marker = step[n-1].id // only as far as this step writes
		} else if n > 0 {
			marker = max(marker, step[n-1].id)
		}
		caseBody := cloneBody(body)
		rel.linkFields(ds[crossview.ObjectCase], caseBody)
		if marker > 0 {
			caseBody[crossview.CaseCommentMarkerField] = strconv.FormatInt(marker, 10)
		}
		if done == 0 {
			out.Changed = fieldNames(caseBody)
		}
		res, err := s.sendStep(ctx, conn, w.Ticket.Key(), rel, caseBody, step)
		if err != nil && !retried && len(rel.cached) > 0 && isStaleLink(err) {
			// A Contact or Account remembered from an earlier lookup was
			// deleted or merged since: look again, once.
			retried = true
			s.ids.drop(rel.cached...)
			release()
			if rel, release, err = s.related(ctx, conn, ds, w.Ticket, true); err != nil {
				return out, err
			}
			continue
		}
		if err != nil {
			return out, err
		}
		if done == 0 {
			out.CaseID, out.Created = res.caseID, res.created
		}
		rel = s.rememberCreated(rel, res)
		done += n
		if len(comments) == 0 {
			break
		}
	}
	return out, nil
}

// related looks up (when not cached) and decides what the ticket's Case
// links to; when records must be created it holds their creation locks,
// rechecking the cache under them, until release is called.
func (s *CaseSink) related(ctx context.Context, conn crossview.Connection, ds map[string]*ObjectDescribe, t crossview.SyncTicket, fresh bool) (related, func(), error) {
	if err := s.lookup(ctx, conn, ds[crossview.ObjectAccount], []crossview.SyncTicket{t}, fresh); err != nil {
		return related{}, func() {}, err
	}
	rel := s.relate(conn, ds, t)
	keys := rel.creates()
	if len(keys) == 0 {
		return rel, func() {}, nil
	}
	// Another write may have created the same requester meanwhile: it
	// remembered the id before releasing the lock.
	release := s.creating.lock(keys...)
	return s.relate(conn, ds, t), release, nil
}

// stepResult is what one composite step wrote.
type stepResult struct {
	caseID                string
	created               bool
	newAccount, newPerson string
}

// sendStep writes one composite: the records to create, the Case upsert
// and the comments.
func (s *CaseSink) sendStep(ctx context.Context, conn crossview.Connection, key string, rel related, caseBody map[string]any, comments []commentRecord) (stepResult, error) {
	req := CompositeRequest{AllOrNone: true}
	if rel.newAccount != nil {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPost, ReferenceID: refNewAccount,
			URL: s.c.DataPath("/sobjects/Account"), Body: rel.newAccount})
	}
	if rel.newPerson != nil {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPost, ReferenceID: refNewPerson,
			URL: s.c.DataPath("/sobjects/" + rel.personObject), Body: rel.newPerson})
	}
	req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPatch, ReferenceID: refCase,
		URL: s.caseUpsertPath(key), Body: caseBody})
	for i, c := range comments {
		b := cloneBody(c.body)
		b["ParentId"] = "@{" + refCase + ".id}"
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodPost,
			ReferenceID: refComment + strconv.Itoa(i+1), URL: s.c.DataPath("/sobjects/CaseComment"), Body: b})
	}
	resp, err := s.c.Composite(ctx, conn, req)
	if err != nil {
		return stepResult{}, err
	}
	if err := compositeFailure(resp, req); err != nil {
		return stepResult{}, err
	}
	var res stepResult
	for _, sub := range resp.Responses {
		id, created, err := decodeSaveResult(sub.Body)
		if err != nil {
			return stepResult{}, fmt.Errorf("salesforce: %s: %w", sub.ReferenceID, err)
		}
		switch sub.ReferenceID {
		case refCase:
			res.caseID, res.created = id, created
		case refNewAccount:
			res.newAccount = id
		case refNewPerson:
			res.newPerson = id
		}
	}
	if res.caseID == "" {
		return stepResult{}, errors.New("salesforce: the composite answer has no Case")
	}
	return res, nil
}

// rememberCreated caches the ids of records a step created, and makes
// the next steps link to them instead of creating them again.
func (s *CaseSink) rememberCreated(rel related, res stepResult) related {
	if rel.newAccount != nil && res.newAccount != "" {
		s.ids.set(rel.accountKey, foundRecord{ID: res.newAccount}, s.opts.FoundTTL)
		rel.accountID, rel.newAccount = res.newAccount, nil
		rel.cached = append(rel.cached, rel.accountKey)
	}
	if rel.newPerson != nil && res.newPerson != "" {
		acct, _ := rel.newPerson["AccountId"].(string)
		if acct != "" && acct[0] == '@' {
			acct = rel.accountID
		}
		s.ids.set(rel.personKey, foundRecord{ID: res.newPerson, AccountID: acct}, s.opts.FoundTTL)
		if rel.personObject == crossview.ObjectContact {
			rel.contactID = res.newPerson
		}
		rel.newPerson = nil
		rel.cached = append(rel.cached, rel.personKey)
	}
	return rel
}

// prefixLen counts the creates ahead of the Case in a step.
func (r related) prefixLen() int {
	n := 0
	if r.newAccount != nil {
		n++
	}
	if r.newPerson != nil {
		n++
	}
	return n
}

// caseUpsertPath is the upsert URL of the Case with the key; the key is
// escaped as one path segment.
func (s *CaseSink) caseUpsertPath(key string) string {
	return s.c.DataPath("/sobjects/Case/" + crossview.CaseTicketKeyField + "/" + url.PathEscape(key))
}

// compositeFailure returns the cause of a failed all-or-nothing
// composite: the first subrequest that failed for a reason of its own
// (the rest say PROCESSING_HALTED), with Salesforce's message.
func compositeFailure(resp *CompositeResponse, req CompositeRequest) error {
	var halted error
	for _, sub := range resp.Responses {
		err := subError(sub)
		var e *APIError
		switch {
		case err == nil:
		case errors.As(err, &e) && e.Code == "PROCESSING_HALTED":
			if halted == nil {
				halted = err
			}
		default:
			return err
		}
	}
	if halted == nil && len(resp.Responses) != len(req.Subrequests) {
		return fmt.Errorf("salesforce: the composite answered %d of %d subrequests", len(resp.Responses), len(req.Subrequests))
	}
	return halted
}

// isStaleLink reports whether a write failed because a record it linked
// to is gone (in the recycle bin, merged away or purged).
func isStaleLink(err error) bool {
	var e *APIError
	return recordGone(err) && errors.As(err, &e) && (e.Subrequest == refCase || e.Subrequest == refNewPerson)
}

// recordGone reports whether Salesforce refused a reference to a record
// that is in the recycle bin or no longer exists.
func recordGone(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.Code == "ENTITY_IS_DELETED" || e.Code == "INVALID_CROSS_REFERENCE_KEY")
}

// commentRecord is a Zendesk comment as a CaseComment body (without its
// ParentId).
type commentRecord struct {
	id   int64
	body map[string]any
}

// commentRecords turns comments into CaseComment bodies: a line naming
// the author and time, then the text, cut to the 4,000 bytes a
// CaseComment holds.
func commentRecords(cs []crossview.TicketComment) ([]commentRecord, []string) {
	out := make([]commentRecord, 0, len(cs))
	var notes []string
	for _, c := range cs {
		author := c.Author.Name
		if author == "" {
			author = "Zendesk user " + strconv.FormatInt(c.Author.ID, 10)
		}
		text := fmt.Sprintf("%s, %s (Zendesk comment %d):\n%s", author, c.CreatedAt.UTC().Format(time.DateTime+" UTC"), c.ID, c.Body)
		if cut, ok := cutBytes(text, maxCommentBytes); ok {
			text = cut
			notes = append(notes, fmt.Sprintf("Comment %d was cut to the 4,000 bytes a Case Comment holds.", c.ID))
		}
		out = append(out, commentRecord{id: c.ID, body: map[string]any{"CommentBody": text, "IsPublished": c.Public}})
	}
	return out, notes
}

func cloneBody(b map[string]any) map[string]any {
	out := make(map[string]any, len(b)+4)
	for k, v := range b {
		out[k] = v
	}
	return out
}

func fieldNames(b map[string]any) []string {
	out := make([]string, 0, len(b))
	for k := range b {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
