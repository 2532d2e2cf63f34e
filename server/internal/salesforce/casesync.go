package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// CaseSinkOptions tunes what a CaseSink remembers between writes.
type CaseSinkOptions struct {
	// DescribeTTL is how long an org's describes are trusted (default 10
	// minutes); Check always reads them afresh.
	DescribeTTL time.Duration
	// FoundTTL is how long the id of a Contact, Lead or Account found for
	// an email or organization is reused (default 15 minutes); MissTTL how
	// long "none has it" is (default 1 minute).
	FoundTTL, MissTTL time.Duration
	// MaxCached bounds the remembered ids and describes (default 50,000).
	MaxCached int
}

// CaseSink writes Zendesk tickets to an org's Cases for ticket sync: it
// upserts each Case by its ticket key with the ticket's fields, links the
// requester's Contact (or Lead) and the organization's Account, and adds
// the new comments as CaseComments together with the comment marker, all
// or nothing. It is safe for concurrent use; one ticket must not be
// written by two goroutines at once (the sync's queue sees to that).
type CaseSink struct {
	c    *Client
	opts CaseSinkOptions

	describes *ttlCache[*ObjectDescribe] // connection id|object → describe
	ids       *ttlCache[foundRecord]     // connection id|object|match key → record
	creating  keyedLocks                 // one creator per new Contact or Account
}

// foundRecord is what a lookup found: the record's id ("" for none) and,
// for a Contact, its Account.
type foundRecord struct {
	ID, AccountID string
}

// NewCaseSink returns a sink writing through c.
func NewCaseSink(c *Client, opts CaseSinkOptions) *CaseSink {
	if opts.DescribeTTL <= 0 {
		opts.DescribeTTL = 10 * time.Minute
	}
	if opts.FoundTTL <= 0 {
		opts.FoundTTL = 15 * time.Minute
	}
	if opts.MissTTL <= 0 {
		opts.MissTTL = time.Minute
	}
	if opts.MaxCached <= 0 {
		opts.MaxCached = 50_000
	}
	return &CaseSink{c: c, opts: opts,
		describes: newTTLCache[*ObjectDescribe](opts.MaxCached, c.now),
		ids:       newTTLCache[foundRecord](opts.MaxCached, c.now)}
}

// Marker reads the comment marker of the Case with the ticket key, in one
// query. found is false when no Case has the key; an empty marker is 0.
func (s *CaseSink) Marker(ctx context.Context, conn crossview.Connection, key string) (int64, bool, error) {
	soql := fmt.Sprintf("SELECT Id, %s FROM Case WHERE %s = %s LIMIT 1",
		crossview.CaseCommentMarkerField, crossview.CaseTicketKeyField, Quote(key))
	page, err := s.c.Query(ctx, conn, soql)
	if err != nil {
		return 0, false, err
	}
	if len(page.Records) == 0 {
		return 0, false, nil
	}
	rec, err := decodeRecord(page.Records[0])
	if err != nil {
		return 0, false, err
	}
	m, err := parseMarker(text(lookupCI(rec, crossview.CaseCommentMarkerField)))
	if err != nil {
		return 0, true, fmt.Errorf("salesforce: Case %s: %w", key, err)
	}
	return m, true, nil
}

// parseMarker reads a marker field's value; empty is 0.
func parseMarker(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	m, err := strconv.ParseInt(s, 10, 64)
	if err != nil || m < 0 {
		return 0, crossview.Errorf(crossview.EINVALID,
			"%s holds %q, not a Zendesk comment id; someone edited it. Clear it or set it to the last comment already on the Case.",
			crossview.CaseCommentMarkerField, s)
	}
	return m, nil
}

// describe returns the objects' describes, reading the ones not cached
// (or all, when fresh) in one composite call.
func (s *CaseSink) describe(ctx context.Context, conn crossview.Connection, fresh bool, objects ...string) (map[string]*ObjectDescribe, error) {
	out := make(map[string]*ObjectDescribe, len(objects))
	var missing []string
	for _, o := range objects {
		if d, ok := s.describes.get(conn.ID + "|" + o); ok && !fresh {
			out[o] = d
		} else {
			missing = append(missing, o)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := s.c.DescribeMany(ctx, conn, missing)
	if err != nil {
		return nil, err
	}
	for o, d := range got {
		s.describes.set(conn.ID+"|"+o, d, s.opts.DescribeTTL)
		out[o] = d
	}
	return out, nil
}

// writeObjects are the objects a write needs the describes of.
func writeObjects(s crossview.TicketSyncSettings) []string {
	return []string{crossview.ObjectCase, requesterObject(s), crossview.ObjectAccount}
}

func requesterObject(s crossview.TicketSyncSettings) string {
	if s.RequesterObject == crossview.ObjectLead {
		return crossview.ObjectLead
	}
	return crossview.ObjectContact
}

// minUpsertVersion is the first API version whose upsert of an existing
// record answers its id, which the comments refer to.
const minUpsertVersion = 46.0

func (s *CaseSink) checkVersion() error {
	v, err := strconv.ParseFloat(s.c.APIVersion(), 64)
	if err != nil || v < minUpsertVersion {
		return crossview.Errorf(crossview.EINVALID,
			"ticket sync needs Salesforce API version 46.0 or later (CROSSVIEW_SALESFORCE_API_VERSION is %q)", s.c.APIVersion())
	}
	return nil
}

// decodeSaveResult reads {"id":..,"created":..} from a create or upsert
// answer.
func decodeSaveResult(body json.RawMessage) (id string, created bool, err error) {
	var r struct {
		ID      string `json:"id"`
		Created *bool  `json:"created"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.ID == "" {
		return "", false, fmt.Errorf("salesforce: the save answer names no record id: %s", snippet(body))
	}
	return r.ID, r.Created == nil || *r.Created, nil
}
