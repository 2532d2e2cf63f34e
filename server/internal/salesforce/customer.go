package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// matchLimit caps how many people one email may match in one org.
const matchLimit = 10

// LookupCustomer finds everything an org knows about an email — matching
// Contacts with their Accounts, open Opportunities and recent Cases, and
// matching unconverted Leads — in a single composite request, which
// Salesforce counts as one API call. Errors are *crossview.Error with words
// for the agent (see UserError).
func (c *Client) LookupCustomer(ctx context.Context, conn crossview.Connection, email string) (crossview.CustomerData, error) {
	d, err := c.lookupCustomer(ctx, conn, email)
	return d, UserError(err)
}

func (c *Client) lookupCustomer(ctx context.Context, conn crossview.Connection, email string) (crossview.CustomerData, error) {
	s := conn.Sidebar
	if err := s.Validate(); err != nil {
		return crossview.CustomerData{}, err
	}
	cur, known := c.currency.get(conn.OrgID, c.now())
	req := CompositeRequest{Subrequests: []Subrequest{
		{Method: "GET", ReferenceID: "contacts", URL: c.QueryPath(contactQuery(s, email))},
		{Method: "GET", ReferenceID: "accounts", URL: c.QueryPath(accountQuery(s, email, cur))},
		{Method: "GET", ReferenceID: "leads", URL: c.QueryPath(leadQuery(s, email, cur))},
	}}
	if !known {
		req.Subrequests = append(req.Subrequests, c.currencyProbes(s, email)...)
	}
	resp, err := c.Composite(ctx, conn, req)
	if err != nil {
		return crossview.CustomerData{}, err
	}
	// Which answer each page is read from: in a multi-currency org just
	// learned about, the probe's accounts carry their currencies.
	from := map[string]string{"contacts": "contacts", "accounts": "accounts", "leads": "leads"}
	if !known {
		if learned, sure := learnCurrency(resp); sure {
			cur = learned
			c.currency.put(conn.OrgID, cur, c.now())
			if cur.multi {
				from["accounts"] = refAccountsMulti
			}
		}
	}
	pages := map[string][]json.RawMessage{}
	for _, ref := range []string{"contacts", "accounts", "leads"} {
		sub, err := resp.Get(from[ref])
		if err != nil {
			return crossview.CustomerData{}, err
		}
		if err := sub.Err(); err != nil {
			// The composite call succeeded, so this refusal is recorded
			// here for the admin's list of the org's recent errors.
			var ae *APIError
			if errors.As(err, &ae) {
				c.noteFailure(conn.OrgID, ae, "")
			}
			return crossview.CustomerData{}, err
		}
		var q QueryResult
		if err := json.Unmarshal(sub.Body, &q); err != nil {
			return crossview.CustomerData{}, fmt.Errorf("salesforce: decoding %s: %w", ref, err)
		}
		pages[ref] = q.Records
	}
	return assemble(conn, pages, cur)
}

