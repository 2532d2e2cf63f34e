package zendesk_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// upsertAll writes users in batches of 100 and fails on any record that
// did not come out as want.
func upsertAll(t *testing.T, e *dirEmu, users []crossview.UserWrite, want string) {
	t.Helper()
	for b := range slices.Chunk(users, 100) {
		res, err := e.dir.UpsertUsers(context.Background(), e.tenant, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status != want {
				t.Fatalf("record %+v, want %s", r, want)
			}
		}
	}
}

// callsBy lists the calls per endpoint and their total.
func callsBy(e *dirEmu) (string, int) {
	by := e.acct.Stats().ByEndpoint
	total := 0
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(by)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, by[k]))
		total += by[k]
	}
	return strings.Join(parts, ", "), total
}

// TestUpsertThousandUsersCallCount counts what 1,000 new Contacts cost:
// per 100 users one lookup by external id, one of their organizations,
// one create_or_update_many job and its polls, plus one read of the
// account's agents and admins for the lot, and one of each one's
// identities (an agent is reached by a secondary email too). Looking the
// emails up one by one instead (users/search, the only way Zendesk
// offers) would cost 1,000 calls.
func TestUpsertThousandUsersCallCount(t *testing.T) {
	e := newDirEmu(t, zendesktest.AccountSpec{BulkUserImports: true, RateLimit: 100000})
	for i := range 10 {
		e.acct.AddOrganization(zendesktest.Organization{Name: fmt.Sprintf("Org %d", i), ExternalID: fmt.Sprintf("001ORG%d", i)})
	}
	for i := range 150 { // two pages of team members
		e.acct.AddUser(zendesktest.User{Name: "Agent", Email: fmt.Sprintf("agent%d@acme.test", i), Role: zendesktest.RoleAgent})
	}
	users := contacts("K", 0, 1000)
	e.acct.ResetStats()
	upsertAll(t, e, users, "created")
	summary, total := callsBy(e)
	t.Logf("1,000 new users: %d calls: %s", total, summary)
	for ep, want := range map[string]int{epUsersShowMany: 10, epOrgsShowMany: 10, epUsersList: 2, epUsersUpsertMany: 10, epUserIdentities: 151} {
		if got := e.calls(ep); got != want {
			t.Errorf("%s: %d calls, want %d", ep, got, want)
		}
	}
	if polls := e.calls(epJobsShowMany); polls < 10 || polls > 20 || total != 32+151+polls {
		t.Errorf("%d calls with %d job polls; want 32 + 151 identity reads + the polls (one or two per job)", total, polls)
	}

	// The same 1,000 again: lookups only.
	e.acct.ResetStats()
	upsertAll(t, e, users, "unchanged")
	summary, total = callsBy(e)
	t.Logf("the same 1,000 again: %d calls: %s", total, summary)
	if total != 20 {
		t.Errorf("a repeat cost %d calls, want 20 (two lookups per 100)", total)
	}

	// 1,000 new users with tags: the tags of users not found by external
	// id wait for the job (a user matched by email keeps its own), then
	// one update_many job per 100 adds them.
	e.acct.ResetStats()
	upsertAll(t, e, contacts("T", 0, 1000, "from_salesforce"), "created")
	summary, total = callsBy(e)
	t.Logf("1,000 new users with tags: %d calls: %s", total, summary)
	if e.calls(epUsersUpsertMany) != 10 || e.calls(epUsersUpdateMany) != 10 || e.calls(epUsersList) != 0 {
		t.Errorf("jobs: %s", summary)
	}
	for _, u := range e.acct.Users() {
		if strings.HasPrefix(u.ExternalID, "003T") && !slices.Equal(u.Tags, []string{"from_salesforce"}) {
			t.Fatalf("user %+v lacks its tag", u)
		}
	}
	if n := len(e.acct.Users()); n != 1+150+2000 {
		t.Errorf("%d users, want %d", n, 1+150+2000)
	}
}

// TestUpsertThousandOrganizationsCallCount counts 1,000 new Accounts
// matched by external id, then name: per 100 one lookup and one
// create_many job with its polls, and one read of the account's
// organizations for the name index.
func TestUpsertThousandOrganizationsCallCount(t *testing.T) {
	e := newDirEmu(t, zendesktest.AccountSpec{BulkUserImports: true, RateLimit: 100000})
	var orgs []crossview.OrgWrite
	for i := range 1000 {
		orgs = append(orgs, crossview.OrgWrite{ExternalID: fmt.Sprintf("001A%04d", i), Name: fmt.Sprintf("Account %d", i),
			DomainNames: []string{fmt.Sprintf("a%d.example", i)}, Match: []string{"external_id", "name"}})
	}
	e.acct.ResetStats()
	for b := range slices.Chunk(orgs, 100) {
		res, err := e.dir.UpsertOrganizations(context.Background(), e.tenant, b)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(slices.DeleteFunc(statuses(res), func(s string) bool { return s == "created" })); n != 0 {
			t.Fatalf("results %+v", res)
		}
	}
	summary, total := callsBy(e)
	t.Logf("1,000 new organizations: %d calls: %s", total, summary)
	polls := e.calls(epJobsShowMany)
	if e.calls(epOrgsShowMany) != 10 || e.calls(epOrgsCreateMany) != 10 || e.calls(epOrgsList) != 1 || total != 21+polls || polls > 20 {
		t.Errorf("calls: %s", summary)
	}
}
