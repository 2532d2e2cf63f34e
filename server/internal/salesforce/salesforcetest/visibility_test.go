package salesforcetest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestVisibility(t *testing.T) {
	c := newCRM(t)
	// The rep owns Acme and Jane; the admin owns everything else. Share
	// Globex and the Won deal with the rep.
	c.org.Share(c.globex, c.rep.ID)
	c.org.Share(c.wonDeal, c.rep.ID)
	repNames := func(q, field string) []string {
		t.Helper()
		resp := c.soql(t, c.repToken, q)
		if resp.status != http.StatusOK {
			t.Fatalf("%s: %d %s", q, resp.status, resp.body)
		}
		out := []string{}
		for _, r := range records(t, resp.obj(t)) {
			out = append(out, r[field].(string))
		}
		return out
	}
	for _, tt := range []struct {
		q, field string
		want     []string
	}{
		{"SELECT Name FROM Account ORDER BY Name", "Name", []string{"Acme", "Globex"}},
		{"SELECT LastName FROM Contact ORDER BY LastName", "LastName", []string{"Doe"}},
		{"SELECT Name FROM Opportunity ORDER BY Name", "Name", []string{"Won deal"}},
		{"SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact) ORDER BY Name", "Name", []string{"Acme"}},
	} {
		if diff := cmp.Diff(tt.want, repNames(tt.q, tt.field)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.q, diff)
		}
	}
	// Child rows follow the rule one by one: Acme's Big deal is the
	// admin's, so the rep sees only the shared Won deal.
	resp := c.soql(t, c.repToken, "SELECT Name, (SELECT Name FROM Opportunities), (SELECT Subject FROM Cases) FROM Account WHERE Id = '"+c.acme+"'")
	body := string(resp.body)
	if !strings.Contains(body, `"Opportunities":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Opportunity"`) ||
		strings.Contains(body, "Big deal") || !strings.Contains(body, `"Cases":null`) {
		t.Errorf("child rows for the rep: %s", body)
	}
	// A visible contact whose account is hidden shows a null parent.
	c.org.Share(c.john, c.rep.ID)
	if err := c.org.Update("Contact", c.john, map[string]any{"AccountId": c.initech}); err != nil {
		t.Fatal(err)
	}
	resp = c.soql(t, c.repToken, "SELECT LastName, Account.Name FROM Contact WHERE Id = '"+c.john+"'")
	if !strings.Contains(string(resp.body), `"LastName":"Roe","Account":null`) {
		t.Errorf("hidden parent: %s", resp.body)
	}
	for _, id := range []string{c.initech, c.bigDeal} {
		obj := map[string]string{"001": "Account", "006": "Opportunity"}[id[:3]]
		r := call(t, http.MethodGet, c.org.InstanceURL()+data+"/sobjects/"+obj+"/"+id, c.repToken, "")
		if r.status != 404 || r.errorCode(t) != "NOT_FOUND" {
			t.Errorf("GET hidden %s: %d %s", obj, r.status, r.body)
		}
		r = call(t, http.MethodPatch, c.org.InstanceURL()+data+"/sobjects/"+obj+"/"+id, c.repToken, `{"Name":"Mine now"}`)
		if r.status != 404 {
			t.Errorf("PATCH hidden %s: %d %s", obj, r.status, r.body)
		}
	}
	if r := c.soql(t, c.adminToken, "SELECT COUNT() FROM Opportunity"); !strings.Contains(string(r.body), `"totalSize":3`) {
		t.Errorf("Modify All Data sees everything: %s", r.body)
	}
	viewer := c.org.AddUser(User{Username: "viewer@acme.example", SeeAllData: true, Perms: Permissions{APIEnabled: true}})
	tok, _ := c.org.IssueTokens(viewer.ID)
	if r := c.soql(t, tok, "SELECT COUNT() FROM Account"); !strings.Contains(string(r.body), `"totalSize":3`) {
		t.Errorf("View All Data sees everything: %s", r.body)
	}
}
