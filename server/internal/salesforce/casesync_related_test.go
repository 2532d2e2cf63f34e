package salesforce_test

import (
	"context"
	"sync"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestConcurrentTicketsOfANewRequesterCreateOneContact(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	f.conn.TicketSync.AccountMatch = crossview.MatchCreate
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: ticket(int64(i + 1))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	contacts := f.query(t, "SELECT Id FROM Contact")
	accounts := f.query(t, "SELECT Id FROM Account")
	if len(contacts) != 1 || len(accounts) != 1 {
		t.Fatalf("%d Contacts and %d Accounts for one requester of one organization, want one each", len(contacts), len(accounts))
	}
	for _, c := range f.query(t, "SELECT ContactId, AccountId FROM Case") {
		if c["ContactId"] != contacts[0]["Id"] || c["AccountId"] != accounts[0]["Id"] {
			t.Errorf("Case links %v", c)
		}
	}
}

func TestAccountsMatchByExternalIDThenName(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	addField(t, f, "Account", salesforcetest.FieldSpec{Name: "Zendesk_Org_Id__c", Type: "string", Length: 20, ExternalID: true})
	f.conn.TicketSync.AccountExternalIDField = "Zendesk_Org_Id__c"
	f.conn.TicketSync.AccountMatch = crossview.MatchCreate
	byName := f.insert(t, "Account", map[string]any{"Name": "Analytical Engines"})
	byID := f.insert(t, "Account", map[string]any{"Name": "Analytical Engines Ltd (renamed)", "Zendesk_Org_Id__c": "77"})
	nameOnly := f.insert(t, "Account", map[string]any{"Name": "Difference Engines"})

	tk := ticket(1) // organization 77, "Analytical Engines"
	other := ticket(2)
	other.Organization = crossview.TicketOrganization{ID: 88, Name: "Difference Engines"}
	fresh := ticket(3)
	fresh.Organization = crossview.TicketOrganization{ID: 99, Name: "Jacquard Looms"}
	fresh.Requester.Email = "joseph@looms.example"
	for _, w := range []crossview.SyncTicket{tk, other} {
		if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: w}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.sink.WriteMany(ctx, f.conn, []crossview.CaseWrite{{Ticket: fresh}}); err != nil {
		t.Fatal(err)
	}
	if got := f.caseByKey(t, "acme:1")["AccountId"]; got != byID {
		t.Errorf("ticket 1 Account %v, want the one with external id 77 (%s), not the namesake %s", got, byID, byName)
	}
	if got := f.caseByKey(t, "acme:2")["AccountId"]; got != nameOnly {
		t.Errorf("ticket 2 Account %v, want %s matched by name", got, nameOnly)
	}
	created := f.query(t, "SELECT Id, Name, Zendesk_Org_Id__c FROM Account WHERE Name = 'Jacquard Looms'")
	if len(created) != 1 || created[0]["Zendesk_Org_Id__c"] != "99" || f.caseByKey(t, "acme:3")["AccountId"] != created[0]["Id"] {
		t.Errorf("created Accounts %v; want one holding the organization id, linked to ticket 3", created)
	}
	joseph := f.query(t, "SELECT AccountId FROM Contact WHERE Email = 'joseph@looms.example'")
	if len(joseph) != 1 || joseph[0]["AccountId"] != created[0]["Id"] {
		t.Errorf("the new requester %v, want a Contact of the new Account", joseph)
	}
}

func TestRequestersAsLeadsAndDefaults(t *testing.T) {
	ctx := context.Background()
	t.Run("leads", func(t *testing.T) {
		f := newSyncFixture(t, syncSpec{})
		f.conn.TicketSync.RequesterObject = crossview.ObjectLead
		if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(1)}); err != nil {
			t.Fatal(err)
		}
		leads := f.query(t, "SELECT FirstName, LastName, Email, Company FROM Lead")
		if len(leads) != 1 || leads[0]["Company"] != "Analytical Engines" || leads[0]["LastName"] != "Lovelace" {
			t.Errorf("leads = %v", leads)
		}
		c := f.query(t, "SELECT ContactId, SuppliedName, SuppliedEmail FROM Case")[0]
		if c["ContactId"] != nil || c["SuppliedEmail"] != "ada@engines.example" || c["SuppliedName"] != "Ada King Lovelace" {
			t.Errorf("Case = %v; a Case links no Lead, so it names the requester", c)
		}
		if n := len(f.query(t, "SELECT Id FROM Contact")); n != 0 {
			t.Errorf("%d Contacts created for a Lead requester", n)
		}
	})
	t.Run("default records", func(t *testing.T) {
		f := newSyncFixture(t, syncSpec{})
		acct := f.insert(t, "Account", map[string]any{"Name": "Unmatched tickets"})
		con := f.insert(t, "Contact", map[string]any{"LastName": "Unknown requester"})
		f.conn.TicketSync.RequesterMatch, f.conn.TicketSync.DefaultRequesterID = crossview.MatchDefault, con
		f.conn.TicketSync.AccountMatch, f.conn.TicketSync.DefaultAccountID = crossview.MatchDefault, acct
		if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(1)}); err != nil {
			t.Fatal(err)
		}
		if c := f.caseByKey(t, "acme:1"); c["ContactId"] != con || c["AccountId"] != acct {
			t.Errorf("Case links %v / %v, want the defaults", c["ContactId"], c["AccountId"])
		}
		if n := len(f.query(t, "SELECT Id FROM Contact")); n != 1 {
			t.Errorf("%d Contacts, want only the default", n)
		}
	})
	t.Run("existing only", func(t *testing.T) {
		f := newSyncFixture(t, syncSpec{})
		f.conn.TicketSync.RequesterMatch = crossview.MatchExisting
		if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(1)}); err != nil {
			t.Fatal(err)
		}
		if c := f.caseByKey(t, "acme:1"); c["ContactId"] != nil || c["AccountId"] != nil {
			t.Errorf("Case links %v / %v, want nothing", c["ContactId"], c["AccountId"])
		}
		if n := len(f.query(t, "SELECT Id FROM Contact")); n != 0 {
			t.Errorf("%d Contacts created with matching set to existing only", n)
		}
	})
}
