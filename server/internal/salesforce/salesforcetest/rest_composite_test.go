package salesforcetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type compositeResult struct {
	Body           json.RawMessage   `json:"body"`
	HTTPHeaders    map[string]string `json:"httpHeaders"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	ReferenceID    *string           `json:"referenceId"`
}

func (e *env) composite(t *testing.T, token, body string) (response, []compositeResult) {
	t.Helper()
	r := call(t, http.MethodPost, e.org.InstanceURL()+data+"/composite", token, body)
	var out struct {
		CompositeResponse []compositeResult `json:"compositeResponse"`
	}
	if r.status == http.StatusOK || strings.Contains(string(r.body), "compositeResponse") {
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("decoding %s: %v", r.body, err)
		}
	}
	return r, out.CompositeResponse
}

func TestCompositeSidebarLookup(t *testing.T) {
	e := newEnv(t, Options{})
	acc := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	e.mustInsert(t, "Contact", map[string]any{"LastName": "O'Brien", "Email": "o'brien@example.com", "AccountId": acc})
	e.mustInsert(t, "Opportunity", map[string]any{"Name": "Deal", "StageName": "New", "CloseDate": "2026-12-01", "AccountId": acc})
	body := `{"allOrNone":false,"collateSubrequests":false,"compositeRequest":[
	 {"method":"GET","referenceId":"contacts","url":"/services/data/v66.0/query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+Email='o\\'brien@example.com'"},
	 {"method":"GET","referenceId":"account","url":"/services/data/v66.0/sobjects/Account/@{contacts.records[0].AccountId}?fields=Name"},
	 {"method":"GET","referenceId":"opps","url":"/services/data/v66.0/query?q=SELECT+Name+FROM+Opportunity+WHERE+AccountId='@{contacts.records[0].AccountId}'"}]}`
	r, results := e.composite(t, e.adminToken, body)
	if r.status != http.StatusOK || len(results) != 3 {
		t.Fatalf("composite: %d %s", r.status, r.body)
	}
	for _, res := range results {
		if res.HTTPStatusCode != 200 {
			t.Errorf("%s: %d %s", *res.ReferenceID, res.HTTPStatusCode, res.Body)
		}
	}
	if !strings.Contains(string(results[1].Body), `"Name":"Acme"`) || !strings.Contains(string(results[2].Body), `"Name":"Deal"`) {
		t.Errorf("references not followed: %s / %s", results[1].Body, results[2].Body)
	}
	if got := r.header.Get("Sforce-Limit-Info"); got != "api-usage=1/15000" {
		t.Errorf("Sforce-Limit-Info %q: a composite counts as one call", got)
	}
	if s := e.org.Stats(); s.APICalls != 1 {
		t.Errorf("APICalls = %d, want 1", s.APICalls)
	}
}

func TestCompositeDependentFailure(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"compositeRequest":[
	 {"method":"GET","referenceId":"contacts","url":"/services/data/v66.0/query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+Email='nobody@example.com'"},
	 {"method":"GET","referenceId":"account","url":"/services/data/v66.0/sobjects/Account/@{contacts.records[0].AccountId}"},
	 {"method":"GET","referenceId":"org","url":"/services/data/v66.0/query?q=SELECT+Name+FROM+Organization"}]}`
	_, results := e.composite(t, e.adminToken, body)
	if len(results) != 3 || results[0].HTTPStatusCode != 200 || results[1].HTTPStatusCode != 400 || results[2].HTTPStatusCode != 200 {
		t.Fatalf("results = %+v", results)
	}
	if !strings.Contains(string(results[1].Body), "PROCESSING_HALTED") {
		t.Errorf("unresolvable reference body = %s", results[1].Body)
	}
}

