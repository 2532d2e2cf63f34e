package zendesktest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShowManyByExternalIDs(t *testing.T) {
	f := newFixture(t)
	other := f.acct.AddOrganization(Organization{Name: "Globex", ExternalID: "001GLX"})
	resp, b := f.get(t, "/api/v2/users/show_many.json?external_ids=003peter,003NOBODY")
	wantStatus(t, resp, b, http.StatusOK)
	if got := ids(t, decode(t, b)["users"]); !cmp.Equal(got, []int64{f.endUser.ID}) {
		t.Errorf("users by external id = %v, want the end-user (ignoring case)", got)
	}
	resp, b = f.get(t, "/api/v2/organizations/show_many.json?external_ids=001glx,001AAA,nope")
	wantStatus(t, resp, b, http.StatusOK)
	if got := ids(t, decode(t, b)["organizations"]); !cmp.Equal(got, []int64{other.ID, f.org.ID}) {
		t.Errorf("organizations by external id = %v", got)
	}
	many := strings.Repeat("x,", 100) + "y"
	for _, path := range []string{
		"/api/v2/users/show_many.json", "/api/v2/users/show_many.json?external_ids=" + many,
		"/api/v2/organizations/show_many.json", "/api/v2/organizations/show_many.json?external_ids=" + many,
		"/api/v2/users/show_many.json?external_ids=a,,b",
	} {
		if resp, b := f.get(t, path); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d body %s", path, resp.StatusCode, b)
		}
	}
}

func TestListUsersByRoleAndOrganizations(t *testing.T) {
	f := newFixture(t)
	var agents []int64
	for i := range 5 {
		agents = append(agents, f.acct.AddUser(User{Name: "Agent", Email: "a" + strconv.Itoa(i) + "@acme.example", Role: RoleAgent}).ID)
	}
	gone := f.acct.AddUser(User{Name: "Gone", Email: "gone@acme.example", Role: RoleAgent})
	if err := f.acct.SetUserActive(gone.ID, false); err != nil {
		t.Fatal(err)
	}
	// Cursor pages of 3 carry the role filters in links.next.
	var got []int64
	next := f.acct.BaseURL() + "/api/v2/users.json?role[]=agent&role[]=admin&page[size]=3"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("no end")
		}
		resp, b := request(t, "GET", next, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
		wantStatus(t, resp, b, http.StatusOK)
		m := decode(t, b)
		got = append(got, ids(t, m["users"])...)
		next = ""
		if m["meta"].(map[string]any)["has_more"] == true {
			next = m["links"].(map[string]any)["next"].(string)
			if u, _ := url.Parse(next); u.Query()["role[]"] == nil {
				t.Fatalf("next link lost the role filter: %s", next)
			}
		}
	}
	want := append([]int64{f.admin.ID, f.agent.ID}, agents...)
	if !cmp.Equal(got, want) {
		t.Errorf("team members = %v, want %v (active agents and admins by id)", got, want)
	}
	resp, b := f.get(t, "/api/v2/users.json?role=end-user")
	wantStatus(t, resp, b, http.StatusOK)
	if got := ids(t, decode(t, b)["users"]); !cmp.Equal(got, []int64{f.endUser.ID}) {
		t.Errorf("end-users = %v", got)
	}
	if resp, b := f.get(t, "/api/v2/users.json?role=owner"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown role: %d %s", resp.StatusCode, b)
	}
	resp, b = f.get(t, "/api/v2/organizations.json?page[size]=100")
	wantStatus(t, resp, b, http.StatusOK)
	if got := ids(t, decode(t, b)["organizations"]); !cmp.Equal(got, []int64{f.org.ID}) {
		t.Errorf("organizations = %v", got)
	}
}

