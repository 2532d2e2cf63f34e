package zendesk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestUpsertOrganizationsCreatesThenUpdatesWithoutDoubling(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	if _, err := e.acct.AddOrganizationField(zendesktest.ObjectField{Key: "tier", Type: "dropdown", Title: "Tier",
		Options: []zendesktest.FieldOption{{Name: "Gold", Value: "gold"}, {Name: "Silver", Value: "silver"}}}); err != nil {
		t.Fatal(err)
	}
	// Zendesk already has this Account's organization, with a domain and
	// a tag someone added there.
	old := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "001INI",
		DomainNames: []string{"initech.example"}, Tags: []string{"zendesk_only"}})
	batch := []crossview.OrgWrite{
		{ExternalID: "001GLX", Name: "Globex", DomainNames: []string{"Globex.example"}, Tags: []string{"Key Account"},
			Notes: ptr("Big"), Fields: map[string]any{"tier": "gold"}, Match: []string{"external_id"}},
		{ExternalID: "001INI", Name: "Initech Corp", DomainNames: []string{"initech.io"}, Tags: []string{"customer"}, Details: ptr("Austin")},
		{ExternalID: "001HOO", Name: "Hooli"},
	}
	res, err := e.dir.UpsertOrganizations(ctx, e.tenant, batch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"created", "updated", "created"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if res[1].ZendeskID != old.ID || res[0].ZendeskID == 0 || res[0].ExternalID != "001GLX" {
		t.Errorf("results = %+v", res)
	}
	globex, _ := e.acct.Organization(res[0].ZendeskID)
	if globex.Name != "Globex" || globex.ExternalID != "001GLX" || !cmp.Equal(globex.DomainNames, []string{"globex.example"}) ||
		!cmp.Equal(globex.Tags, []string{"key_account"}) || globex.Notes != "Big" || globex.OrganizationFields["tier"] != "gold" {
		t.Errorf("globex = %+v", globex)
	}
	initech, _ := e.acct.Organization(old.ID)
	if initech.Name != "Initech Corp" || initech.Details != "Austin" ||
		!cmp.Equal(initech.DomainNames, []string{"initech.example", "initech.io"}) || !cmp.Equal(initech.Tags, []string{"zendesk_only", "customer"}) {
		t.Errorf("initech = %+v: domains and tags must be added to Zendesk's, never replace them", initech)
	}
	before := e.acct.Organizations()
	e.acct.ResetStats()

	// The same batch again changes nothing and creates nothing.
	res, err = e.dir.UpsertOrganizations(ctx, e.tenant, batch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"unchanged", "unchanged", "unchanged"}, statuses(res)); diff != "" {
		t.Errorf("repeat statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, e.acct.Organizations()); diff != "" {
		t.Errorf("a repeat changed Zendesk (-before +after):\n%s", diff)
	}
	if n := e.calls(epOrgsCreateMany) + e.calls(epOrgsUpdateMany) + e.calls(epJobsShowMany); n != 0 || e.calls(epOrgsShowMany) != 1 {
		t.Errorf("a repeat cost %d writes and polls and %d lookups, want 0 and 1", n, e.calls(epOrgsShowMany))
	}

	// Salesforce drops a domain and a tag and changes the notes: notes
	// follow, the domain and tag stay.
	res, err = e.dir.UpsertOrganizations(ctx, e.tenant, []crossview.OrgWrite{
		{ExternalID: "001glx", Name: "Globex", DomainNames: []string{"globex.com"}, Notes: ptr("Bigger"), Fields: map[string]any{"tier": "silver"}},
	})
	if err != nil || res[0].Status != "updated" || res[0].ExternalID != "001glx" {
		t.Fatalf("update = %+v, %v", res, err)
	}
	globex, _ = e.acct.Organization(globex.ID)
	if !cmp.Equal(globex.DomainNames, []string{"globex.example", "globex.com"}) || !cmp.Equal(globex.Tags, []string{"key_account"}) ||
		globex.Notes != "Bigger" || globex.OrganizationFields["tier"] != "silver" {
		t.Errorf("globex after = %+v", globex)
	}
	if n := len(e.acct.Organizations()); n != 3 {
		t.Errorf("%d organizations, want 3", n)
	}
}

