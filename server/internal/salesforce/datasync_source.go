package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// MaxPage is the most records one data-sync read asks for: a query call
// returns up to 2,000 records.
const MaxPage = 2000

// objAccountContactRelation is where orgs with Contacts to Multiple
// Accounts keep a Contact's further Accounts.
const objAccountContactRelation = "AccountContactRelation"

// DataSourceOptions tune a DataSource.
type DataSourceOptions struct {
	// DescribeTTL is how long the describes that type filter values are
	// reused between pages (default 10 minutes). A query Salesforce
	// refuses for a field drops them at once.
	DescribeTTL time.Duration
}

// DataSource reads Accounts, Contacts and Leads for data sync
// (datasync.Source): changes by (SystemModstamp, Id) and deletes through
// getDeleted, pages by Id for a backfill, counts, reads by id, and
// Account-Contact relationships, each in as few API calls as Salesforce
// allows; filters compile to SOQL checked against the describe.
type DataSource struct {
	c         *Client
	opts      DataSourceOptions
	describes *ttlCache[map[string]*ObjectDescribe]
}

// NewDataSource returns a DataSource calling Salesforce through c.
func NewDataSource(c *Client, opts DataSourceOptions) *DataSource {
	if opts.DescribeTTL <= 0 {
		opts.DescribeTTL = 10 * time.Minute
	}
	return &DataSource{c: c, opts: opts, describes: newTTLCache[map[string]*ObjectDescribe](1000, c.now)}
}

// Usage returns the org's API use as Salesforce last reported it
// (Sforce-Limit-Info), for the poller's budget.
func (s *DataSource) Usage(orgID string) (used, limit int, ok bool) {
	u, _, ok := s.c.Usage(orgID)
	return u.Used, u.Limit, ok
}

// syncObject checks that object is one data sync reads.
func syncObject(object string) error {
	switch object {
	case crossview.ObjectAccount, crossview.ObjectContact, crossview.ObjectLead:
		return nil
	}
	return crossview.Errorf(crossview.EINVALID, "Data sync reads Accounts, Contacts and Leads, not %q.", object)
}

// describeSet reads the describes data sync needs in one composite call
// (one API call), or reuses them: Account, Contact, Lead and, where the
// org has Contacts to Multiple Accounts, AccountContactRelation. An object
// the user cannot see is absent. fresh skips the cache (a settings
// check). The set is shared: callers must not change it.
func (s *DataSource) describeSet(ctx context.Context, conn crossview.Connection, fresh bool) (map[string]*ObjectDescribe, error) {
	if ds, ok := s.describes.get(conn.ID); ok && !fresh {
		return ds, nil
	}
	ds, err := s.c.Describe(ctx, conn, crossview.ObjectAccount, crossview.ObjectContact, crossview.ObjectLead, objAccountContactRelation)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		d.Field("Id") // builds the index now: the cached describes are only read after this
	}
	s.describes.set(conn.ID, ds, s.opts.DescribeTTL)
	return ds, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// describe returns one object's describe, refusing when the connected
// user cannot see the object.
func (s *DataSource) describe(ctx context.Context, conn crossview.Connection, object string) (*ObjectDescribe, error) {
	ds, err := s.describeSet(ctx, conn, false)
	if err != nil {
		return nil, err
	}
	d := ds[object]
	if d == nil {
		return nil, crossview.Errorf(crossview.EFORBIDDEN, "The connected Salesforce user cannot see %s records.", object)
	}
	return d, nil
}

// forgetOnFieldError drops the cached describes when Salesforce refused a
// query over a field: the org's fields changed since they were read.
func (s *DataSource) forgetOnFieldError(conn crossview.Connection, err error) {
	var e *APIError
	if errors.As(err, &e) && (e.Code == "INVALID_FIELD" || e.Code == "INVALID_TYPE") {
		s.describes.drop(conn.ID)
	}
}

// fieldPathRE is a field or a relationship path (Owner.Name) as SOQL
// names them; anything else could change the query.
var fieldPathRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,4}$`)

// syncSelect is the fields asked for, then Id, SystemModstamp and, for a
// Contact, AccountId, for a Lead, IsConverted, each once.
func syncSelect(object string, fields []string) (string, error) {
	var out []string
	add := func(f string) {
		if !containsFold(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if !fieldPathRE.MatchString(f) {
			return "", crossview.Errorf(crossview.EINVALID, "%q is not a Salesforce field name.", f)
		}
		add(f)
	}
	add("Id")
	add("SystemModstamp")
	switch object {
	case crossview.ObjectContact:
		add("AccountId")
	case crossview.ObjectLead:
		add("IsConverted") // a converted Lead's Contact is synced instead
	}
	return strings.Join(out, ", "), nil
}

// decodeRecords turns query rows into records. Fields keep Salesforce's
// JSON shape (numbers as float64, a parent's fields nested under its
// relationship name) without the attributes.
func decodeRecords(object string, rows []json.RawMessage) ([]crossview.SFRecord, error) {
	out := make([]crossview.SFRecord, 0, len(rows))
	for _, raw := range rows {
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, fmt.Errorf("salesforce: decoding a %s record: %w", object, err)
		}
		dropAttributes(fields)
		r := crossview.SFRecord{Object: object, Fields: fields}
		r.ID, _ = fields["Id"].(string)
		stamp, _ := fields["SystemModstamp"].(string)
		t, err := parseDateTime(stamp)
		if err != nil || r.ID == "" {
			return nil, fmt.Errorf("salesforce: a %s record without Id or SystemModstamp (%q)", object, stamp)
		}
		r.Modstamp = t
		if object == crossview.ObjectContact {
			r.AccountID, _ = fields["AccountId"].(string)
		}
		out = append(out, r)
	}
	return out, nil
}

func dropAttributes(m map[string]any) {
	delete(m, "attributes")
	for _, v := range m {
		if nested, ok := v.(map[string]any); ok {
			dropAttributes(nested)
		}
	}
}

// parseDateTime reads a Salesforce dateTime: 2026-03-02T09:30:00.000+0000
// in answers, or RFC 3339.
func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("salesforce: %q is not a dateTime", s)
}

// soqlDateTime is t as a SOQL dateTime literal, in UTC to the second (the
// documented form, YYYY-MM-DDThh:mm:ssZ).
func soqlDateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
