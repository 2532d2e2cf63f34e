package salesforcetest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// crm seeds a small CRM: three accounts, contacts, opportunities, cases.
type crm struct {
	*env
	clock                  *fakeClock
	acme, globex, initech  string
	jane, john, pat        string
	bigDeal, wonDeal, lost string
	openCase, closedCase   string
}

func newCRM(t *testing.T) *crm {
	t.Helper()
	clk := newFakeClock()
	e := newEnv(t, Options{Now: clk.Now})
	c := &crm{env: e, clock: clk}
	c.acme = e.mustInsert(t, "Account", map[string]any{"Name": "Acme", "Industry": "Technology", "OwnerId": e.rep.ID,
		"AnnualRevenue": 15000000.0, "NumberOfEmployees": 150})
	c.globex = e.mustInsert(t, "Account", map[string]any{"Name": "Globex", "Industry": "Energy", "OwnerId": e.admin.ID})
	c.initech = e.mustInsert(t, "Account", map[string]any{"Name": "Initech"})
	c.jane = e.mustInsert(t, "Contact", map[string]any{"FirstName": "Jane", "LastName": "Doe", "Email": "jane@acme.example",
		"AccountId": c.acme, "OwnerId": e.rep.ID})
	c.john = e.mustInsert(t, "Contact", map[string]any{"FirstName": "John", "LastName": "Roe", "Email": "john@acme.example",
		"AccountId": c.acme})
	c.pat = e.mustInsert(t, "Contact", map[string]any{"FirstName": "Pat", "LastName": "O'Brien", "Email": "o'brien@example.com",
		"CreatedDate": clk.Now().Add(-30 * 24 * time.Hour)})
	c.bigDeal = e.mustInsert(t, "Opportunity", map[string]any{"Name": "Big deal", "StageName": "Prospecting",
		"CloseDate": "2026-12-01", "Amount": 15000, "AccountId": c.acme})
	c.wonDeal = e.mustInsert(t, "Opportunity", map[string]any{"Name": "Won deal", "StageName": "Closed Won",
		"CloseDate": "2026-11-25", "Amount": 2500.5, "AccountId": c.acme})
	c.lost = e.mustInsert(t, "Opportunity", map[string]any{"Name": "Lost deal", "StageName": "Closed Lost",
		"CloseDate": "2026-10-01", "AccountId": c.globex})
	c.openCase = e.mustInsert(t, "Case", map[string]any{"Subject": "Broken", "AccountId": c.acme, "ContactId": c.jane})
	c.closedCase = e.mustInsert(t, "Case", map[string]any{"Subject": "Fixed", "Status": "Closed", "AccountId": c.acme, "ContactId": c.jane})
	return c
}

// names runs q as the admin and returns the given field of each record.
func (c *crm) names(t *testing.T, q, field string) []string {
	t.Helper()
	resp := c.soql(t, c.adminToken, q)
	if resp.status != http.StatusOK {
		t.Fatalf("%s: %d %s", q, resp.status, resp.body)
	}
	out := []string{}
	for _, r := range records(t, resp.obj(t)) {
		v, _ := r[field].(string)
		out = append(out, v)
	}
	return out
}

