package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Get reads records of object by id (a replay), with the fields asked
// for and those Changed always reads. Ids that are gone are left out; the
// rest come back in the order asked. However many ids, each query stays
// under the URL limit and five queries share a call.
func (s *DataSource) Get(ctx context.Context, conn crossview.Connection, object string, ids []string, fields []string) ([]crossview.SFRecord, error) {
	if err := syncObject(object); err != nil {
		return nil, err
	}
	sel, err := syncSelect(object, fields)
	if err != nil {
		return nil, err
	}
	want, err := distinctIDs(ids)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryByIDs(ctx, conn, want, func(in string) string {
		return "SELECT " + sel + " FROM " + object + " WHERE Id IN (" + in + ")"
	})
	if err != nil {
		s.forgetOnFieldError(conn, err)
		return nil, err
	}
	recs, err := decodeRecords(object, rows)
	if err != nil {
		return nil, err
	}
	rank := make(map[string]int, len(want))
	for i, id := range want {
		rank[id] = i
	}
	slices.SortFunc(recs, func(a, b crossview.SFRecord) int { return rank[a.ID] - rank[b.ID] })
	return recs, nil
}

// Related fills each Contact's other Accounts: its active, indirect
// Account-Contact relationships (the direct one is its AccountId). Orgs
// without Contacts to Multiple Accounts, and records that are not
// Contacts, are left as they are. One composite call serves a page of
// Contacts.
func (s *DataSource) Related(ctx context.Context, conn crossview.Connection, contacts []crossview.SFRecord) error {
	var ids []string
	for _, r := range contacts {
		if r.Object == crossview.ObjectContact {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ds, err := s.describeSet(ctx, conn, false)
	if err != nil {
		return err
	}
	if ds[objAccountContactRelation] == nil {
		return nil
	}
	want, err := distinctIDs(ids)
	if err != nil {
		return err
	}
	rows, err := s.queryByIDs(ctx, conn, want, func(in string) string {
		return "SELECT ContactId, AccountId FROM AccountContactRelation WHERE IsDirect = false AND IsActive = true AND ContactId IN (" + in + ")"
	})
	if err != nil {
		s.forgetOnFieldError(conn, err)
		return err
	}
	accounts := map[string][]string{}
	for _, raw := range rows {
		var rel struct{ ContactID, AccountID string }
		if err := json.Unmarshal(raw, &struct {
			ContactID *string `json:"ContactId"`
			AccountID *string `json:"AccountId"`
		}{&rel.ContactID, &rel.AccountID}); err != nil {
			return fmt.Errorf("salesforce: decoding an Account-Contact relationship: %w", err)
		}
		accounts[rel.ContactID] = append(accounts[rel.ContactID], rel.AccountID)
	}
	for i := range contacts {
		r := &contacts[i]
		if r.Object != crossview.ObjectContact {
			continue
		}
		var related []string
		primary, _ := crossview.ID18(r.AccountID)
		self, _ := crossview.ID18(r.ID)
		for _, a := range accounts[self] {
			if a != primary && !slices.Contains(related, a) {
				related = append(related, a)
			}
		}
		slices.Sort(related)
		r.Related = related
	}
	return nil
}

// distinctIDs checks ids and returns their 18-character forms, which
// Salesforce answers with, each once.
func distinctIDs(ids []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		full, err := crossview.ID18(id)
		if err != nil {
			return nil, crossview.Errorf(crossview.EINVALID, "%q is not a Salesforce id.", id)
		}
		if !seen[full] {
			seen[full] = true
			out = append(out, full)
		}
	}
	return out, nil
}

// queryByIDs runs soql(in), in being a list of quoted ids, for every id:
// as many ids a query as keep its URL under maxQueryURL, up to five
// queries a composite call (one API call), and the rest of any answer
// Salesforce cut short read after.
func (s *DataSource) queryByIDs(ctx context.Context, conn crossview.Connection, ids []string, soql func(in string) string) ([]json.RawMessage, error) {
	var lists []string
	base := len(s.c.QueryPath(soql("")))
	var cur []string
	size := base
	for _, id := range ids {
		q := Quote(id)
		n := len(url.QueryEscape(q + ","))
		if len(cur) > 0 && size+n > maxQueryURL {
			lists = append(lists, strings.Join(cur, ","))
			cur, size = nil, base
		}
		cur = append(cur, q)
		size += n
	}
	if len(cur) > 0 {
		lists = append(lists, strings.Join(cur, ","))
	}
	var rows []json.RawMessage
	for start := 0; start < len(lists); start += maxCompositeQueries {
		batch := lists[start:min(start+maxCompositeQueries, len(lists))]
		got, err := s.compositeQueries(ctx, conn, batch, soql)
		if err != nil {
			return nil, err
		}
		rows = append(rows, got...)
	}
	return rows, nil
}

func (s *DataSource) compositeQueries(ctx context.Context, conn crossview.Connection, lists []string, soql func(string) string) ([]json.RawMessage, error) {
	req := CompositeRequest{}
	for i, in := range lists {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodGet,
			URL: s.c.QueryPath(soql(in)), ReferenceID: "ids" + strconv.Itoa(i)})
	}
	resp, err := s.c.Composite(ctx, conn, req)
	if err != nil {
		return nil, err
	}
	var rows []json.RawMessage
	for i := range lists {
		sub, err := resp.Get("ids" + strconv.Itoa(i))
		if err != nil {
			return nil, err
		}
		if err := subError(sub); err != nil {
			return nil, err
		}
		var page QueryResult
		if err := json.Unmarshal(sub.Body, &page); err != nil {
			return nil, fmt.Errorf("salesforce: decoding a query answer: %w", err)
		}
		rows = append(rows, page.Records...)
		for !page.Done && page.NextRecordsURL != "" {
			next, err := s.c.QueryMore(ctx, conn, page.NextRecordsURL)
			if err != nil {
				return nil, err
			}
			page = *next
			rows = append(rows, page.Records...)
		}
	}
	return rows, nil
}
