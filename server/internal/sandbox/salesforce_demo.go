package sandbox

import (
	"context"
	"slices"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/web"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// recordPageOrg is the org whose record pages /demo/salesforce plays.
const recordPageOrg = "a"

// SalesforceRecords lists the records /demo can open on a record page.
func (w *World) SalesforceRecords() []web.DemoRecord {
	a := w.Org(recordPageOrg)
	out := make([]web.DemoRecord, 0, len(a.Records))
	for _, r := range a.Records {
		out = append(out, web.DemoRecord{ID: r.ID, Object: r.Object, Name: r.Name, Note: r.Note})
	}
	return out
}

// SalesforceUsers lists who /demo can view a record page as.
func (w *World) SalesforceUsers() []web.DemoUser {
	a := w.Org("a")
	return []web.DemoUser{
		{Key: "admin", Name: a.Admin.FirstName + " " + a.Admin.LastName, Note: "System administrator: sees every record"},
		{Key: "rep", Name: a.Rep.FirstName + " " + a.Rep.LastName, Note: "Sales rep: sees Globex and Initech, not Lena Park or Hooli"},
	}
}

// SignCanvas signs a Canvas request for a record as the emulated org does
// when a Lightning page hosts the canvas app. A user who may not see the
// record gets an error, as Salesforce would not open the page.
func (w *World) SignCanvas(_ context.Context, recordID, userKey string) (string, error) {
	a := w.Org("a")
	user := a.Admin.ID
	if userKey == "rep" {
		user = a.Rep.ID
	}
	var object string
	for _, r := range a.Records {
		if r.ID == recordID {
			object = r.Object
		}
	}
	if object == "" {
		return "", crossview.Errorf(crossview.ENOTFOUND, "No such seeded record.")
	}
	params := map[string]any{"recordId": recordID, "sObjectName": object}
	sr, err := w.Cloud.SignCanvasRequest(a.Org.ID(), user, recordID, object, w.ClientSecret, params)
	if err != nil {
		return "", crossview.Wrap(crossview.EFORBIDDEN, "This user may not open this record in Salesforce.", err)
	}
	return sr, nil
}

// RecordTickets lists tickets in every Zendesk account that a record's
// panel shows, for the demo's "change a ticket" control.
func (w *World) RecordTickets(recordID string) []web.DemoTicketRef {
	emails, orgName := w.recordMatch(recordID)
	var out []web.DemoTicketRef
	for _, acct := range w.Accounts {
		for _, t := range acct.Account.Tickets() {
			u, _ := acct.Account.User(t.RequesterID)
			o, _ := acct.Account.Organization(t.OrganizationID)
			if slices.Contains(emails, strings.ToLower(u.Email)) || (orgName != "" && strings.EqualFold(o.Name, orgName)) {
				out = append(out, web.DemoTicketRef{Tenant: acct.Account.Subdomain(), ID: t.ID, Subject: t.Subject, Status: t.Status})
			}
		}
	}
	slices.SortFunc(out, func(a, b web.DemoTicketRef) int {
		return crossview.StatusRank(a.Status) - crossview.StatusRank(b.Status)
	})
	return out[:min(len(out), 8)]
}

// recordMatch is what a seeded record matches by, mirroring the product's
// rules closely enough to pick tickets to change.
func (w *World) recordMatch(recordID string) (emails []string, orgName string) {
	a := w.Org("a")
	rec, ok := a.Org.Get(w.objectOf(recordID), recordID)
	if !ok {
		return nil, ""
	}
	str := func(k string) string { s, _ := rec[k].(string); return s }
	switch w.objectOf(recordID) {
	case crossview.ObjectContact, crossview.ObjectLead:
		return []string{strings.ToLower(str("Email"))}, ""
	case crossview.ObjectAccount:
		return nil, str("Name")
	case crossview.ObjectOpportunity, crossview.ObjectCase:
		acc, _ := a.Org.Get(crossview.ObjectAccount, str("AccountId"))
		name, _ := acc["Name"].(string)
		return nil, name
	}
	return nil, ""
}

func (w *World) objectOf(id string) string {
	for _, r := range w.Org("a").Records {
		if r.ID == id {
			return r.Object
		}
	}
	return ""
}

// ChangeTicket changes a ticket's status in the emulated Zendesk, which
// signs and sends the webhook to Crossview like Zendesk does.
func (w *World) ChangeTicket(_ context.Context, tenant string, id int64, status string) error {
	acct := w.AccountSeed(tenant)
	if acct == nil {
		return crossview.Errorf(crossview.ENOTFOUND, "No emulated Zendesk account %q.", tenant)
	}
	if !slices.Contains(crossview.TicketStatuses(), status) {
		return crossview.Errorf(crossview.EINVALID, "Unknown status %q.", status)
	}
	_, err := acct.Account.UpdateTicket(id, func(t *zendesktest.Ticket) { t.Status = status })
	if err != nil {
		return crossview.Wrap(crossview.EINVALID, "The emulated Zendesk refused the change.", err)
	}
	return nil
}
