package zendesk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestMembershipsAddAndRemove(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	initech := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "001INI"})
	globex := e.acct.AddOrganization(zendesktest.Organization{Name: "Globex", ExternalID: "001GLX"})
	hooli := e.acct.AddOrganization(zendesktest.Organization{Name: "Hooli", ExternalID: "001HOO"})
	peter := e.acct.AddUser(zendesktest.User{Name: "Peter", Email: "peter@initech.example", ExternalID: "003PET", OrganizationID: initech.ID})
	lone := e.acct.AddUser(zendesktest.User{Name: "Lone", Email: "lone@x.example", ExternalID: "003LONE"})
	agent := e.acct.AddUser(zendesktest.User{Name: "Gus", Email: "gus@acme.test", ExternalID: "003GUS", Role: zendesktest.RoleAgent})
	e.acct.AddOrganizationMembership(peter.ID, hooli.ID)

	res, err := e.dir.AddMemberships(ctx, e.tenant, []crossview.Membership{
		{UserExternalID: "003PET", OrgExternalID: "001GLX"},  // a further organization
		{UserExternalID: "003PET", OrgExternalID: "001INI"},  // the default one already
		{UserExternalID: "003PET", OrgExternalID: "001HOO"},  // already a member
		{UserExternalID: "003LONE", OrgExternalID: "001GLX"}, // becomes the default
		{UserExternalID: "003NOBODY", OrgExternalID: "001GLX"},
		{UserExternalID: "003PET", OrgExternalID: "001NONE"},
		{UserExternalID: "003GUS", OrgExternalID: "001GLX"},
		{UserExternalID: "003pet", OrgExternalID: "001glx"}, // a repeat
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"created", "unchanged", "unchanged", "created", "failed", "failed", "skipped", "created"}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if !strings.Contains(res[4].Error, "no user with external id 003NOBODY") || !strings.Contains(res[5].Error, "no organization with external id 001NONE") {
		t.Errorf("errors = %q / %q", res[4].Error, res[5].Error)
	}
	if res[0].ExternalID != "003PET" || res[7].ExternalID != "003pet" {
		t.Errorf("results name the users: %+v / %+v", res[0], res[7])
	}
	if u, _ := e.acct.User(lone.ID); u.OrganizationID != globex.ID {
		t.Errorf("lone's organization = %d, want %d", u.OrganizationID, globex.ID)
	}
	if a, _ := e.acct.User(agent.ID); !cmp.Equal(a, agent) {
		t.Errorf("agent changed: %s", cmp.Diff(agent, a))
	}
	if e.calls(epMembersCreate) != 1 {
		t.Errorf("%d create_many calls, want 1", e.calls(epMembersCreate))
	}

	e.acct.ResetStats()
	res, err = e.dir.RemoveMemberships(ctx, e.tenant, []crossview.Membership{
		{UserExternalID: "003PET", OrgExternalID: "001HOO"},
		{UserExternalID: "003PET", OrgExternalID: "001GLX"},
		{UserExternalID: "003LONE", OrgExternalID: "001HOO"}, // never a member
		{UserExternalID: "003NOBODY", OrgExternalID: "001HOO"},
		{UserExternalID: "003GUS", OrgExternalID: "001GLX"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"updated", "updated", "unchanged", "unchanged", "skipped"}
	if diff := cmp.Diff(want, statuses(res)); diff != "" {
		t.Fatalf("remove statuses (-want +got):\n%s\n%+v", diff, res)
	}
	// Peter keeps his default organization only; the users' memberships
	// were read once per user and removed in one job.
	if u, _ := e.acct.User(peter.ID); u.OrganizationID != initech.ID {
		t.Errorf("peter's default organization = %d", u.OrganizationID)
	}
	if e.calls(epUserMemberships) != 2 || e.calls(epMembersDestroy) != 1 {
		t.Errorf("%d membership reads, %d destroy_many calls; want 2 and 1", e.calls(epUserMemberships), e.calls(epMembersDestroy))
	}
	res, err = e.dir.RemoveMemberships(ctx, e.tenant, []crossview.Membership{{UserExternalID: "003PET", OrgExternalID: "001HOO"}})
	if err != nil || res[0].Status != "unchanged" {
		t.Errorf("removing again = %+v, %v", res, err)
	}
}

func TestTagUsersAndOrganizations(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	peter := e.acct.AddUser(zendesktest.User{Name: "Peter", Email: "peter@initech.example", ExternalID: "003PET", Tags: []string{"vip"}})
	done := e.acct.AddUser(zendesktest.User{Name: "Done", Email: "done@initech.example", ExternalID: "003DONE", Tags: []string{"sf_deleted"}})
	e.acct.AddUser(zendesktest.User{Name: "Gus", Email: "gus@acme.test", ExternalID: "003GUS", Role: zendesktest.RoleAgent})
	org := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "001INI", Tags: []string{"partner"}})

	res, err := e.dir.Tag(ctx, e.tenant, "user", []string{"003PET", "003DONE", "003GONE", "003GUS"}, "SF Deleted")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"updated", "unchanged", "skipped", "skipped"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if u, _ := e.acct.User(peter.ID); !cmp.Equal(u.Tags, []string{"vip", "sf_deleted"}) || res[0].ZendeskID != peter.ID {
		t.Errorf("peter's tags = %v: the tag is added, none removed", u.Tags)
	}
	if u, _ := e.acct.User(done.ID); !cmp.Equal(u.Tags, []string{"sf_deleted"}) {
		t.Errorf("done's tags = %v", u.Tags)
	}
	res, err = e.dir.Tag(ctx, e.tenant, "organization", []string{"001INI"}, "sf_deleted")
	if err != nil || res[0].Status != "updated" {
		t.Fatalf("organization = %+v, %v", res, err)
	}
	if o, _ := e.acct.Organization(org.ID); !cmp.Equal(o.Tags, []string{"partner", "sf_deleted"}) {
		t.Errorf("organization tags = %v", o.Tags)
	}
	if _, err := e.dir.Tag(ctx, e.tenant, "ticket", []string{"1"}, "x"); crossview.ErrorCode(err) != crossview.EINVALID {
		t.Errorf("tagging tickets: %v", err)
	}
	if _, err := e.dir.Tag(ctx, e.tenant, "user", []string{"003PET"}, "  "); crossview.ErrorCode(err) != crossview.EINVALID {
		t.Errorf("an empty tag: %v", err)
	}
}

