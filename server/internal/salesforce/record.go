package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxAccountEmails caps how many of an Account's contacts' emails are
// matched, keeping every Zendesk lookup bounded.
const maxAccountEmails = 50

// ObjectOf names the object of a record id by its key prefix.
func ObjectOf(id string) string {
	if len(id) < 3 {
		return ""
	}
	switch id[:3] {
	case "001":
		return crossview.ObjectAccount
	case "003":
		return crossview.ObjectContact
	case "00Q":
		return crossview.ObjectLead
	case "006":
		return crossview.ObjectOpportunity
	case "500":
		return crossview.ObjectCase
	}
	return ""
}

// ResolveRecord reads a record and what it matches tickets by, with the
// viewing rep's own token, in one composite call. A record the rep may not
// see reads as not found, so no tickets are shown for it.
func (c *Client) ResolveRecord(ctx context.Context, orgID, instanceURL, accessToken, object, id string) (crossview.SalesforceRecord, error) {
	rec, err := c.resolveRecord(ctx, orgID, instanceURL, accessToken, object, id)
	if err != nil {
		if IsSessionExpired(err) {
			return rec, crossview.Wrap(crossview.EUNAUTHORIZED, "Your Salesforce session has expired. Reload the page.", err)
		}
		return rec, UserError(err)
	}
	return rec, nil
}

func (c *Client) resolveRecord(ctx context.Context, orgID, instanceURL, accessToken, object, id string) (crossview.SalesforceRecord, error) {
	if !crossview.ValidSalesforceID(id) {
		return crossview.SalesforceRecord{}, crossview.Errorf(crossview.EINVALID, "This page has no record id Crossview can read.")
	}
	if object == "" {
		object = ObjectOf(id)
	}
	q := Quote(id)
	var queries []Subrequest
	add := func(ref, soql string) {
		queries = append(queries, Subrequest{Method: http.MethodGet, ReferenceID: ref, URL: c.QueryPath(soql)})
	}
	switch object {
	case crossview.ObjectContact:
		add("record", "SELECT Id, Name, Email, AccountId, Account.Name FROM Contact WHERE Id = "+q)
	case crossview.ObjectLead:
		add("record", "SELECT Id, Name, Email FROM Lead WHERE Id = "+q)
	case crossview.ObjectAccount:
		add("record", fmt.Sprintf("SELECT Id, Name, (SELECT Email FROM Contacts WHERE Email != null ORDER BY LastModifiedDate DESC LIMIT %d) FROM Account WHERE Id = %s", maxAccountEmails, q))
	case crossview.ObjectOpportunity:
		add("record", "SELECT Id, Name, AccountId, Account.Name FROM Opportunity WHERE Id = "+q)
		add("emails", fmt.Sprintf("SELECT Email FROM Contact WHERE AccountId IN (SELECT AccountId FROM Opportunity WHERE Id = %s) AND Email != null ORDER BY LastModifiedDate DESC LIMIT %d", q, maxAccountEmails))
	case crossview.ObjectCase:
		add("record", "SELECT Id, CaseNumber, Subject, ContactId, Contact.Email, AccountId, Account.Name FROM Case WHERE Id = "+q)
	default:
		return crossview.SalesforceRecord{}, crossview.Errorf(crossview.EINVALID, "Crossview's ticket view works on Account, Contact, Lead, Opportunity and Case pages, not %s.", orDash(object))
	}
	var resp CompositeResponse
	if err := c.DoAs(ctx, orgID, instanceURL, accessToken, http.MethodPost, c.DataPath("/composite"), CompositeRequest{Subrequests: queries}, &resp); err != nil {
		return crossview.SalesforceRecord{}, err
	}
	rows := map[string][]map[string]any{}
	for _, sr := range queries {
		sub, err := resp.Get(sr.ReferenceID)
		if err != nil {
			return crossview.SalesforceRecord{}, err
		}
		if err := sub.Err(); err != nil {
			return crossview.SalesforceRecord{}, err
		}
		var page QueryResult
		if err := json.Unmarshal(sub.Body, &page); err != nil {
			return crossview.SalesforceRecord{}, fmt.Errorf("salesforce: decoding %s: %w", sr.ReferenceID, err)
		}
		for _, raw := range page.Records {
			m, err := decodeRecord(raw)
			if err != nil {
				return crossview.SalesforceRecord{}, err
			}
			rows[sr.ReferenceID] = append(rows[sr.ReferenceID], m)
		}
	}
	if len(rows["record"]) == 0 {
		return crossview.SalesforceRecord{}, crossview.Errorf(crossview.ENOTFOUND, "This %s does not exist or you may not see it in Salesforce, so no tickets are shown.", object)
	}
	r := rows["record"][0]
	out := crossview.SalesforceRecord{OrgID: orgID, Object: object, ID: text(lookupCI(r, "Id")), Name: text(lookupCI(r, "Name"))}
	email := func(v any) {
		if e := strings.TrimSpace(text(v)); e != "" && len(out.Emails) < maxAccountEmails {
			out.Emails = appendUnique(out.Emails, strings.ToLower(e))
		}
	}
	switch object {
	case crossview.ObjectContact, crossview.ObjectLead:
		email(lookupCI(r, "Email"))
		out.AccountID, out.AccountName = text(lookupCI(r, "AccountId")), text(path(r, "Account.Name"))
	case crossview.ObjectAccount:
		out.AccountID, out.AccountName = out.ID, out.Name
		for _, c := range children(r, "Contacts", 0) {
			email(lookupCI(c, "Email"))
		}
	case crossview.ObjectOpportunity:
		out.AccountID, out.AccountName = text(lookupCI(r, "AccountId")), text(path(r, "Account.Name"))
		for _, c := range rows["emails"] {
			email(lookupCI(c, "Email"))
		}
	case crossview.ObjectCase:
		out.Name = strings.TrimSpace(text(lookupCI(r, "CaseNumber")) + " " + text(lookupCI(r, "Subject")))
		out.AccountID, out.AccountName = text(lookupCI(r, "AccountId")), text(path(r, "Account.Name"))
		email(path(r, "Contact.Email"))
		out.ViewOnly = true
	}
	return out, nil
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func orDash(s string) string {
	if s == "" {
		return "this kind of record"
	}
	return s
}
