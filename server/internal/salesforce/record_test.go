package salesforce_test

import (
	"context"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestResolveRecordFollowsTheRepsVisibility(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	ctx := context.Background()
	acc := f.insert(t, "Account", map[string]any{"Name": "Globex"})
	hidden := f.insert(t, "Account", map[string]any{"Name": "Secret Corp"})
	con := f.insert(t, "Contact", map[string]any{"FirstName": "Pat", "LastName": "O'Brien", "Email": "Pat.O'Brien@Globex.example", "AccountId": acc})
	f.insert(t, "Contact", map[string]any{"LastName": "Two", "Email": "two@globex.example", "AccountId": acc})
	opp := f.insert(t, "Opportunity", map[string]any{"Name": "Deal", "StageName": "Prospecting", "CloseDate": "2027-01-01", "AccountId": acc})
	lead := f.insert(t, "Lead", map[string]any{"LastName": "Chen", "Company": "Umbrella", "Email": "mia@umbrella.example"})
	cs := f.insert(t, "Case", map[string]any{"Subject": "Broken", "Status": "New", "AccountId": acc, "ContactId": con})

	rep := f.org.AddUser(salesforcetest.User{Username: "rep@acme.example", Perms: salesforcetest.Permissions{APIEnabled: true}})
	for _, id := range []string{acc, con, opp, lead, cs} {
		f.org.Share(id, rep.ID)
	}
	token, _ := f.org.IssueTokens(rep.ID)
	resolve := func(object, id string) (crossview.SalesforceRecord, error) {
		return f.client.ResolveRecord(ctx, f.org.ID(), f.org.InstanceURL(), token, object, id)
	}

	r, err := resolve("", con)
	if err != nil || r.Object != "Contact" || r.Name != "Pat O'Brien" || len(r.Emails) != 1 || r.Emails[0] != "pat.o'brien@globex.example" {
		t.Fatalf("contact: %+v, %v", r, err)
	}
	// The rep sees one of the account's two contacts, so one email counts.
	r, err = resolve("Account", acc)
	if err != nil || r.AccountID != acc || r.AccountName != "Globex" || len(r.Emails) != 1 {
		t.Fatalf("account: %+v, %v", r, err)
	}
	r, err = resolve("Opportunity", opp)
	if err != nil || r.AccountID != acc || r.AccountName != "Globex" || len(r.Emails) != 1 {
		t.Fatalf("opportunity: %+v, %v", r, err)
	}
	r, err = resolve("Lead", lead)
	if err != nil || len(r.Emails) != 1 || r.Emails[0] != "mia@umbrella.example" {
		t.Fatalf("lead: %+v, %v", r, err)
	}
	r, err = resolve("Case", cs)
	if err != nil || !r.ViewOnly || r.AccountID != acc || len(r.Emails) != 1 {
		t.Fatalf("case: %+v, %v", r, err)
	}
	// The rep was never given the hidden account: no record, no tickets.
	if _, err := resolve("Account", hidden); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("an account the rep may not see: %v", err)
	}
	// An admin token sees it: visibility follows the viewer, not a service user.
	adminTok, _ := f.org.IssueTokens(f.admin.ID)
	if r, err := f.client.ResolveRecord(ctx, f.org.ID(), f.org.InstanceURL(), adminTok, "Account", hidden); err != nil || r.Name != "Secret Corp" {
		t.Fatalf("admin: %+v, %v", r, err)
	}
	if r, err := f.client.ResolveRecord(ctx, f.org.ID(), f.org.InstanceURL(), adminTok, "Account", acc); err != nil || len(r.Emails) != 2 {
		t.Fatalf("admin sees both contacts: %+v, %v", r, err)
	}
	if _, err := resolve("User", "005000000000001AAA"); crossview.ErrorCode(err) != crossview.EINVALID {
		t.Fatalf("unsupported object: %v", err)
	}
}
