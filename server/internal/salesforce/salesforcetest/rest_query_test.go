package salesforcetest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// seedLeads inserts n leads named Lead 00 ... Lead n-1, owned by the rep.
func seedLeads(t *testing.T, e *env, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		e.mustInsert(t, "Lead", map[string]any{"LastName": fmt.Sprintf("Lead %02d", i), "Company": "Co", "OwnerId": e.rep.ID})
	}
}

func TestQueryPagination(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{QueryBatchSize: 2, Now: clk.Now})
	seedLeads(t, e, 5)
	resp := e.soql(t, e.repToken, "SELECT LastName FROM Lead ORDER BY LastName")
	var got []string
	pages := 0
	for {
		pages++
		body := resp.obj(t)
		if resp.status != http.StatusOK || body["totalSize"].(fmt.Stringer).String() != "5" {
			t.Fatalf("page %d: %d %s", pages, resp.status, resp.body)
		}
		for _, r := range records(t, body) {
			got = append(got, r["LastName"].(string))
		}
		if body["done"] == true {
			if _, ok := body["nextRecordsUrl"]; ok {
				t.Errorf("last page still has nextRecordsUrl: %s", resp.body)
			}
			break
		}
		next, _ := body["nextRecordsUrl"].(string)
		if !strings.HasPrefix(next, data+"/query/01g") || !strings.HasSuffix(next, fmt.Sprintf("-%d", pages*2)) {
			t.Fatalf("nextRecordsUrl = %q", next)
		}
		resp = call(t, http.MethodGet, e.org.InstanceURL()+next, e.repToken, "")
	}
	want := "Lead 00,Lead 01,Lead 02,Lead 03,Lead 04"
	if strings.Join(got, ",") != want || pages != 3 {
		t.Errorf("got %d pages %v, want 3 pages %s", pages, got, want)
	}
}

func TestQueryLocatorRules(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{QueryBatchSize: 2, Now: clk.Now})
	seedLeads(t, e, 3)
	next := e.soql(t, e.repToken, "SELECT Id FROM Lead").obj(t)["nextRecordsUrl"].(string)
	invalid := func(name, token, path string) {
		t.Helper()
		r := call(t, http.MethodGet, e.org.InstanceURL()+path, token, "")
		if r.status != 400 || r.errorCode(t) != "INVALID_QUERY_LOCATOR" {
			t.Errorf("%s: %d %s, want 400 INVALID_QUERY_LOCATOR", name, r.status, r.body)
		}
	}
	invalid("another user's locator", e.adminToken, next)
	invalid("unknown locator", e.repToken, data+"/query/01gDx0000000001AAA-2")
	invalid("offset past the end", e.repToken, strings.TrimSuffix(next, "-2")+"-3")
	clk.Advance(14 * time.Minute)
	if r := call(t, http.MethodGet, e.org.InstanceURL()+next, e.repToken, ""); r.status != http.StatusOK {
		t.Fatalf("locator within 15 minutes: %d %s", r.status, r.body)
	}
	clk.Advance(16 * time.Minute)
	invalid("locator idle for 16 minutes", e.repToken, next)
}

func TestLimitInfoHeader(t *testing.T) {
	e := newEnv(t, Options{})
	base := e.org.InstanceURL()
	versions := call(t, http.MethodGet, base+"/services/data/", "", "")
	if versions.status != http.StatusOK || versions.header.Get("Sforce-Limit-Info") != "" {
		t.Errorf("versions list: %d, header %q; want 200 without Sforce-Limit-Info", versions.status, versions.header.Get("Sforce-Limit-Info"))
	}
	for i := 1; i <= 3; i++ {
		r := e.soql(t, e.repToken, "SELECT Id FROM Organization")
		if want := fmt.Sprintf("api-usage=%d/15000", i); r.header.Get("Sforce-Limit-Info") != want {
			t.Errorf("call %d: Sforce-Limit-Info %q, want %q", i, r.header.Get("Sforce-Limit-Info"), want)
		}
	}
	unauth := e.soql(t, "bogus", "SELECT Id FROM Organization")
	if unauth.status != 401 || unauth.errorCode(t) != "INVALID_SESSION_ID" || unauth.errorMessage(t) != "Session expired or invalid" ||
		unauth.header.Get("Sforce-Limit-Info") != "api-usage=3/15000" {
		t.Errorf("bad token: %d %s %q; want 401 INVALID_SESSION_ID, not counted", unauth.status, unauth.body, unauth.header.Get("Sforce-Limit-Info"))
	}
	if s := e.org.Stats(); s.APICalls != 3 || s.Requests != 5 {
		t.Errorf("Stats = %+v, want 3 API calls of 5 requests", s)
	}
}

