package zendesk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestOrganizationLookups(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	initech := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech & Co", ExternalID: "001Fx00000AbCdE+/"})
	e.acct.AddOrganization(zendesktest.Organization{Name: "Initrode", ExternalID: "001Fx00000ZzZzZ"})
	ctx := context.Background()
	byExt := func(v string) (zendesk.Organization, bool, error) {
		return e.client.OrganizationByExternalID(ctx, "acme", e.cred, v)
	}
	byName := func(v string) (zendesk.Organization, bool, error) {
		return e.client.OrganizationByName(ctx, "acme", e.cred, v)
	}
	for _, tt := range []struct {
		name   string
		find   func(string) (zendesk.Organization, bool, error)
		value  string
		wantID int64
	}{
		{"external id", byExt, "001Fx00000AbCdE+/", initech.ID},
		{"external id, other case", byExt, "001FX00000ABCDE+/", initech.ID},
		{"external id, prefix", byExt, "001Fx00000AbCdE", 0},
		{"external id, unknown", byExt, "001Fx00000NoNe0", 0},
		{"external id, empty", byExt, "", 0},
		{"name", byName, "Initech & Co", initech.ID},
		{"name, other case", byName, "initech & co", initech.ID},
		{"name, prefix", byName, "Initech", 0},
		{"name, unknown", byName, "Globex", 0},
	} {
		o, ok, err := tt.find(tt.value)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if ok != (tt.wantID != 0) || o.ID != tt.wantID {
			t.Errorf("%s %q = id %d, %v; want id %d", tt.name, tt.value, o.ID, ok, tt.wantID)
		}
	}
}

// TestOrganizationLookupKeepsOnlyTheExactMatch answers every search with
// near matches first.
func TestOrganizationLookupKeepsOnlyTheExactMatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"organizations": []map[string]any{
			{"id": 1, "name": "Initech Europe", "external_id": "A1-EU"},
			{"id": 2, "name": "Initech", "external_id": "a1"},
		}, "next_page": nil, "count": 2})
	}))
	defer srv.Close()
	c := zendesk.NewClient(srv.URL+"/{subdomain}", http.DefaultClient, 2*time.Second, nil, time.Now)
	cred := zendesk.Credentials{OAuthToken: "t"}
	ctx := context.Background()
	if o, ok, err := c.OrganizationByName(ctx, "acme", cred, "initech"); err != nil || !ok || o.ID != 2 {
		t.Errorf("ByName(initech) = %d, %v, %v; want 2", o.ID, ok, err)
	}
	if o, ok, err := c.OrganizationByExternalID(ctx, "acme", cred, "A1"); err != nil || !ok || o.ID != 2 {
		t.Errorf("ByExternalID(A1) = %d, %v, %v; want 2", o.ID, ok, err)
	}
	if o, ok, err := c.OrganizationByExternalID(ctx, "acme", cred, "A1-E"); err != nil || ok {
		t.Errorf("ByExternalID(A1-E) = %d, %v, %v; want none", o.ID, ok, err)
	}
}