func TestCompositeAllOrNoneRollsBack(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"allOrNone":true,"compositeRequest":[
	 {"method":"POST","referenceId":"acc","url":"/services/data/v66.0/sobjects/Account","body":{"Name":"Rolled back"}},
	 {"method":"POST","referenceId":"con","url":"/services/data/v66.0/sobjects/Contact","body":{"LastName":"Doe","AccountId":"@{acc.id}"}},
	 {"method":"POST","referenceId":"bad","url":"/services/data/v66.0/sobjects/Contact","body":{"FirstName":"No last name"}},
	 {"method":"GET","referenceId":"after","url":"/services/data/v66.0/query?q=SELECT+Id+FROM+Account"}]}`
	_, results := e.composite(t, e.adminToken, body)
	want := []int{400, 400, 400, 400}
	for i, res := range results {
		if res.HTTPStatusCode != want[i] {
			t.Errorf("%s: %d", *res.ReferenceID, res.HTTPStatusCode)
		}
		code := "PROCESSING_HALTED"
		if i == 2 {
			code = "REQUIRED_FIELD_MISSING"
		}
		if !strings.Contains(string(res.Body), code) {
			t.Errorf("%s body = %s, want %s", *res.ReferenceID, res.Body, code)
		}
	}
	count := e.soql(t, e.adminToken, "SELECT COUNT() FROM Account").obj(t)["totalSize"]
	if fmt.Sprint(count) != "0" {
		t.Errorf("%v accounts after a rolled-back composite, want 0", count)
	}
}

func TestCompositeCreateThenReference(t *testing.T) {
	e := newEnv(t, Options{})
	body := `{"allOrNone":true,"compositeRequest":[
	 {"method":"POST","referenceId":"acc","url":"/services/data/v66.0/sobjects/Account","body":{"Name":"Fresh"}},
	 {"method":"POST","referenceId":"con","url":"/services/data/v66.0/sobjects/Contact","body":{"LastName":"Doe","AccountId":"@{acc.id}"}},
	 {"method":"PATCH","referenceId":"upd","url":"/services/data/v66.0/sobjects/Account/@{acc.id}","body":{"Industry":"Energy"}}]}`
	_, results := e.composite(t, e.adminToken, body)
	if len(results) != 3 || results[0].HTTPStatusCode != 201 || results[1].HTTPStatusCode != 201 || results[2].HTTPStatusCode != 204 {
		t.Fatalf("results = %+v", results)
	}
	if loc := results[0].HTTPHeaders["Location"]; !strings.HasPrefix(loc, data+"/sobjects/Account/001") {
		t.Errorf("Location header = %q", loc)
	}
	names := e.soql(t, e.adminToken, "SELECT Account.Industry FROM Contact WHERE LastName = 'Doe'")
	if !strings.Contains(string(names.body), `"Industry":"Energy"`) {
		t.Errorf("after composite: %s", names.body)
	}
}

func TestCompositeValidation(t *testing.T) {
	e := newEnv(t, Options{})
	sub := func(ref, url string) string {
		return `{"method":"GET","referenceId":"` + ref + `","url":"` + url + `"}`
	}
	many := func(n int, url string) string {
		var subs []string
		for i := 0; i < n; i++ {
			subs = append(subs, sub(fmt.Sprintf("r%d", i), url))
		}
		return `{"compositeRequest":[` + strings.Join(subs, ",") + `]}`
	}
	q := "/services/data/v66.0/query?q=SELECT+Id+FROM+Organization"
	rec := "/services/data/v66.0/sobjects/Organization/" + e.org.ID()
	tests := []struct {
		name, body, want string
	}{
		{"26 subrequests", many(26, rec), "LIMIT_EXCEEDED"},
		{"6 queries", many(6, q), "LIMIT_EXCEEDED"},
		{"duplicate referenceId", `{"compositeRequest":[` + sub("a", rec) + `,` + sub("a", rec) + `]}`, "INVALID_API_INPUT"},
		{"bad referenceId", `{"compositeRequest":[` + sub("a-b", rec) + `]}`, "INVALID_API_INPUT"},
		{"missing referenceId", `{"compositeRequest":[{"method":"GET","url":"` + rec + `"}]}`, "INVALID_API_INPUT"},
		{"url outside the API", `{"compositeRequest":[` + sub("a", "/id/x") + `]}`, "INVALID_API_INPUT"},
		{"empty", `{"compositeRequest":[]}`, "INVALID_API_INPUT"},
		{"unknown property", `{"compositeRequest":[` + sub("a", rec) + `],"bogus":1}`, "JSON_PARSER_ERROR"},
	}
	for _, tt := range tests {
		r, _ := e.composite(t, e.adminToken, tt.body)
		if r.status != 400 || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: %d %s, want 400 %s", tt.name, r.status, r.body, tt.want)
		}
	}
	if r, res := e.composite(t, e.adminToken, many(25, rec)); r.status != 200 || len(res) != 25 {
		t.Errorf("25 subrequests: %d with %d results", r.status, len(res))
	}
	if r, res := e.composite(t, e.adminToken, many(5, q)); r.status != 200 || len(res) != 5 {
		t.Errorf("5 queries: %d with %d results", r.status, len(res))
	}
}
