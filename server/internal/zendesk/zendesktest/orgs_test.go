package zendesktest

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShowAndSearchOrganizations(t *testing.T) {
	f := newFixture(t)
	other := f.acct.AddOrganization(Organization{Name: "Initrode", Tags: []string{"vip"}})
	resp, b := f.get(t, "/api/v2/organizations/"+strconv.FormatInt(f.org.ID, 10)+".json")
	wantStatus(t, resp, b, http.StatusOK)
	got := decode(t, b)["organization"].(map[string]any)
	want := map[string]any{"id": float64(f.org.ID), "url": f.acct.BaseURL() + "/api/v2/organizations/" + strconv.FormatInt(f.org.ID, 10) + ".json",
		"name": "Initech", "external_id": "001AAA", "domain_names": []any{"initech.example"}, "tags": []any{},
		"created_at": "2026-03-02T10:00:30Z", "updated_at": "2026-03-02T10:00:30Z",
		"notes": nil, "details": nil, "organization_fields": map[string]any{}, "group_id": nil,
		"shared_tickets": false, "shared_comments": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("organization (-want +got):\n%s", diff)
	}
	resp, b = f.get(t, "/api/v2/organizations/5.json")
	wantStatus(t, resp, b, http.StatusNotFound)

	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"external_id=001aaa", []int64{f.org.ID}},
		{"name=INITECH", []int64{f.org.ID}},
		{"name=Init", []int64{}},
		{"name=Initrode", []int64{other.ID}},
	} {
		resp, b := f.get(t, "/api/v2/organizations/search.json?"+tt.query)
		wantStatus(t, resp, b, http.StatusOK)
		if diff := cmp.Diff(tt.want, ids(t, decode(t, b)["organizations"])); diff != "" {
			t.Errorf("search %s (-want +got):\n%s", tt.query, diff)
		}
	}
	resp, b = f.get(t, "/api/v2/organizations/search.json")
	wantStatus(t, resp, b, http.StatusBadRequest)

	resp, b = f.get(t, "/api/v2/organizations/show_many.json?ids="+strconv.FormatInt(other.ID, 10)+","+strconv.FormatInt(f.org.ID, 10))
	wantStatus(t, resp, b, http.StatusOK)
	if diff := cmp.Diff([]int64{f.org.ID, other.ID}, ids(t, decode(t, b)["organizations"])); diff != "" {
		t.Errorf("show_many (-want +got):\n%s", diff)
	}
}

func TestCreateOrUpdateOrganization(t *testing.T) {
	f := newFixture(t)
	resp, b := f.send(t, "POST", "/api/v2/organizations/create_or_update.json",
		`{"organization":{"name":"Globex","external_id":"001GLX","domain_names":["globex.example"]}}`)
	wantStatus(t, resp, b, http.StatusCreated)
	created := decode(t, b)["organization"].(map[string]any)

	resp, b = f.send(t, "POST", "/api/v2/organizations/create_or_update.json",
		`{"organization":{"name":"Globex Corp","external_id":"001glx","domain_names":["globex.test"]}}`)
	wantStatus(t, resp, b, http.StatusOK)
	updated := decode(t, b)["organization"].(map[string]any)
	if updated["id"] != created["id"] || updated["name"] != "Globex Corp" {
		t.Errorf("updated = %v", updated)
	}
	if diff := cmp.Diff([]any{"globex.test"}, updated["domain_names"]); diff != "" {
		t.Errorf("domain_names are replaced (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		name, body string
		want       int
	}{
		// The name is not a matching criterion: a second record with it is refused.
		{"name only, taken", `{"organization":{"name":"initech"}}`, 422},
		{"blank name on create", `{"organization":{"external_id":"001NEW"}}`, 422},
		{"unknown id", `{"organization":{"id":42,"name":"X"}}`, 404},
		{"empty", `{"organization":{}}`, 400},
		{"by id", `{"organization":{"id":` + strconv.FormatInt(f.org.ID, 10) + `,"tags":["VIP"]}}`, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := f.send(t, "POST", "/api/v2/organizations/create_or_update.json", tt.body)
			wantStatus(t, resp, b, tt.want)
		})
	}
	if o, _ := f.acct.Organization(f.org.ID); len(o.Tags) != 1 || o.Tags[0] != "vip" {
		t.Errorf("tags after update by id = %v", o.Tags)
	}
}