func TestUpsertOrganizationsMatchesByNameDomainAndField(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	if _, err := e.acct.AddOrganizationField(zendesktest.ObjectField{Key: "account_number", Type: "text", Title: "Account number"}); err != nil {
		t.Fatal(err)
	}
	byName := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech"})
	byDomain := e.acct.AddOrganization(zendesktest.Organization{Name: "Globex Corporation", DomainNames: []string{"globex.example"}})
	byField := e.acct.AddOrganization(zendesktest.Organization{Name: "Umbrella", OrganizationFields: map[string]any{"account_number": "A-17"}})
	e.acct.AddOrganization(zendesktest.Organization{Name: "Shared One", DomainNames: []string{"shared.example"}})
	e.acct.AddOrganization(zendesktest.Organization{Name: "Shared Two", DomainNames: []string{"shared.example"}})
	claimed := e.acct.AddOrganization(zendesktest.Organization{Name: "Hooli", ExternalID: "001OTHER"})
	e.acct.ResetStats()

	match := []string{"external_id", "name", "domain", "field:account_number"}
	res, err := e.dir.UpsertOrganizations(ctx, e.tenant, []crossview.OrgWrite{
		{ExternalID: "001INI", Name: "Initech", Match: match},
		{ExternalID: "001GLX", Name: "Globex", DomainNames: []string{"GLOBEX.example"}, Match: match},
		{ExternalID: "001UMB", Name: "Umbrella Corp", Fields: map[string]any{"account_number": "A-17"}, Match: match},
		{ExternalID: "001SHR", Name: "Shared", DomainNames: []string{"shared.example"}, Match: match},
		{ExternalID: "001HOO", Name: "Hooli", Match: match},
		{ExternalID: "001NEW", Name: "Brand New", Match: match},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"updated", "updated", "updated", "failed", "failed", "created"}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	for i, o := range []zendesktest.Organization{byName, byDomain, byField} {
		got, _ := e.acct.Organization(o.ID)
		if res[i].ZendeskID != o.ID || got.ExternalID != res[i].ExternalID {
			t.Errorf("record %d = %+v; organization %+v should now carry its external id", i, res[i], got)
		}
	}
	if !strings.Contains(res[3].Error, "2 Zendesk organizations match by domain") {
		t.Errorf("ambiguous domain = %q", res[3].Error)
	}
	// Hooli belongs to another Account: not taken over; Zendesk refuses a
	// second organization with its name, in its own words.
	if !strings.Contains(res[4].Error, "Name: Hooli has already been taken") {
		t.Errorf("claimed name = %q", res[4].Error)
	}
	if o, _ := e.acct.Organization(claimed.ID); o.ExternalID != "001OTHER" {
		t.Errorf("another Account's organization was taken: %+v", o)
	}
	// One lookup by external id, one read of the organizations, one job
	// of each kind.
	for ep, want := range map[string]int{epOrgsShowMany: 1, epOrgsList: 1, epOrgsCreateMany: 1, epOrgsUpdateMany: 1} {
		if got := e.calls(ep); got != want {
			t.Errorf("%s: %d calls, want %d", ep, got, want)
		}
	}
	// The organizations are read once per CacheTTL, and what the
	// Directory writes keeps that index current: Initech is 001INI's now,
	// so another Account named Initech does not take it over.
	res, err = e.dir.UpsertOrganizations(ctx, e.tenant, []crossview.OrgWrite{{ExternalID: "001INI2", Name: "Initech", Match: match}})
	if err != nil || res[0].Status != "failed" || !strings.Contains(res[0].Error, "Name: Initech has already been taken") {
		t.Fatalf("second batch = %+v, %v", res, err)
	}
	if o, _ := e.acct.Organization(byName.ID); o.ExternalID != "001INI" {
		t.Errorf("initech = %+v", o)
	}
	if e.calls(epOrgsList) != 1 {
		t.Errorf("organizations read %d times, want once", e.calls(epOrgsList))
	}
	e.clock.Advance(6 * time.Minute)
	if _, err := e.dir.UpsertOrganizations(ctx, e.tenant, []crossview.OrgWrite{{ExternalID: "001X", Name: "X", Match: match}}); err != nil {
		t.Fatal(err)
	}
	if e.calls(epOrgsList) != 2 {
		t.Errorf("organizations read %d times after CacheTTL, want twice", e.calls(epOrgsList))
	}
}

func TestUpsertOrganizationsPerRecordFailures(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	if _, err := e.acct.AddOrganizationField(zendesktest.ObjectField{Key: "tier", Type: "dropdown", Title: "Tier",
		Options: []zendesktest.FieldOption{{Name: "Gold", Value: "gold"}}}); err != nil {
		t.Fatal(err)
	}
	existing := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "001INI"})
	res, err := e.dir.UpsertOrganizations(context.Background(), e.tenant, []crossview.OrgWrite{
		{ExternalID: "001A", Name: "Alpha", Fields: map[string]any{"tier": "bronze"}},
		{ExternalID: "001B", Name: ""},
		{ExternalID: "001C", Name: "Gamma"},
		{ExternalID: "001INI", Fields: map[string]any{"tier": "platinum"}},
		{ExternalID: "", Name: "No id"},
		{ExternalID: "001C", Name: "Gamma Inc"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"failed", "failed", "created", "failed", "failed", "created"}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	for i, msg := range map[int]string{0: "Tier: bronze is not a valid value", 1: "Name: cannot be blank", 3: "Tier: platinum is not a valid value", 4: "no Salesforce id"} {
		if !strings.Contains(res[i].Error, msg) {
			t.Errorf("record %d error = %q, want %q", i, res[i].Error, msg)
		}
	}
	// A repeated Account is written once, as its last copy.
	if res[2].ZendeskID != res[5].ZendeskID || res[2].ExternalID != "001C" {
		t.Errorf("repeated records = %+v / %+v", res[2], res[5])
	}
	if got, _ := e.acct.Organization(res[5].ZendeskID); got.Name != "Gamma Inc" {
		t.Errorf("gamma = %+v", got)
	}
	if got, _ := e.acct.Organization(existing.ID); got.OrganizationFields["tier"] != nil {
		t.Errorf("a refused value was stored: %+v", got)
	}
	if n := len(e.acct.Organizations()); n != 2 {
		t.Errorf("%d organizations, want 2 (Initech and Gamma)", n)
	}
}
