package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxQueryURL keeps each lookup query's URL well under the 16,384
// characters Salesforce accepts in a request URI.
const maxQueryURL = 8000

// maxCompositeQueries is how many queries one composite may hold.
const maxCompositeQueries = 5

// personKey and accountKey name what a lookup found in the id cache.
func personKey(conn crossview.Connection, object, email string) string {
	return conn.ID + "|" + object + "|" + strings.ToLower(strings.TrimSpace(email))
}

func accountKey(conn crossview.Connection, org crossview.TicketOrganization) string {
	return conn.ID + "|Account|" + strconv.FormatInt(org.ID, 10) + "|" + strings.ToLower(strings.TrimSpace(org.Name))
}

// hasOrg reports whether a ticket names an organization to match.
func hasOrg(org crossview.TicketOrganization) bool {
	return org.ID != 0 || strings.TrimSpace(org.Name) != ""
}

// lookupQuery is one query of a batch lookup and how to file its rows.
type lookupQuery struct {
	soql string
	file func(rows []map[string]any)
}

// lookup finds, for the tickets whose requester or organization is not
// in the id cache (any, when fresh), the Contacts or Leads by email and
// the Accounts by external id and name, and caches what it found,
// "none" included: one composite call for a single ticket, none when
// everything is cached.
func (s *CaseSink) lookup(ctx context.Context, conn crossview.Connection, acct *ObjectDescribe, tickets []crossview.SyncTicket, fresh bool) error {
	qs, err := s.lookupsFor(conn, acct, tickets, fresh)
	if err != nil {
		return err
	}
	return s.runQueries(ctx, conn, qs)
}

// lookupsFor builds the lookup queries of the tickets' uncached
// requesters and organizations.
func (s *CaseSink) lookupsFor(conn crossview.Connection, acct *ObjectDescribe, tickets []crossview.SyncTicket, fresh bool) ([]lookupQuery, error) {
	person := requesterObject(conn.TicketSync)
	emails := map[string]bool{}
	orgs := map[string]crossview.TicketOrganization{}
	for _, t := range tickets {
		if e := strings.ToLower(strings.TrimSpace(t.Requester.Email)); e != "" {
			if _, ok := s.ids.get(personKey(conn, person, e)); fresh || !ok {
				emails[e] = true
			}
		}
		if hasOrg(t.Organization) {
			if _, ok := s.ids.get(accountKey(conn, t.Organization)); fresh || !ok {
				orgs[accountKey(conn, t.Organization)] = t.Organization
			}
		}
	}
	return s.lookupQueries(conn, acct, keys(emails), orgs)
}

// runQueries sends the queries, five to a composite call.
func (s *CaseSink) runQueries(ctx context.Context, conn crossview.Connection, qs []lookupQuery) error {
	for start := 0; start < len(qs); start += maxCompositeQueries {
		if err := s.runLookups(ctx, conn, qs[start:min(start+maxCompositeQueries, len(qs))]); err != nil {
			return err
		}
	}
	return nil
}

