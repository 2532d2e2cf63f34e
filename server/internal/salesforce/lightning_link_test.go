package salesforce_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// TestRecordLinksOpenInTheEmulatedOrg follows every "open in Salesforce"
// link a lookup returns, as an agent clicking them would.
func TestRecordLinksOpenInTheEmulatedOrg(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	acc := f.insert(t, "Account", map[string]any{"Name": "Globex"})
	f.insert(t, "Contact", map[string]any{"FirstName": "Pat", "LastName": "Quinn", "Email": "pat@globex.example", "AccountId": acc})
	f.insert(t, "Opportunity", map[string]any{"Name": "Expansion", "StageName": "Prospecting", "CloseDate": "2027-01-15", "AccountId": acc})
	f.insert(t, "Case", map[string]any{"Subject": "Invoice wrong", "AccountId": acc})
	d, err := f.client.LookupCustomer(context.Background(), f.conn, "pat@globex.example")
	if err != nil || len(d.Matches) != 1 {
		t.Fatalf("lookup: %v %+v", err, d)
	}
	m := d.Matches[0]
	links := map[string]string{m.Person.URL: "Pat Quinn", m.Account.URL: "Globex"}
	for _, o := range m.Opportunities {
		links[o.URL] = "Expansion"
	}
	for _, c := range m.Cases {
		links[c.URL] = "Invoice wrong"
	}
	if len(links) != 4 {
		t.Fatalf("links = %v", links)
	}
	for link, name := range links {
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), name) {
			t.Errorf("%s: %d, want 200 showing %q", link, resp.StatusCode, name)
		}
	}
}
