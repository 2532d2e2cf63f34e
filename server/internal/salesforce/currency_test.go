package salesforce_test

import (
	"context"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// field finds a displayed field by API name.
func field(r crossview.Record, name string) crossview.Field {
	for _, f := range r.Fields {
		if f.Name == name {
			return f
		}
	}
	return crossview.Field{}
}

func seedGlobex(t *testing.T, f *fixture, opps ...map[string]any) {
	t.Helper()
	acc := f.insert(t, "Account", map[string]any{"Name": "Globex", "AnnualRevenue": 2500000})
	f.insert(t, "Contact", map[string]any{"LastName": "Pat", "Email": "pat@globex.example", "AccountId": acc})
	for _, o := range opps {
		o["AccountId"], o["StageName"], o["CloseDate"] = acc, "Prospecting", "2027-01-15"
		f.insert(t, "Opportunity", o)
	}
}

func lookupGlobex(t *testing.T, f *fixture, conn crossview.Connection) crossview.CustomerMatch {
	t.Helper()
	before := f.org.Stats().APICalls
	d, err := f.client.LookupCustomer(context.Background(), conn, "pat@globex.example")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.org.Stats().APICalls - before; n != 1 {
		t.Fatalf("a lookup cost %d API calls, want 1", n)
	}
	if len(d.Matches) != 1 || d.Matches[0].Account == nil {
		t.Fatalf("matches = %+v", d.Matches)
	}
	return d.Matches[0]
}

// In a single-currency org every amount is in the org's currency.
func TestAmountsCarryTheOrgCurrency(t *testing.T) {
	f := newOrgFixture(t, salesforcetest.Options{}, salesforcetest.OrgSpec{Name: "Acme GmbH", Currency: "EUR"})
	seedGlobex(t, f, map[string]any{"Name": "Expansion", "Amount": 48000})
	conn := f.conn
	conn.Sidebar.Fields[crossview.ObjectAccount] = []string{"Industry", "AnnualRevenue"}
	for range 2 { // the second lookup uses what the first learned
		m := lookupGlobex(t, f, conn)
		if got := field(m.Opportunities[0], "Amount"); got.Value != "48,000" || got.Currency != "EUR" {
			t.Errorf("amount = %+v, want 48,000 EUR", got)
		}
		if got := field(m.Opportunities[0], "StageName"); got.Currency != "" {
			t.Errorf("a stage is not money: %+v", got)
		}
		if got := field(*m.Account, "AnnualRevenue"); got.Currency != "EUR" {
			t.Errorf("annual revenue = %+v, want EUR", got)
		}
	}
}

// In a multi-currency org each record says its own currency.
func TestAmountsCarryTheRecordCurrency(t *testing.T) {
	f := newOrgFixture(t, salesforcetest.Options{}, salesforcetest.OrgSpec{Name: "Acme Global", Currency: "USD", MultiCurrency: true})
	seedGlobex(t, f,
		map[string]any{"Name": "London office", "Amount": 9600.5, "CurrencyIsoCode": "GBP"},
		map[string]any{"Name": "Tokyo office", "Amount": 1200000, "CurrencyIsoCode": "JPY"},
		map[string]any{"Name": "Chicago office", "Amount": 48000})
	want := map[string]crossview.Field{
		"London office":  {Value: "9,600.50", Currency: "GBP"},
		"Tokyo office":   {Value: "1,200,000", Currency: "JPY"},
		"Chicago office": {Value: "48,000", Currency: "USD"},
	}
	for range 2 {
		m := lookupGlobex(t, f, f.conn)
		if len(m.Opportunities) != 3 {
			t.Fatalf("opportunities = %+v", m.Opportunities)
		}
		for _, o := range m.Opportunities {
			got := field(o, "Amount")
			if w := want[o.Name]; got.Value != w.Value || got.Currency != w.Currency {
				t.Errorf("%s amount = %q %q, want %q %q", o.Name, got.Currency, got.Value, w.Currency, w.Value)
			}
		}
	}
}
