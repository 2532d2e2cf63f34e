package salesforcetest

import "testing"

// A single-currency org has its currency on Organization and no
// CurrencyIsoCode on records; a multi-currency org has both, each record
// defaulting to the corporate currency.
func TestOrgCurrencies(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.soql(t, e.adminToken, "SELECT DefaultCurrencyIsoCode FROM Organization")
	if r.status != 200 || records(t, r.obj(t))[0]["DefaultCurrencyIsoCode"] != "USD" {
		t.Fatalf("single-currency org: %d %s", r.status, r.body)
	}
	if r := e.soql(t, e.adminToken, "SELECT Id, CurrencyIsoCode FROM Opportunity"); r.status != 400 || r.errorCode(t) != "INVALID_FIELD" {
		t.Fatalf("CurrencyIsoCode in a single-currency org: %d %s", r.status, r.body)
	}

	multi, err := e.cloud.AddOrg(OrgSpec{Name: "Acme Global", Currency: "EUR", MultiCurrency: true})
	if err != nil {
		t.Fatal(err)
	}
	admin := multi.AddUser(User{Username: "admin@global.acme.example", SeeAllData: true, Perms: Permissions{APIEnabled: true, ModifyAllData: true}})
	token, _ := multi.IssueTokens(admin.ID)
	acc, err := multi.Insert("Account", map[string]any{"Name": "Globex"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []map[string]any{{"Name": "Default"}, {"Name": "London", "CurrencyIsoCode": "GBP"}} {
		o["AccountId"], o["StageName"], o["CloseDate"], o["Amount"] = acc, "Prospecting", "2027-01-01", 100
		if _, err := multi.Insert("Opportunity", o); err != nil {
			t.Fatal(err)
		}
	}
	r = call(t, "GET", multi.InstanceURL()+data+"/query?q=SELECT+Name,+CurrencyIsoCode+FROM+Opportunity+ORDER+BY+Name", token, "")
	if r.status != 200 {
		t.Fatalf("multi-currency query: %d %s", r.status, r.body)
	}
	got := records(t, r.obj(t))
	if len(got) != 2 || got[0]["CurrencyIsoCode"] != "EUR" || got[1]["CurrencyIsoCode"] != "GBP" {
		t.Fatalf("record currencies: %v", got)
	}
}