// lookupQueries builds the queries and what they file into the cache.
// Accounts are filed once both of their queries have answered: the
// external id wins over the name.
func (s *CaseSink) lookupQueries(conn crossview.Connection, acct *ObjectDescribe, emails []string, orgs map[string]crossview.TicketOrganization) ([]lookupQuery, error) {
	set := conn.TicketSync
	person := requesterObject(set)
	var out []lookupQuery
	if len(emails) > 0 {
		found := map[string]foundRecord{}
		selectList, filter := "Id, Email, AccountId", ""
		if person == crossview.ObjectLead {
			selectList, filter = "Id, Email", " AND IsConverted = false"
		}
		chunks := inChunks(emails, Quote, func(in string) string {
			return fmt.Sprintf("SELECT %s FROM %s WHERE Email IN (%s)%s ORDER BY CreatedDate ASC, Id ASC", selectList, person, in, filter)
		})
		for i, soql := range chunks {
			last := i == len(chunks)-1
			out = append(out, lookupQuery{soql: soql, file: func(rows []map[string]any) {
				for _, r := range rows {
					e := strings.ToLower(text(lookupCI(r, "Email")))
					if _, seen := found[e]; !seen {
						found[e] = foundRecord{ID: text(lookupCI(r, "Id")), AccountID: text(lookupCI(r, "AccountId"))}
					}
				}
				if last {
					for _, e := range emails {
						s.remember(personKey(conn, person, e), found[e])
					}
				}
			}})
		}
	}
	if len(orgs) == 0 {
		return out, nil
	}
	byExt, byName := map[string]string{}, map[string]string{}
	var extIDs, names []string
	for _, o := range orgs {
		if o.ID != 0 && set.AccountExternalIDField != "" {
			extIDs = append(extIDs, strconv.FormatInt(o.ID, 10))
		}
		if n := strings.TrimSpace(o.Name); n != "" {
			names = append(names, n)
		}
	}
	quoteExt := Quote
	if set.AccountExternalIDField != "" {
		f, ok := acct.Field(set.AccountExternalIDField)
		if !ok {
			return nil, crossview.Errorf(crossview.EINVALID, "Account field %s does not exist or is hidden from the connected user", set.AccountExternalIDField)
		}
		if f.Type == "int" || f.Type == "double" {
			quoteExt = func(s string) string { return s }
		}
	}
	var accountQueries []lookupQuery
	for _, soql := range inChunks(dedupe(extIDs), quoteExt, func(in string) string {
		return fmt.Sprintf("SELECT Id, %[1]s FROM Account WHERE %[1]s IN (%[2]s) ORDER BY CreatedDate ASC, Id ASC", set.AccountExternalIDField, in)
	}) {
		accountQueries = append(accountQueries, lookupQuery{soql: soql, file: func(rows []map[string]any) {
			for _, r := range rows {
				k := strings.TrimSuffix(text(lookupCI(r, set.AccountExternalIDField)), ".0")
				if _, seen := byExt[k]; !seen {
					byExt[k] = text(lookupCI(r, "Id"))
				}
			}
		}})
	}
	for _, soql := range inChunks(dedupe(names), Quote, func(in string) string {
		return fmt.Sprintf("SELECT Id, Name FROM Account WHERE Name IN (%s) ORDER BY CreatedDate ASC, Id ASC", in)
	}) {
		accountQueries = append(accountQueries, lookupQuery{soql: soql, file: func(rows []map[string]any) {
			for _, r := range rows {
				k := strings.ToLower(text(lookupCI(r, "Name")))
				if _, seen := byName[k]; !seen {
					byName[k] = text(lookupCI(r, "Id"))
				}
			}
		}})
	}
	fileAccounts := func() {
		for key, o := range orgs {
			id := byExt[strconv.FormatInt(o.ID, 10)]
			if id == "" || set.AccountExternalIDField == "" {
				id = byName[strings.ToLower(strings.TrimSpace(o.Name))]
			}
			s.remember(key, foundRecord{ID: id})
		}
	}
	if len(accountQueries) == 0 {
		fileAccounts() // an organization with neither a name nor a matchable id
		return out, nil
	}
	last := &accountQueries[len(accountQueries)-1]
	fileLast := last.file
	last.file = func(rows []map[string]any) {
		fileLast(rows)
		fileAccounts()
	}
	return append(out, accountQueries...), nil
}

// remember caches a lookup's result: found ids longer than misses. A
// miss never replaces a found id: the lookup may have run before another
// write created the record (a stale id is dropped before looking again).
func (s *CaseSink) remember(key string, r foundRecord) {
	if r.ID == "" {
		s.ids.setUnless(key, r, s.opts.MissTTL, func(had foundRecord) bool { return had.ID != "" })
		return
	}
	s.ids.set(key, r, s.opts.FoundTTL)
}

// runLookups sends up to five queries in one composite and files their
// rows, following further pages where a query has more.
func (s *CaseSink) runLookups(ctx context.Context, conn crossview.Connection, qs []lookupQuery) error {
	req := CompositeRequest{}
	for i, q := range qs {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodGet,
			URL: s.c.QueryPath(q.soql), ReferenceID: "lookup" + strconv.Itoa(i)})
	}
	resp, err := s.c.Composite(ctx, conn, req)
	if err != nil {
		return err
	}
	for i, q := range qs {
		sub, err := resp.Get("lookup" + strconv.Itoa(i))
		if err != nil {
			return err
		}
		if err := subError(sub); err != nil {
			return err
		}
		var page QueryResult
		if err := json.Unmarshal(sub.Body, &page); err != nil {
			return fmt.Errorf("salesforce: decoding a lookup: %w", err)
		}
		raws := page.Records
		for !page.Done && page.NextRecordsURL != "" {
			next, err := s.c.QueryMore(ctx, conn, page.NextRecordsURL)
			if err != nil {
				return err
			}
			page = *next
			raws = append(raws, page.Records...)
		}
		rows := make([]map[string]any, 0, len(raws))
		for _, raw := range raws {
			m, err := decodeRecord(raw)
			if err != nil {
				return err
			}
			rows = append(rows, m)
		}
		q.file(rows)
	}
	return nil
}

// inChunks splits values into IN lists whose whole query, URL-encoded,
// stays under maxQueryURL; build makes the query from one list.
func inChunks(values []string, quote func(string) string, build func(in string) string) []string {
	var out, cur []string
	size := len(url.QueryEscape(build("")))
	for _, v := range values {
		lit := quote(v)
		n := len(url.QueryEscape(lit)) + len(url.QueryEscape(","))
		if len(cur) > 0 && size+n > maxQueryURL {
			out = append(out, build(strings.Join(cur, ",")))
			cur, size = nil, len(url.QueryEscape(build("")))
		}
		cur = append(cur, lit)
		size += n
	}
	if len(cur) > 0 {
		out = append(out, build(strings.Join(cur, ",")))
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if k := strings.ToLower(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