func TestFieldsListsCustomFields(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	for _, f := range []zendesktest.ObjectField{
		{Key: "plan", Type: "dropdown", Title: "Plan", Options: []zendesktest.FieldOption{{Name: "Pro", Value: "pro"}, {Name: "Basic", Value: "basic"}}},
		{Key: "seats", Type: "integer", Title: "Seats"},
		{Key: "retired", Type: "text", Title: "Retired", Inactive: true},
	} {
		if _, err := e.acct.AddUserField(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.acct.AddOrganizationField(zendesktest.ObjectField{Key: "renewal", Type: "date", Title: "Renewal"}); err != nil {
		t.Fatal(err)
	}
	user, org, err := e.dir.Fields(context.Background(), e.tenant)
	if err != nil {
		t.Fatal(err)
	}
	wantUser := []crossview.ZendeskField{{Key: "plan", Type: "dropdown", Title: "Plan", Options: []string{"pro", "basic"}},
		{Key: "seats", Type: "integer", Title: "Seats"}}
	if diff := cmp.Diff(wantUser, user); diff != "" {
		t.Errorf("user fields (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]crossview.ZendeskField{{Key: "renewal", Type: "date", Title: "Renewal"}}, org); diff != "" {
		t.Errorf("organization fields (-want +got):\n%s", diff)
	}
}