func TestVersions(t *testing.T) {
	e := newEnv(t, Options{})
	body := call(t, http.MethodGet, e.org.InstanceURL()+"/services/data/", "", "").json(t).([]any)
	if len(body) != 38 {
		t.Fatalf("%d versions, want 31.0 to 68.0 (21.0 to 30.0 were retired in Summer '25)", len(body))
	}
	for _, want := range []string{
		`map[label:Summer '14 url:/services/data/v31.0 version:31.0]`,
		`map[label:Winter '26 url:/services/data/v65.0 version:65.0]`,
		`map[label:Spring '26 url:/services/data/v66.0 version:66.0]`,
		`map[label:Summer '26 url:/services/data/v67.0 version:67.0]`,
		`map[label:Winter '27 url:/services/data/v68.0 version:68.0]`,
	} {
		found := false
		for _, v := range body {
			found = found || fmt.Sprint(v) == want
		}
		if !found {
			t.Errorf("versions list lacks %s", want)
		}
	}
	for _, v := range body {
		if s := fmt.Sprint(v); strings.Contains(s, "version:30.0") || strings.Contains(s, "version:20.0") {
			t.Errorf("versions list offers a retired version: %s", s)
		}
	}
	for _, v := range []string{"v6.0", "v69.0", "v99.0", "v66", "v66.1", "66.0", "v066.0"} {
		r := call(t, http.MethodGet, e.org.InstanceURL()+"/services/data/"+v+"/query?q="+url.QueryEscape("SELECT Id FROM Lead"), e.repToken, "")
		if r.status != 404 || r.errorCode(t) != "NOT_FOUND" || r.errorMessage(t) != "The requested resource does not exist" {
			t.Errorf("%s: %d %s, want 404 NOT_FOUND", v, r.status, r.body)
		}
	}
}

// TestRetiredVersions: versions 7.0 to 30.0 are retired, and REST answers
// 410 GONE for any resource under them, before looking at the token.
func TestRetiredVersions(t *testing.T) {
	e := newEnv(t, Options{})
	for _, v := range []string{"v7.0", "v20.0", "v21.0", "v29.0", "v30.0"} {
		for _, path := range []string{"/", "/query?q=" + url.QueryEscape("SELECT Id FROM Lead"), "/sobjects/Account/describe"} {
			r := call(t, http.MethodGet, e.org.InstanceURL()+"/services/data/"+v+path, e.repToken, "")
			if r.status != http.StatusGone || r.errorCode(t) != "UNSUPPORTED_API_VERSION" ||
				!strings.Contains(r.errorMessage(t), strings.TrimPrefix(v, "v")) {
				t.Errorf("%s%s: %d %s, want 410 UNSUPPORTED_API_VERSION naming the version", v, path, r.status, r.body)
			}
		}
	}
	before := e.org.Stats().APICalls
	call(t, http.MethodGet, e.org.InstanceURL()+"/services/data/v30.0/sobjects", "", "")
	if got := e.org.Stats().APICalls; got != before {
		t.Errorf("a retired-version call was charged: %d API calls, want %d", got, before)
	}
	if r := call(t, http.MethodGet, e.org.InstanceURL()+"/services/data/v31.0/sobjects", e.repToken, ""); r.status != http.StatusOK {
		t.Errorf("v31.0, the oldest supported version: %d %s", r.status, r.body)
	}
	sub := `{"compositeRequest":[{"method":"GET","url":"/services/data/v30.0/sobjects","referenceId":"old"}]}`
	r := call(t, http.MethodPost, e.org.InstanceURL()+data+"/composite", e.adminToken, sub)
	if !strings.Contains(string(r.body), `"httpStatusCode":410`) || !strings.Contains(string(r.body), "UNSUPPORTED_API_VERSION") {
		t.Errorf("composite subrequest on a retired version: %s", r.body)
	}
}

// TestQueryRefusesLongTextFilters: a long text area can be selected but
// neither filtered nor sorted, and describe says so, as in Salesforce.
func TestQueryRefusesLongTextFilters(t *testing.T) {
	e := newEnv(t, Options{})
	e.mustInsert(t, "Contact", map[string]any{"LastName": "Doe", "Description": "VIP"})
	r := e.soql(t, e.adminToken, "SELECT Id FROM Contact WHERE Description = 'VIP'")
	want := "\nSELECT Id FROM Contact WHERE Description = 'VIP'\n                             ^\nERROR at Row:1:Column:30\nfield 'Description' can not be filtered in a query call"
	if r.status != http.StatusBadRequest || r.errorCode(t) != "INVALID_FIELD" || r.errorMessage(t) != want {
		t.Errorf("filter on a long text area: %d %s, want 400 INVALID_FIELD %q", r.status, r.body, want)
	}
	if r := e.soql(t, e.adminToken, "SELECT Id, Description FROM Contact WHERE LastName = 'Doe'"); r.status != http.StatusOK || records(t, r.obj(t))[0]["Description"] != "VIP" {
		t.Errorf("selecting a long text area: %d %s", r.status, r.body)
	}
	d := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/Contact/describe", e.adminToken, "").obj(t)
	got := map[string][3]any{}
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		got[m["name"].(string)] = [3]any{m["filterable"], m["sortable"], m["groupable"]}
	}
	if got["Description"] != [3]any{false, false, false} || got["LastName"] != [3]any{true, true, true} {
		t.Errorf("describe filterable/sortable/groupable: Description %v, LastName %v", got["Description"], got["LastName"])
	}
}

func TestQueryNeedsQ(t *testing.T) {
	e := newEnv(t, Options{})
	r := call(t, http.MethodGet, e.org.InstanceURL()+data+"/query", e.repToken, "")
	if r.status != 400 || r.errorCode(t) != "MALFORMED_QUERY" {
		t.Errorf("query without q: %d %s", r.status, r.body)
	}
	r = call(t, http.MethodPost, e.org.InstanceURL()+data+"/query?q=x", e.repToken, "{}")
	if r.status != 405 || r.errorCode(t) != "METHOD_NOT_ALLOWED" {
		t.Errorf("POST query: %d %s, want 405", r.status, r.body)
	}
}