func TestQueryFilters(t *testing.T) {
	c := newCRM(t)
	tests := []struct {
		name, q string
		want    []string
	}{
		{"equality ignores case", "SELECT Name FROM Account WHERE Name = 'ACME'", []string{"Acme"}},
		{"not-equal includes nulls", "SELECT Name FROM Account WHERE Industry != 'Technology' ORDER BY Name", []string{"Globex", "Initech"}},
		{"is null", "SELECT Name FROM Account WHERE Industry = null", []string{"Initech"}},
		{"in list", "SELECT Name FROM Account WHERE Name IN ('acme', 'GLOBEX') ORDER BY Name", []string{"Acme", "Globex"}},
		{"not in list", "SELECT Name FROM Account WHERE Name NOT IN ('acme', 'GLOBEX')", []string{"Initech"}},
		{"like", "SELECT Name FROM Account WHERE Name LIKE 'g%'", []string{"Globex"}},
		{"or in parentheses", "SELECT Name FROM Account WHERE (Industry = 'Energy' OR Industry = 'Technology') AND Name LIKE '%e%' ORDER BY Name", []string{"Acme", "Globex"}},
		{"not", "SELECT Name FROM Account WHERE NOT (Name = 'Acme' OR Name = 'Globex')", []string{"Initech"}},
		{"numbers", "SELECT Name FROM Opportunity WHERE Amount > 10000", []string{"Big deal"}},
		{"number equality with decimals", "SELECT Name FROM Opportunity WHERE Amount = 2500.50", []string{"Won deal"}},
		{"derived IsClosed", "SELECT Name FROM Opportunity WHERE IsClosed = true ORDER BY Name", []string{"Lost deal", "Won deal"}},
		{"derived IsWon", "SELECT Name FROM Opportunity WHERE IsWon = true", []string{"Won deal"}},
		{"picklist ignores case", "SELECT Name FROM Opportunity WHERE StageName = 'closed won'", []string{"Won deal"}},
		{"date literal", "SELECT Name FROM Opportunity WHERE CloseDate = 2026-11-25", []string{"Won deal"}},
		{"date range", "SELECT Name FROM Opportunity WHERE CloseDate >= 2026-11-01 AND CloseDate < 2026-12-31 ORDER BY CloseDate", []string{"Won deal", "Big deal"}},
		{"TODAY on a date", "SELECT Name FROM Opportunity WHERE CloseDate = TODAY", []string{"Won deal"}},
		{"after TODAY", "SELECT Name FROM Opportunity WHERE CloseDate > TODAY", []string{"Big deal"}},
		{"LAST_N_DAYS on a datetime", "SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:7 ORDER BY LastName", []string{"Doe", "Roe"}},
		{"older than LAST_N_DAYS", "SELECT LastName FROM Contact WHERE CreatedDate < LAST_N_DAYS:7", []string{"O'Brien"}},
		{"YESTERDAY", "SELECT LastName FROM Contact WHERE CreatedDate = YESTERDAY", []string{}},
		{"datetime literal", "SELECT LastName FROM Contact WHERE CreatedDate > 2026-11-20T00:00:00Z ORDER BY LastName", []string{"Doe", "Roe"}},
		{"datetime literal with offset", "SELECT LastName FROM Contact WHERE CreatedDate >= 2026-11-25T11:00:00+01:00 ORDER BY LastName", []string{"Doe", "Roe"}},
		{"parent field in where", "SELECT LastName FROM Contact WHERE Account.Name = 'Acme' ORDER BY LastName", []string{"Doe", "Roe"}},
		{"null parent in where", "SELECT LastName FROM Contact WHERE Account.Name = null", []string{"O'Brien"}},
		{"grandparent in where", "SELECT LastName FROM Contact WHERE Account.Owner.Name = 'Rex Rep' ORDER BY LastName", []string{"Doe", "Roe"}},
		{"semi-join", "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email = 'jane@acme.example')", []string{"Acme"}},
		{"anti-join", "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact) ORDER BY Name", []string{"Globex", "Initech"}},
		{"15-char id literal", "SELECT Name FROM Account WHERE Id = '" + c.globex[:15] + "'", []string{"Globex"}},
		{"18-char id in other case", "SELECT Name FROM Account WHERE Id = '" + strings.ToUpper(c.globex) + "'", []string{"Globex"}},
		{"order nulls first by default", "SELECT Name FROM Account ORDER BY Industry", []string{"Initech", "Globex", "Acme"}},
		{"order desc keeps nulls first", "SELECT Name FROM Account ORDER BY Industry DESC", []string{"Initech", "Acme", "Globex"}},
		{"order desc nulls last", "SELECT Name FROM Account ORDER BY Industry DESC NULLS LAST", []string{"Acme", "Globex", "Initech"}},
		{"order by parent field", "SELECT Name FROM Opportunity ORDER BY Account.Name DESC, Name", []string{"Lost deal", "Big deal", "Won deal"}},
		{"limit and offset", "SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1", []string{"Globex"}},
		{"offset past the end", "SELECT Name FROM Account ORDER BY Name OFFSET 10", []string{}},
		{"limit 0", "SELECT Name FROM Account LIMIT 0", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := "Name"
			if strings.Contains(tt.q, "LastName FROM") {
				field = "LastName"
			}
			if diff := cmp.Diff(tt.want, c.names(t, tt.q, field)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.q, diff)
			}
		})
	}
}