func selectList(fixed []string, extra []string) string {
	seen := map[string]bool{}
	var out []string
	for _, f := range append(append([]string{}, fixed...), extra...) {
		if k := strings.ToLower(f); !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return strings.Join(out, ", ")
}

func contactQuery(s crossview.SidebarSettings, email string) string {
	return fmt.Sprintf("SELECT %s FROM Contact WHERE %s = %s ORDER BY LastModifiedDate DESC LIMIT %d",
		selectList([]string{"Id", "Name", "AccountId"}, s.Fields[crossview.ObjectContact]),
		s.ContactMatchField, Quote(email), matchLimit)
}

func leadQuery(s crossview.SidebarSettings, email string, cur orgCurrency) string {
	return fmt.Sprintf("SELECT %s FROM Lead WHERE %s = %s AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT %d",
		selectList(withCurrency([]string{"Id", "Name"}, cur), s.Fields[crossview.ObjectLead]),
		s.LeadMatchField, Quote(email), matchLimit)
}

// accountQuery reads the matching contacts' accounts with their related
// lists through a semi-join, so no second round trip is needed.
func accountQuery(s crossview.SidebarSettings, email string, cur orgCurrency) string {
	opps := fmt.Sprintf("(SELECT %s FROM Opportunities WHERE IsClosed = false ORDER BY CloseDate ASC LIMIT %d)",
		selectList(withCurrency([]string{"Id", "Name"}, cur), s.Fields[crossview.ObjectOpportunity]), max(s.MaxOpportunities, 1))
	cases := fmt.Sprintf("(SELECT %s FROM Cases ORDER BY CreatedDate DESC LIMIT %d)",
		selectList([]string{"Id", "Subject"}, s.Fields[crossview.ObjectCase]), max(s.MaxCases, 1))
	return fmt.Sprintf("SELECT %s, %s, %s FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE %s = %s) LIMIT %d",
		selectList(withCurrency([]string{"Id", "Name"}, cur), s.Fields[crossview.ObjectAccount]), opps, cases,
		s.ContactMatchField, Quote(email), matchLimit)
}

// assemble turns the three query answers into matches: one per contact
// (with its account), or one per lead when no contact matched.
func assemble(conn crossview.Connection, pages map[string][]json.RawMessage, cur orgCurrency) (crossview.CustomerData, error) {
	s := conn.Sidebar
	accounts := map[string]*crossview.CustomerMatch{}
	for _, raw := range pages["accounts"] {
		rec, err := decodeRecord(raw)
		if err != nil {
			return crossview.CustomerData{}, err
		}
		m := &crossview.CustomerMatch{}
		acc := toRecord(conn, crossview.ObjectAccount, rec, "Name", s.Fields[crossview.ObjectAccount], cur)
		m.Account = &acc
		for _, o := range children(rec, "Opportunities", s.MaxOpportunities) {
			m.Opportunities = append(m.Opportunities, toRecord(conn, crossview.ObjectOpportunity, o, "Name", s.Fields[crossview.ObjectOpportunity], cur))
		}
		for _, cs := range children(rec, "Cases", s.MaxCases) {
			m.Cases = append(m.Cases, toRecord(conn, crossview.ObjectCase, cs, "Subject", s.Fields[crossview.ObjectCase], cur))
		}
		accounts[acc.ID] = m
	}
	var out crossview.CustomerData
	for _, raw := range pages["contacts"] {
		rec, err := decodeRecord(raw)
		if err != nil {
			return crossview.CustomerData{}, err
		}
		m := crossview.CustomerMatch{Person: toRecord(conn, crossview.ObjectContact, rec, "Name", s.Fields[crossview.ObjectContact], cur)}
		if acc, ok := accounts[text(rec["AccountId"])]; ok {
			m.Account, m.Opportunities, m.Cases = acc.Account, acc.Opportunities, acc.Cases
		}
		out.Matches = append(out.Matches, m)
	}
	if len(out.Matches) == 0 {
		for _, raw := range pages["leads"] {
			rec, err := decodeRecord(raw)
			if err != nil {
				return crossview.CustomerData{}, err
			}
			out.Matches = append(out.Matches, crossview.CustomerMatch{Person: toRecord(conn, crossview.ObjectLead, rec, "Name", s.Fields[crossview.ObjectLead], cur)})
		}
	}
	return out, nil
}

func decodeRecord(raw json.RawMessage) (map[string]any, error) {
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("salesforce: decoding record: %w", err)
	}
	return m, nil
}

// children returns a child relationship's records ({"records": [...]} or
// null when empty).
func children(rec map[string]any, rel string, limit int) []map[string]any {
	sub, _ := lookupCI(rec, rel).(map[string]any)
	list, _ := sub["records"].([]any)
	var out []map[string]any
	for _, r := range list {
		if m, ok := r.(map[string]any); ok && (limit <= 0 || len(out) < limit) {
			out = append(out, m)
		}
	}
	return out
}

func toRecord(conn crossview.Connection, object string, rec map[string]any, nameField string, fields []string, cur orgCurrency) crossview.Record {
	id := text(lookupCI(rec, "Id"))
	r := crossview.Record{Object: object, ID: id, Name: text(lookupCI(rec, nameField)), URL: lightningURL(conn.InstanceURL, object, id)}
	for _, f := range fields {
		if strings.EqualFold(f, nameField) || strings.EqualFold(f, "Id") {
			continue
		}
		v := path(rec, f)
		field := crossview.Field{Name: f, Label: Label(f), Value: display(v)}
		if isMoney(object, f) && field.Value != "" {
			field.Value, field.Currency = money(v), cur.codeFor(rec)
		}
		r.Fields = append(r.Fields, field)
	}
	return r
}

// lightningURL opens a record in Lightning Experience from the org's domain.
func lightningURL(instance, object, id string) string {
	if instance == "" || id == "" {
		return ""
	}
	return strings.TrimRight(instance, "/") + "/lightning/r/" + object + "/" + url.PathEscape(id) + "/view"
}

// path reads a field, following one relationship (Owner.Name).
func path(rec map[string]any, field string) any {
	head, rest, nested := strings.Cut(field, ".")
	v := lookupCI(rec, head)
	if !nested {
		return v
	}
	parent, _ := v.(map[string]any)
	if parent == nil {
		return nil
	}
	return lookupCI(parent, rest)
}

// lookupCI finds a key case-insensitively, since settings may spell a field
// differently from Salesforce's canonical casing.
func lookupCI(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}
