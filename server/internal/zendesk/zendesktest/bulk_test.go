package zendesktest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// finishJob polls a job until it completes and returns its status.
func finishJob(t *testing.T, f *fixture, body []byte) map[string]any {
	t.Helper()
	js := decode(t, body)["job_status"].(map[string]any)
	url := js["url"].(string)
	if !strings.HasPrefix(url, f.acct.BaseURL()+"/api/v2/job_statuses/") {
		t.Fatalf("job url %q", url)
	}
	var last map[string]any
	waitFor(t, "the job", func() bool {
		resp, b := request(t, "GET", url, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
		wantStatus(t, resp, b, http.StatusOK)
		last = decode(t, b)["job_status"].(map[string]any)
		return last["status"] == "completed"
	})
	return last
}

func bulkFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixtureWith(t, AccountSpec{Subdomain: "acme", BulkUserImports: true})
	if _, err := f.acct.AddUserField(ObjectField{Key: "tier", Type: "dropdown", Title: "Tier",
		Options: []FieldOption{{Name: "Gold", Value: "gold"}, {Name: "Silver", Value: "silver"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.acct.AddUserField(ObjectField{Key: "seats", Type: "integer", Title: "Seats"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCreateOrUpdateManyUsers(t *testing.T) {
	f := bulkFixture(t)
	f.acct.SetJobDelay(50 * time.Millisecond)
	resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", `{"users":[
		{"name":"Samir","email":"samir@initech.example","external_id":"003SAMIR","phone":"+1 (555) 010-0100","tags":["VIP"],
		 "user_fields":{"tier":"gold","seats":"12","unknown":"ignored"}},
		{"external_id":"003PETER","email":"peter.gibbons@initech.example","name":"Peter G.","organization_id":`+strconv.FormatInt(f.org.ID, 10)+`},
		{"name":"Dup","email":"samir@initech.example","external_id":"003PETER"},
		{"name":"Bad phone","email":"bad@initech.example","phone":"call me"},
		{"name":"Bad tier","email":"tier@initech.example","user_fields":{"tier":"bronze"}},
		{"email":"noname@initech.example"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	queued := decode(t, b)["job_status"].(map[string]any)
	if queued["status"] != "queued" || queued["total"] != 6.0 || queued["results"] != nil || queued["progress"] != nil {
		t.Errorf("queued job = %v", queued)
	}
	js := finishJob(t, f, b)
	results := js["results"].([]any)
	if len(results) != 6 || js["progress"] != 6.0 || !strings.HasPrefix(js["message"].(string), "Completed at ") {
		t.Fatalf("job = %v", js)
	}
	r := func(i int) map[string]any { return results[i].(map[string]any) }
	samir := f.acct.userByExternalID("003SAMIR")
	if samir == nil || r(0)["id"] != float64(samir.ID) || r(0)["status"] != "Created" || r(0)["action"] != "create" || r(0)["success"] != true {
		t.Fatalf("result 0 = %v, user %+v", r(0), samir)
	}
	if diff := cmp.Diff(map[string]any{"tier": "gold", "seats": int64(12)}, samir.UserFields); diff != "" || samir.Phone != "+1 (555) 010-0100" ||
		!cmp.Equal(samir.Tags, []string{"vip"}) {
		t.Errorf("samir = %+v (fields diff %s)", samir, diff)
	}
	if r(1)["id"] != float64(f.endUser.ID) || r(1)["status"] != "Updated" {
		t.Errorf("result 1 = %v", r(1))
	}
	peter, _ := f.acct.User(f.endUser.ID)
	if peter.Email != "Peter@Initech.example" || !cmp.Equal(peter.OtherEmails, []string{"peter.gibbons@initech.example"}) || peter.Name != "Peter G." {
		t.Errorf("peter = %+v: the primary email changed or the new one is not an identity", peter)
	}
	for i, want := range map[int]string{2: "already being used", 3: "not a valid phone number", 4: "bronze", 5: "Name: cannot be blank"} {
		if r(i)["success"] != false || r(i)["index"] != float64(i) || r(i)["error"] != "RecordInvalid" || !strings.Contains(r(i)["details"].(string), want) {
			t.Errorf("result %d = %v, want %q", i, r(i), want)
		}
	}
	if r(2)["external_id"] != "003PETER" || r(2)["email"] != "samir@initech.example" {
		t.Errorf("refused record not named: %v", r(2))
	}
	// An agent may not change a team member through the single endpoint.
	resp, b = request(t, "POST", f.acct.BaseURL()+"/api/v2/users/create_or_update.json",
		`{"user":{"email":"ada@acme.example","name":"Renamed"}}`,
		"Authorization: "+basicAuth(f.agent.Email, f.token), "Content-Type: application/json")
	wantStatus(t, resp, b, http.StatusForbidden)
	if u := f.acct.userByEmail("bad@initech.example"); u != nil {
		t.Errorf("refused user stored: %+v", u)
	}
	// The user JSON carries the new fields.
	_, b = f.get(t, "/api/v2/users/"+strconv.FormatInt(samir.ID, 10)+".json")
	got := decode(t, b)["user"].(map[string]any)
	if got["phone"] != "+1 (555) 010-0100" || got["user_fields"].(map[string]any)["tier"] != "gold" {
		t.Errorf("user JSON = %v", got)
	}
}

func TestBulkRejects(t *testing.T) {
	f := newFixture(t) // bulk user imports off
	resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", `{"users":[{"name":"x","email":"x@y.example"}]}`)
	wantStatus(t, resp, b, http.StatusForbidden)
	if !strings.Contains(string(b), "Bulk user imports") {
		t.Errorf("403 body = %s", b)
	}
	f = bulkFixture(t)
	many := `{"users":[` + strings.Repeat(`{"name":"x","email":"x@y.example"},`, 100) + `{"name":"x","email":"x@y.example"}]}`
	for name, body := range map[string]string{"101 users": many, "no users": `{"users":[]}`, "not a list": `{"users":{}}`} {
		resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
		}
	}
	agent := "Authorization: " + basicAuth(f.agent.Email, f.token)
	resp, b = request(t, "POST", f.acct.BaseURL()+"/api/v2/users/create_or_update_many.json", `{"users":[{"name":"x","email":"x@y.example"}]}`,
		agent, "Content-Type: application/json")
	wantStatus(t, resp, b, http.StatusForbidden)
	resp, b = f.get(t, "/api/v2/job_statuses/0123456789abcdef0123456789abcdef.json")
	wantStatus(t, resp, b, http.StatusNotFound)
	// Zendesk has no organizations/create_or_update_many.
	resp, b = f.send(t, "POST", "/api/v2/organizations/create_or_update_many.json", `{"organizations":[{"name":"x"}]}`)
	wantStatus(t, resp, b, http.StatusNotFound)
}

func TestOrganizationsManyAndMemberships(t *testing.T) {
	f := bulkFixture(t)
	if _, err := f.acct.AddOrganizationField(ObjectField{Key: "region", Type: "text", Title: "Region"}); err != nil {
		t.Fatal(err)
	}
	resp, b := f.send(t, "POST", "/api/v2/organizations/create_many.json", `{"organizations":[
		{"name":"Globex","external_id":"001GLX","organization_fields":{"region":"EMEA"},"notes":"big"},
		{"name":"initech"},{"external_id":"001NONAME"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	js := finishJob(t, f, b)
	results := js["results"].([]any)
	globex := f.acct.orgByExternalID("001GLX")
	if globex == nil || results[0].(map[string]any)["id"] != float64(globex.ID) || globex.OrganizationFields["region"] != "EMEA" || globex.Notes != "big" {
		t.Fatalf("results %v, globex %+v", results, globex)
	}
	dup := results[1].(map[string]any)
	if dup["success"] != false || !strings.Contains(dup["details"].(string), "has already been taken") {
		t.Errorf("taken name = %v", dup)
	}
	resp, b = f.send(t, "PUT", "/api/v2/organizations/update_many.json", `{"organizations":[
		{"id":`+strconv.FormatInt(globex.ID, 10)+`,"notes":"bigger"},{"external_id":"001AAA","tags":["Partner"]},{"id":999,"notes":"x"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	results = finishJob(t, f, b)["results"].([]any)
	if o, _ := f.acct.Organization(globex.ID); o.Notes != "bigger" || o.Name != "Globex" {
		t.Errorf("updated globex = %+v", o)
	}
	if o, _ := f.acct.Organization(f.org.ID); !cmp.Equal(o.Tags, []string{"partner"}) {
		t.Errorf("updated initech = %+v", o)
	}
	if r := results[2].(map[string]any); r["error"] != "RecordNotFound" || r["success"] != false {
		t.Errorf("unknown org = %v", r)
	}

	// Memberships: a user without an organization gets it as default; a
	// second is an extra membership; repeats and unknown records fail.
	lone := f.acct.AddUser(User{Name: "Lone", Email: "lone@x.example"})
	resp, b = f.send(t, "POST", "/api/v2/organization_memberships/create_many.json", `{"organization_memberships":[
		{"user_id":`+strconv.FormatInt(lone.ID, 10)+`,"organization_id":`+strconv.FormatInt(globex.ID, 10)+`},
		{"user_id":`+strconv.FormatInt(lone.ID, 10)+`,"organization_id":`+strconv.FormatInt(f.org.ID, 10)+`},
		{"user_id":`+strconv.FormatInt(lone.ID, 10)+`,"organization_id":`+strconv.FormatInt(f.org.ID, 10)+`},
		{"user_id":1,"organization_id":`+strconv.FormatInt(f.org.ID, 10)+`}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	results = finishJob(t, f, b)["results"].([]any)
	var ok []bool
	for _, r := range results {
		ok = append(ok, r.(map[string]any)["success"] == true)
	}
	if diff := cmp.Diff([]bool{true, true, false, false}, ok); diff != "" {
		t.Errorf("membership results (-want +got):\n%s\n%v", diff, results)
	}
	if u, _ := f.acct.User(lone.ID); u.OrganizationID != globex.ID {
		t.Errorf("default organization = %d, want %d", u.OrganizationID, globex.ID)
	}
	resp, b = f.get(t, "/api/v2/users/"+strconv.FormatInt(lone.ID, 10)+"/organization_memberships.json")
	wantStatus(t, resp, b, http.StatusOK)
	var orgs []float64
	for _, m := range decode(t, b)["organization_memberships"].([]any) {
		orgs = append(orgs, m.(map[string]any)["organization_id"].(float64))
	}
	if diff := cmp.Diff([]float64{float64(globex.ID), float64(f.org.ID)}, orgs); diff != "" {
		t.Errorf("memberships (-want +got):\n%s", diff)
	}
	resp, b = f.send(t, "POST", "/api/v2/organization_memberships.json",
		`{"organization_membership":{"user_id":`+strconv.FormatInt(lone.ID, 10)+`,"organization_id":`+strconv.FormatInt(f.org.ID, 10)+`}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	if !strings.Contains(string(b), `"error":"DuplicateValue"`) {
		t.Errorf("duplicate membership body = %s", b)
	}
}

func TestUserAndOrganizationFields(t *testing.T) {
	f := bulkFixture(t)
	resp, b := f.get(t, "/api/v2/user_fields.json")
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	if m["count"] != 2.0 {
		t.Fatalf("user fields = %v", m)
	}
	tier := m["user_fields"].([]any)[0].(map[string]any)
	opts := tier["custom_field_options"].([]any)
	if tier["key"] != "tier" || tier["type"] != "dropdown" || tier["active"] != true || len(opts) != 2 || opts[0].(map[string]any)["value"] != "gold" {
		t.Errorf("tier field = %v", tier)
	}
	resp, b = f.get(t, "/api/v2/user_fields/"+strconv.FormatInt(int64(tier["id"].(float64)), 10)+".json")
	wantStatus(t, resp, b, http.StatusOK)
	if decode(t, b)["user_field"].(map[string]any)["title"] != "Tier" {
		t.Errorf("show field = %s", b)
	}
	resp, b = f.send(t, "POST", "/api/v2/organization_fields.json", `{"organization_field":{"key":"sla","type":"checkbox","title":"SLA"}}`)
	wantStatus(t, resp, b, http.StatusCreated)
	for name, body := range map[string]string{
		"taken key":  `{"organization_field":{"key":"sla","type":"text","title":"Again"}}`,
		"bad key":    `{"organization_field":{"key":"Bad Key","type":"text","title":"x"}}`,
		"bad type":   `{"organization_field":{"key":"k","type":"color","title":"x"}}`,
		"no title":   `{"organization_field":{"key":"k2","type":"text"}}`,
		"no options": `{"organization_field":{"key":"k3","type":"dropdown","title":"x"}}`,
	} {
		resp, b := f.send(t, "POST", "/api/v2/organization_fields.json", body)
		if resp.StatusCode != http.StatusUnprocessableEntity || decode(t, b)["error"] != "RecordInvalid" {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
		}
	}
	resp, b = f.get(t, "/api/v2/organization_fields.json")
	wantStatus(t, resp, b, http.StatusOK)
	if decode(t, b)["count"] != 1.0 {
		t.Errorf("organization fields = %s", b)
	}
	// Values are checked by type on the single endpoints too.
	resp, b = f.send(t, "POST", "/api/v2/organizations/create_or_update.json", `{"organization":{"name":"Hooli","organization_fields":{"sla":"yes"}}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	resp, b = f.send(t, "POST", "/api/v2/organizations/create_or_update.json", `{"organization":{"name":"Hooli","organization_fields":{"sla":true}}}`)
	wantStatus(t, resp, b, http.StatusCreated)
	if got := decode(t, b)["organization"].(map[string]any)["organization_fields"]; !cmp.Equal(got, map[string]any{"sla": true}) {
		t.Errorf("organization_fields = %v", got)
	}
}