func TestUpdateAndCreateManyUsers(t *testing.T) {
	f := bulkFixture(t)
	f.acct.AddUser(User{Name: "Tagged", Email: "tagged@x.example", ExternalID: "003TAG", Phone: "+15550100", Tags: []string{"old"}})
	// Batch: by id and by external id; tags replace; a phone goes beside
	// the primary one; an unknown user is a per-record failure.
	resp, b := f.send(t, "PUT", "/api/v2/users/update_many.json", `{"users":[
		{"external_id":"003tag","tags":["old","New"],"phone":"+15550199","details":"Main St"},
		{"id":`+strconv.FormatInt(f.endUser.ID, 10)+`,"name":"Peter G."},
		{"external_id":"003NOBODY","name":"x"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	results := finishJob(t, f, b)["results"].([]any)
	tagged := f.acct.userByExternalID("003TAG")
	if !cmp.Equal(tagged.Tags, []string{"old", "new"}) || tagged.Phone != "+15550100" || !cmp.Equal(tagged.OtherPhones, []string{"+15550199"}) || tagged.Details != "Main St" {
		t.Errorf("tagged = %+v", tagged)
	}
	if r := results[2].(map[string]any); r["error"] != "RecordNotFound" || r["external_id"] != "003NOBODY" {
		t.Errorf("unknown user = %v", r)
	}
	resp, b = f.get(t, "/api/v2/users/"+strconv.FormatInt(tagged.ID, 10)+"/identities.json")
	wantStatus(t, resp, b, http.StatusOK)
	var phones []any
	for _, id := range decode(t, b)["identities"].([]any) {
		if m := id.(map[string]any); m["type"] == "phone_number" {
			phones = append(phones, []any{m["value"], m["primary"]})
		}
	}
	if diff := cmp.Diff([]any{[]any{"+15550100", true}, []any{"+15550199", false}}, phones); diff != "" {
		t.Errorf("phone identities (-want +got):\n%s", diff)
	}
	// Bulk: one body for every user named in the query.
	resp, b = f.send(t, "PUT", "/api/v2/users/update_many.json?external_ids=003TAG,003PETER", `{"user":{"notes":"synced"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	finishJob(t, f, b)
	if p, _ := f.acct.User(f.endUser.ID); p.Notes != "synced" || f.acct.userByExternalID("003TAG").Notes != "synced" {
		t.Errorf("bulk update missed a user: %+v", p)
	}
	// An agent may update end-users only.
	agent := "Authorization: " + basicAuth(f.agent.Email, f.token)
	resp, b = request(t, "PUT", f.acct.BaseURL()+"/api/v2/users/update_many.json",
		`{"users":[{"id":`+strconv.FormatInt(f.admin.ID, 10)+`,"name":"Renamed"}]}`, agent, "Content-Type: application/json")
	wantStatus(t, resp, b, http.StatusOK)
	if r := finishJob(t, f, b)["results"].([]any)[0].(map[string]any); r["success"] != false || r["error"] != "Forbidden" {
		t.Errorf("agent changing an admin = %v", r)
	}
	// create_many matches nothing: a taken email or external id refuses
	// the record.
	resp, b = f.send(t, "POST", "/api/v2/users/create_many.json", `{"users":[
		{"name":"New","email":"new@x.example","external_id":"003NEW"},
		{"name":"Taken","email":"tagged@x.example"},
		{"name":"Taken ext","email":"t2@x.example","external_id":"003TAG"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	results = finishJob(t, f, b)["results"].([]any)
	if r := results[0].(map[string]any); r["status"] != "Created" {
		t.Errorf("new user = %v", r)
	}
	for i, want := range map[int]string{1: "already being used", 2: "has already been taken"} {
		if r := results[i].(map[string]any); r["success"] != false || !strings.Contains(r["details"].(string), want) {
			t.Errorf("result %d = %v, want %q", i, r, want)
		}
	}
	off := newFixture(t)
	resp, b = off.send(t, "POST", "/api/v2/users/create_many.json", `{"users":[{"name":"x","email":"x@y.example"}]}`)
	wantStatus(t, resp, b, http.StatusForbidden)
}

func TestDestroyManyOrgMemberships(t *testing.T) {
	f := bulkFixture(t)
	globex := f.acct.AddOrganization(Organization{Name: "Globex"})
	hooli := f.acct.AddOrganization(Organization{Name: "Hooli"})
	f.acct.AddOrganizationMembership(f.endUser.ID, globex.ID)
	f.acct.AddOrganizationMembership(f.endUser.ID, hooli.ID)
	list := func() []float64 {
		t.Helper()
		resp, b := f.get(t, "/api/v2/users/"+strconv.FormatInt(f.endUser.ID, 10)+"/organization_memberships.json")
		wantStatus(t, resp, b, http.StatusOK)
		var out []float64
		for _, m := range decode(t, b)["organization_memberships"].([]any) {
			out = append(out, m.(map[string]any)["id"].(float64), m.(map[string]any)["organization_id"].(float64))
		}
		return out
	}
	ms := list()
	if len(ms) != 6 {
		t.Fatalf("memberships = %v", ms)
	}
	defaultID := strconv.FormatInt(int64(ms[0]), 10)
	resp, b := f.send(t, "DELETE", "/api/v2/organization_memberships/destroy_many.json?ids="+defaultID+",12345", "")
	wantStatus(t, resp, b, http.StatusOK)
	results := finishJob(t, f, b)["results"].([]any)
	if r := results[0].(map[string]any); r["status"] != "Deleted" || r["success"] != true {
		t.Errorf("removing the default = %v", r)
	}
	if r := results[1].(map[string]any); r["error"] != "RecordNotFound" || r["id"] != 12345.0 {
		t.Errorf("unknown membership = %v", r)
	}
	// The oldest other membership became the default.
	if u, _ := f.acct.User(f.endUser.ID); u.OrganizationID != globex.ID {
		t.Errorf("default organization = %d, want %d", u.OrganizationID, globex.ID)
	}
	if got := list(); len(got) != 4 || got[1] != float64(globex.ID) || got[3] != float64(hooli.ID) {
		t.Errorf("memberships after = %v", got)
	}
	if resp, b := f.send(t, "DELETE", "/api/v2/organization_memberships/destroy_many.json", ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("no ids: %d %s", resp.StatusCode, b)
	}
}

func TestCreateOrUpdateAddsPhones(t *testing.T) {
	f := bulkFixture(t)
	f.acct.AddUser(User{Name: "Samir", Email: "samir@x.example", ExternalID: "003SAM", Phone: "+15550100"})
	resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", `{"users":[
		{"external_id":"003SAM","phone":"+15550142"},{"external_id":"003NEW","name":"New","phone":"+15550177"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	finishJob(t, f, b)
	samir := f.acct.userByExternalID("003SAM")
	if samir.Phone != "+15550100" || !cmp.Equal(samir.OtherPhones, []string{"+15550142"}) {
		t.Errorf("samir = %+v: the primary phone must stay and the new one be added", samir)
	}
	if u := f.acct.userByExternalID("003NEW"); u.Phone != "+15550177" || len(u.OtherPhones) != 0 {
		t.Errorf("new user = %+v: the phone of a new user is its primary phone", u)
	}
}
