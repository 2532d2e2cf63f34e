package zendesktest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShowUsers(t *testing.T) {
	f := newFixture(t)
	resp, b := f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusOK)
	me := decode(t, b)["user"].(map[string]any)
	want := map[string]any{"id": float64(f.admin.ID), "url": f.acct.BaseURL() + "/api/v2/users/" + strconv.FormatInt(f.admin.ID, 10) + ".json",
		"name": "Ada Admin", "email": "ada@acme.example", "role": "admin", "organization_id": nil, "external_id": nil,
		"active": true, "created_at": "2026-03-02T10:00:30Z", "updated_at": "2026-03-02T10:00:30Z",
		"ticket_restriction": nil, "restricted_agent": false,
		"phone": nil, "tags": []any{}, "notes": nil, "user_fields": map[string]any{}}
	if diff := cmp.Diff(want, me); diff != "" {
		t.Errorf("me (-want +got):\n%s", diff)
	}

	resp, b = f.get(t, "/api/v2/users/"+strconv.FormatInt(f.endUser.ID, 10)+".json")
	wantStatus(t, resp, b, http.StatusOK)
	if u := decode(t, b)["user"].(map[string]any); u["organization_id"] != float64(f.org.ID) {
		t.Errorf("user = %v", u)
	}
	resp, b = f.get(t, "/api/v2/users/1.json")
	wantStatus(t, resp, b, http.StatusNotFound)

	many := strconv.FormatInt(f.endUser.ID, 10) + "," + strconv.FormatInt(f.admin.ID, 10) + ",5"
	resp, b = f.get(t, "/api/v2/users/show_many.json?ids="+many)
	wantStatus(t, resp, b, http.StatusOK)
	if diff := cmp.Diff([]int64{f.admin.ID, f.endUser.ID}, ids(t, decode(t, b)["users"])); diff != "" {
		t.Errorf("show_many (-want +got):\n%s", diff)
	}
	tooMany := strings.TrimSuffix(strings.Repeat("1,", 101), ",")
	for _, q := range []string{"", "?ids=", "?ids=1,x", "?ids=" + tooMany} {
		resp, b = f.get(t, "/api/v2/users/show_many.json"+q)
		wantStatus(t, resp, b, http.StatusBadRequest)
	}
}

func TestSearchUsers(t *testing.T) {
	f := newFixture(t)
	gone := f.acct.AddUser(User{Name: "Gone Gibbons", Email: "gone@initech.example"})
	if err := f.acct.SetUserActive(gone.ID, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []int64
	}{
		{"query=" + url.QueryEscape("peter@initech.EXAMPLE"), []int64{f.endUser.ID}},
		{"query=" + url.QueryEscape("peter@initech"), []int64{}}, // an email matches exactly, not as a prefix
		{"query=" + url.QueryEscape("email:peter@initech.example"), []int64{f.endUser.ID}},
		{"query=gibbons", []int64{f.endUser.ID}},
		{"query=" + url.QueryEscape("gone@initech.example"), []int64{}}, // deactivated
		{"external_id=003peter", []int64{f.endUser.ID}},
		{"external_id=003", []int64{}},
	}
	for _, tt := range tests {
		resp, b := f.get(t, "/api/v2/users/search.json?"+tt.query)
		wantStatus(t, resp, b, http.StatusOK)
		m := decode(t, b)
		if diff := cmp.Diff(tt.want, ids(t, m["users"])); diff != "" {
			t.Errorf("search %s (-want +got):\n%s", tt.query, diff)
		}
		if m["count"] != float64(len(tt.want)) || m["next_page"] != nil || m["previous_page"] != nil {
			t.Errorf("search %s: count/next/prev = %v %v %v", tt.query, m["count"], m["next_page"], m["previous_page"])
		}
	}
	resp, b := f.get(t, "/api/v2/users/search.json")
	wantStatus(t, resp, b, http.StatusBadRequest)
}

func TestCreateOrUpdateUser(t *testing.T) {
	f := newFixture(t)
	resp, b := f.send(t, "POST", "/api/v2/users/create_or_update.json",
		`{"user":{"name":"Milton","email":"milton@initech.example","external_id":"003MILTON","organization_id":`+strconv.FormatInt(f.org.ID, 10)+`}}`)
	wantStatus(t, resp, b, http.StatusCreated)
	created := decode(t, b)["user"].(map[string]any)
	if created["role"] != "end-user" || created["external_id"] != "003MILTON" || created["organization_id"] != float64(f.org.ID) {
		t.Errorf("created = %v", created)
	}
	// Matched by email (any case): updated, not duplicated.
	resp, b = f.send(t, "POST", "/api/v2/users/create_or_update", `{"user":{"name":"Milton Waddams","email":"MILTON@initech.example"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	updated := decode(t, b)["user"].(map[string]any)
	if updated["id"] != created["id"] || updated["name"] != "Milton Waddams" {
		t.Errorf("updated = %v, want the same user renamed", updated)
	}
	// Matched by external id; the primary email stays.
	resp, b = f.send(t, "POST", "/api/v2/users/create_or_update.json", `{"user":{"external_id":"003milton","email":"other@initech.example"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	if u := decode(t, b)["user"].(map[string]any); u["id"] != created["id"] || u["email"] != "milton@initech.example" {
		t.Errorf("update by external id = %v", u)
	}

	agentAuth := "Authorization: " + basicAuth(f.agent.Email, f.token)
	for _, tt := range []struct {
		name, body string
		headers    []string
		want       int
	}{
		{"no name on create", `{"user":{"email":"new@initech.example"}}`, nil, 422},
		{"bad email", `{"user":{"name":"X","email":"not-an-email"}}`, nil, 422},
		{"bad role", `{"user":{"name":"X","email":"x@initech.example","role":"owner"}}`, nil, 422},
		{"unknown org", `{"user":{"name":"X","email":"x@initech.example","organization_id":1}}`, nil, 422},
		{"email of another user", `{"user":{"email":"peter@initech.example","external_id":"003MILTON"}}`, nil, 422},
		{"agent grants admin", `{"user":{"name":"X","email":"x@initech.example","role":"admin"}}`, []string{agentAuth}, 403},
		{"agent creates end-user", `{"user":{"name":"Y","email":"y@initech.example"}}`, []string{agentAuth}, 201},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := append([]string{"Content-Type: application/json", "Authorization: " + basicAuth(f.admin.Email, f.token)}, tt.headers...)
			resp, b := request(t, "POST", f.acct.BaseURL()+"/api/v2/users/create_or_update.json", tt.body, h...)
			wantStatus(t, resp, b, tt.want)
		})
	}
}
