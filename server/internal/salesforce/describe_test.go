package salesforce_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// Describe reads several objects in one API call and says which fields
// may be filtered on; an object the org lacks is simply absent.
func TestDescribeInOneCall(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	if err := f.org.DefineField("Contact", "Notes__c", "textarea"); err != nil {
		t.Fatal(err)
	}
	before := f.org.Stats().APICalls
	ds, err := f.client.Describe(context.Background(), f.conn, "Contact", "Account", "Nonexistent__c")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.org.Stats().APICalls - before; n != 1 {
		t.Errorf("describing two objects cost %d API calls, want 1", n)
	}
	if _, ok := ds["Nonexistent__c"]; ok || len(ds) != 2 {
		t.Fatalf("describes: %v", ds)
	}
	email, ok := ds["Contact"].Field("email")
	notes, _ := ds["Contact"].Field("Notes__c")
	if !ok || email.Type != "email" || !email.Filterable || notes.Filterable {
		t.Errorf("Email %+v, Notes__c %+v", email, notes)
	}
	if rel, ok := ds["Contact"].Relationship("account"); !ok || rel.Name != "AccountId" || len(rel.ReferenceTo) != 1 || rel.ReferenceTo[0] != "Account" {
		t.Errorf("Contact.Account: %+v", rel)
	}
}

// A sidebar lookup refused because of a settings field tells no one the
// query or the email it held; the org's recent errors name the field.
func TestRefusedLookupKeepsTheQueryToItself(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	const email = "pat.requester@customer.example"
	f.insert(t, "Contact", map[string]any{"LastName": "Requester", "Email": email})
	f.conn.Sidebar.Fields[crossview.ObjectAccount] = []string{"Industry", "Bogus__c"}
	_, err := f.client.LookupCustomer(context.Background(), f.conn, email)
	if crossview.ErrorCode(err) != crossview.EINVALID {
		t.Fatalf("lookup with a field the org lacks: %v", err)
	}
	for _, leak := range []string{"SELECT", email, "customer.example"} {
		if strings.Contains(crossview.ErrorMessage(err), leak) || strings.Contains(err.Error(), leak) {
			t.Errorf("the error quotes %q: %v", leak, err)
		}
	}
	var ae *salesforce.APIError
	if !errors.As(err, &ae) || ae.Code != "INVALID_FIELD" || !strings.Contains(ae.Message, "Bogus__c") {
		t.Errorf("the cause kept for the log should name the field: %+v", ae)
	}
	fl := f.client.Activity(f.org.ID()).Failures
	if len(fl) != 1 || fl[0].Code != "INVALID_FIELD" || !strings.Contains(fl[0].Message, "Bogus__c") || strings.Contains(fl[0].Message, email) {
		t.Fatalf("recent errors: %+v", fl)
	}
}