// TestQueryShape compares whole answers: key order, attributes, nested
// parents, child relationship results, canonical spelling, wire formats.
func TestQueryShape(t *testing.T) {
	c := newCRM(t)
	tests := []struct {
		name, q, want string
	}{
		{"parents one and two levels deep, canonical names",
			"select name, account.name, ACCOUNT.OWNER.NAME from contact where email = 'jane@acme.example'",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/` + c.jane + `"},"Name":"Jane Doe","Account":{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + c.acme + `"},"Name":"Acme","Owner":{"attributes":{"type":"User","url":"/services/data/v66.0/sobjects/User/` + c.rep.ID + `"},"Name":"Rex Rep"}}}]}`},
		{"null lookup",
			"SELECT Name, Account.Name FROM Contact WHERE Id = '" + c.pat + "'",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/` + c.pat + `"},"Name":"Pat O'Brien","Account":null}]}`},
		{"child subqueries, empty one is null",
			"SELECT Name, (SELECT Name FROM Opportunities WHERE IsClosed = false ORDER BY CloseDate LIMIT 5), (SELECT Subject FROM Cases ORDER BY Subject) FROM Account WHERE Name IN ('Acme', 'Initech') ORDER BY Name",
			`{"totalSize":2,"done":true,"records":[` +
				`{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + c.acme + `"},"Name":"Acme",` +
				`"Opportunities":{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Opportunity","url":"/services/data/v66.0/sobjects/Opportunity/` + c.bigDeal + `"},"Name":"Big deal"}]},` +
				`"Cases":{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Case","url":"/services/data/v66.0/sobjects/Case/` + c.openCase + `"},"Subject":"Broken"},{"attributes":{"type":"Case","url":"/services/data/v66.0/sobjects/Case/` + c.closedCase + `"},"Subject":"Fixed"}]}},` +
				`{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + c.initech + `"},"Name":"Initech","Opportunities":null,"Cases":null}]}`},
		{"cases on contact, derived case fields",
			"SELECT LastName, (SELECT CaseNumber, IsClosed, Status, Priority FROM Cases ORDER BY CaseNumber) FROM Contact WHERE Id = '" + c.jane + "'",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact","url":"/services/data/v66.0/sobjects/Contact/` + c.jane + `"},"LastName":"Doe","Cases":{"totalSize":2,"done":true,"records":[` +
				`{"attributes":{"type":"Case","url":"/services/data/v66.0/sobjects/Case/` + c.openCase + `"},"CaseNumber":"00001001","IsClosed":false,"Status":"New","Priority":"Medium"},` +
				`{"attributes":{"type":"Case","url":"/services/data/v66.0/sobjects/Case/` + c.closedCase + `"},"CaseNumber":"00001002","IsClosed":true,"Status":"Closed","Priority":"Medium"}]}}]}`},
		{"Java-style doubles, ints, dates and date-times",
			"SELECT AnnualRevenue, NumberOfEmployees, CreatedDate FROM Account WHERE Id = '" + c.acme + "'",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v66.0/sobjects/Account/` + c.acme + `"},"AnnualRevenue":1.5E7,"NumberOfEmployees":150,"CreatedDate":"2026-11-25T10:00:00.000+0000"}]}`},
		{"currency and date",
			"SELECT Amount, CloseDate FROM Opportunity WHERE Id = '" + c.bigDeal + "'",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Opportunity","url":"/services/data/v66.0/sobjects/Opportunity/` + c.bigDeal + `"},"Amount":15000.0,"CloseDate":"2026-12-01"}]}`},
		{"count",
			"SELECT COUNT() FROM Contact WHERE Account.Name = 'Acme'",
			`{"totalSize":2,"done":true,"records":[]}`},
		{"organization",
			"SELECT Id, Name, IsSandbox, OrganizationType FROM Organization",
			`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Organization","url":"/services/data/v66.0/sobjects/Organization/` + c.org.ID() + `"},"Id":"` + c.org.ID() + `","Name":"Acme Corp","IsSandbox":false,"OrganizationType":"Developer Edition"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := c.soql(t, c.adminToken, tt.q)
			if resp.status != http.StatusOK {
				t.Fatalf("%d %s", resp.status, resp.body)
			}
			if diff := cmp.Diff(tt.want, strings.TrimSpace(string(resp.body))); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSystemObjects(t *testing.T) {
	c := newCRM(t)
	perms := "SELECT PermissionsApiEnabled, PermissionsModifyAllData, PermissionsViewSetup, PermissionsCustomizeApplication, PermissionsModifyMetadata FROM UserPermissionAccess"
	for _, tt := range []struct {
		token string
		want  map[string]any
	}{
		{c.adminToken, map[string]any{"PermissionsApiEnabled": true, "PermissionsModifyAllData": true, "PermissionsViewSetup": true,
			"PermissionsCustomizeApplication": true, "PermissionsModifyMetadata": true}},
		{c.repToken, map[string]any{"PermissionsApiEnabled": true, "PermissionsModifyAllData": false, "PermissionsViewSetup": false,
			"PermissionsCustomizeApplication": false, "PermissionsModifyMetadata": false}},
	} {
		resp := c.soql(t, tt.token, perms)
		recs := records(t, resp.obj(t))
		if len(recs) != 1 {
			t.Fatalf("UserPermissionAccess rows = %d, want 1", len(recs))
		}
		delete(recs[0], "attributes")
		if diff := cmp.Diff(tt.want, recs[0]); diff != "" {
			t.Errorf("permissions mismatch (-want +got):\n%s", diff)
		}
	}
	resp := c.soql(t, c.repToken, "SELECT Id, Username, Name, UserType, IsActive, Profile.Name FROM User WHERE Id = '"+c.admin.ID+"'")
	recs := records(t, resp.obj(t))
	if len(recs) != 1 {
		t.Fatalf("User rows = %d: %s", len(recs), resp.body)
	}
	profile, _ := recs[0]["Profile"].(map[string]any)
	if recs[0]["Username"] != "admin@acme.example" || recs[0]["Name"] != "Ada Admin" || recs[0]["UserType"] != "Standard" ||
		recs[0]["IsActive"] != true || profile["Name"] != "System Administrator" {
		t.Errorf("user row = %v", recs[0])
	}
}

func TestQueryAllIncludesDeleted(t *testing.T) {
	c := newCRM(t)
	if resp := call(t, http.MethodDelete, c.org.InstanceURL()+data+"/sobjects/Contact/"+c.john, c.adminToken, ""); resp.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", resp.status, resp.body)
	}
	q := "SELECT LastName, IsDeleted FROM Contact WHERE Account.Name = 'Acme' ORDER BY LastName"
	if got := c.names(t, q, "LastName"); !cmp.Equal(got, []string{"Doe"}) {
		t.Errorf("query found %v, want only Doe", got)
	}
	resp := call(t, http.MethodGet, c.org.InstanceURL()+data+"/queryAll?q="+strings.ReplaceAll(q, " ", "+"), c.adminToken, "")
	var body struct {
		Records []struct {
			LastName  string
			IsDeleted bool
		}
	}
	if err := json.Unmarshal(resp.body, &body); err != nil || len(body.Records) != 2 || !body.Records[1].IsDeleted {
		t.Errorf("queryAll = %s (%v), want Doe and a deleted Roe", resp.body, err)
	}
}
