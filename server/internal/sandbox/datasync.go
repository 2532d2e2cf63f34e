package sandbox

import (
	"context"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/web"
)

// TitleField is the support desk's custom user field that data sync fills
// with a Contact's title.
const TitleField = "title"

// DataSyncSettings are the sandbox's: Accounts and Contacts of the record
// page's org become the support desk's organizations and users, a
// Contact's title going to a user field and its phone to the user's, read
// every ten seconds so a change shows quickly.
func DataSyncSettings() crossview.DataSyncSettings {
	s := crossview.DefaultDataSyncSettings()
	s.Contacts.Mappings = append(s.Contacts.Mappings,
		crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields." + TitleField},
		crossview.DataMapping{Salesforce: "Phone", Zendesk: "phone"})
	s.Accounts.Mappings = append(s.Accounts.Mappings, crossview.DataMapping{Salesforce: "Industry", Zendesk: "tags"})
	// Ten-second polls of two objects cost some 19,000 of the emulated
	// org's 100,000 daily calls: a quarter of it leaves them unstretched.
	s.PollSeconds, s.APIShare = 10, 0.25
	return s
}

// SalesforceContact returns a seeded Contact of the record page's org as
// it is now, for /demo/salesforce's edit control.
func (w *World) SalesforceContact(recordID string) (web.DemoContact, bool) {
	a := w.Org(recordPageOrg)
	if w.objectOf(recordID) != crossview.ObjectContact {
		return web.DemoContact{}, false
	}
	rec, ok := a.Org.Get(crossview.ObjectContact, recordID)
	if !ok {
		return web.DemoContact{}, false
	}
	str := func(k string) string { s, _ := rec[k].(string); return s }
	c := web.DemoContact{ID: recordID, Title: str("Title"), Phone: str("Phone"), Email: str("Email")}
	for _, t := range w.TicketSeeds {
		if strings.EqualFold(t.Requester.Email, c.Email) {
			c.TicketID = t.Ticket.ID
			break
		}
	}
	return c, true
}

// EditContact changes a seeded Contact's title and phone in the emulated
// org, as a rep would on its record page: its SystemModstamp moves, and
// data sync carries the change to the Zendesk user.
func (w *World) EditContact(_ context.Context, recordID, title, phone string) error {
	if w.objectOf(recordID) != crossview.ObjectContact {
		return crossview.Errorf(crossview.ENOTFOUND, "No seeded Contact %q.", recordID)
	}
	title, phone = strings.TrimSpace(title), strings.TrimSpace(phone)
	if len(title) > 128 || len(phone) > 40 {
		return crossview.Errorf(crossview.EINVALID, "A title is at most 128 characters and a phone 40.")
	}
	if err := w.Org(recordPageOrg).Org.Update(crossview.ObjectContact, recordID, map[string]any{"Title": title, "Phone": phone}); err != nil {
		return crossview.Wrap(crossview.EINVALID, "The emulated org refused the change.", err)
	}
	return nil
}

// requesterInZendesk is a ticket's requester as the support desk holds
// them now: what data sync wrote shows here.
func (w *World) requesterInZendesk(userID int64) web.DemoRequester {
	u, ok := w.Account.User(userID)
	if !ok {
		return web.DemoRequester{}
	}
	r := web.DemoRequester{Name: u.Name, Email: u.Email, Phone: u.Phone, ExternalID: u.ExternalID, OtherPhones: u.OtherPhones}
	r.Title, _ = u.UserFields[TitleField].(string)
	if o, ok := w.Account.Organization(u.OrganizationID); ok {
		r.Organization = o.Name
	}
	return r
}
