package zendesk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

var userMatch = []string{"external_id", "email"}

func TestUpsertUsersCreatesThenUpdatesWithoutDoubling(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	if _, err := e.acct.AddUserField(zendesktest.ObjectField{Key: "plan", Type: "dropdown", Title: "Plan",
		Options: []zendesktest.FieldOption{{Name: "Pro", Value: "pro"}, {Name: "Basic", Value: "basic"}}}); err != nil {
		t.Fatal(err)
	}
	org := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "001INI"})
	batch := []crossview.UserWrite{
		{ExternalID: "003PET", Name: "Peter Gibbons", Email: "peter@initech.example", Phone: "+15550100", Tags: []string{"VIP"},
			Notes: ptr("Moved desks"), Fields: map[string]any{"plan": "pro"}, OrgExternalID: "001INI", Match: userMatch},
		{ExternalID: "00QLEAD", Name: "Lena Lead", Email: "lena@prospect.example", Match: userMatch},
	}
	res, err := e.dir.UpsertUsers(ctx, e.tenant, batch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"created", "created"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	peter, _ := e.acct.User(res[0].ZendeskID)
	if peter.Name != "Peter Gibbons" || peter.Email != "peter@initech.example" || peter.ExternalID != "003PET" || peter.Phone != "+15550100" ||
		!cmp.Equal(peter.Tags, []string{"vip"}) || peter.Notes != "Moved desks" || peter.UserFields["plan"] != "pro" || peter.OrganizationID != org.ID || peter.Role != "end-user" {
		t.Errorf("peter = %+v", peter)
	}
	before := e.acct.Users()
	e.acct.ResetStats()

	// The same batch again: nothing written, nothing created.
	res, err = e.dir.UpsertUsers(ctx, e.tenant, batch)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"unchanged", "unchanged"}, statuses(res)); diff != "" {
		t.Errorf("repeat statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, e.acct.Users()); diff != "" {
		t.Errorf("a repeat changed Zendesk (-before +after):\n%s", diff)
	}
	if n := e.calls(epUsersUpsertMany) + e.calls(epUsersUpdateMany) + e.calls(epJobsShowMany); n != 0 {
		t.Errorf("a repeat cost %d writes and polls", n)
	}

	// In Zendesk an agent tags Peter; in Salesforce his email, phone,
	// tags and plan change. The new email and phone become identities
	// beside the primary ones, the tags are added, the plan follows.
	if _, err := e.dir.Tag(ctx, e.tenant, "user", []string{"003PET"}, "zendesk_only"); err != nil {
		t.Fatal(err)
	}
	res, err = e.dir.UpsertUsers(ctx, e.tenant, []crossview.UserWrite{{ExternalID: "003pet", Name: "Peter Gibbons",
		Email: "peter@gibbons.example", Phone: "+15550199", Tags: []string{"churn risk"}, Fields: map[string]any{"plan": "basic"},
		OrgExternalID: "001INI", Match: userMatch}})
	if err != nil || res[0].Status != "updated" || res[0].ZendeskID != peter.ID {
		t.Fatalf("update = %+v, %v", res, err)
	}
	peter, _ = e.acct.User(peter.ID)
	if peter.Email != "peter@initech.example" || !cmp.Equal(peter.OtherEmails, []string{"peter@gibbons.example"}) ||
		peter.Phone != "+15550100" || !cmp.Equal(peter.OtherPhones, []string{"+15550199"}) ||
		!cmp.Equal(peter.Tags, []string{"vip", "zendesk_only", "churn_risk"}) || peter.UserFields["plan"] != "basic" {
		t.Errorf("peter after = %+v: emails, phones and tags are only ever added", peter)
	}
	if n := len(e.acct.Users()); n != 3 {
		t.Errorf("%d users, want 3 (the admin, Peter, Lena)", n)
	}
}

func TestUpsertUsersNeverChangesAgentsOrAdmins(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	agent := e.acct.AddUser(zendesktest.User{Name: "Gus Agent", Email: "gus@acme.test", Role: zendesktest.RoleAgent})
	admin := e.acct.AddUser(zendesktest.User{Name: "Ext Admin", Email: "boss@acme.test", Role: zendesktest.RoleAdmin, ExternalID: "003BOSS"})
	// An end-user who is already in Zendesk, found by email, with a tag.
	known := e.acct.AddUser(zendesktest.User{Name: "Milton", Email: "milton@initech.example", Tags: []string{"stapler"}})
	res, err := e.dir.UpsertUsers(ctx, e.tenant, []crossview.UserWrite{
		{ExternalID: "003GUS", Name: "Gus as a Contact", Email: "GUS@acme.test", Match: userMatch},
		{ExternalID: "003BOSS", Name: "Boss as a Contact", Email: "boss@elsewhere.example", Match: userMatch},
		{ExternalID: "003MIL", Name: "Milton Waddams", Email: "milton@initech.example", Tags: []string{"basement"}, Match: userMatch},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"skipped", "skipped", "updated"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if !strings.Contains(res[0].Error, fmt.Sprintf("GUS@acme.test belongs to Zendesk agent %d", agent.ID)) || res[0].ZendeskID != 0 ||
		!strings.Contains(res[1].Error, "is an admin") {
		t.Errorf("skip reasons = %q / %q", res[0].Error, res[1].Error)
	}
	for _, u := range []zendesktest.User{agent, admin} {
		if got, _ := e.acct.User(u.ID); !cmp.Equal(got, u) {
			t.Errorf("team member changed:\n%s", cmp.Diff(u, got))
		}
	}
	// Milton was matched by email: he gets the external id and keeps his
	// tag beside the new one.
	milton, _ := e.acct.User(known.ID)
	if res[2].ZendeskID != known.ID || milton.ExternalID != "003MIL" || !cmp.Equal(milton.Tags, []string{"stapler", "basement"}) {
		t.Errorf("milton = %+v (result %+v)", milton, res[2])
	}
}

func TestUpsertUsersPerRecordFailures(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	if _, err := e.acct.AddUserField(zendesktest.ObjectField{Key: "seats", Type: "integer", Title: "Seats"}); err != nil {
		t.Fatal(err)
	}
	e.acct.AddUser(zendesktest.User{Name: "Samir", Email: "samir@initech.example", ExternalID: "003SAM"})
	e.acct.AddUser(zendesktest.User{Name: "Michael", Email: "michael@initech.example", ExternalID: "003MIK"})
	res, err := e.dir.UpsertUsers(context.Background(), e.tenant, []crossview.UserWrite{
		{ExternalID: "003MIK", Name: "Michael Bolton", Email: "samir@initech.example", Match: userMatch},
		{ExternalID: "003BAD", Name: "Bad Phone", Email: "bad@initech.example", Phone: "call me", Match: userMatch},
		{ExternalID: "003SEAT", Name: "Seats", Email: "seats@initech.example", Fields: map[string]any{"seats": "many"}, Match: userMatch},
		{ExternalID: "003OK", Name: "Joanna", Email: "joanna@chotchkies.example", OrgExternalID: "001MISSING", Match: userMatch},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"failed", "failed", "failed", "created"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	for i, msg := range map[int]string{0: "Email: samir@initech.example is already being used by another user",
		1: "Phone: call me is not a valid phone number", 2: "Seats: many is not a valid value"} {
		if !strings.Contains(res[i].Error, msg) {
			t.Errorf("record %d error = %q, want Zendesk's %q", i, res[i].Error, msg)
		}
	}
	// Written without the organization Zendesk does not have yet, and
	// said so.
	if !strings.Contains(res[3].Error, "no organization with external id 001MISSING") {
		t.Errorf("note = %q", res[3].Error)
	}
	if u, _ := e.acct.User(res[3].ZendeskID); u.Name != "Joanna" || u.OrganizationID != 0 {
		t.Errorf("joanna = %+v", u)
	}
}

func TestUpsertUsersWithoutEmailMatching(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	e.acct.AddUser(zendesktest.User{Name: "Milton", Email: "milton@initech.example"})
	res, err := e.dir.UpsertUsers(context.Background(), e.tenant, []crossview.UserWrite{
		{ExternalID: "003MIL", Name: "Milton Waddams", Email: "milton@initech.example", Match: []string{"external_id"}},
		{ExternalID: "003NEW", Name: "Nina", Email: "nina@initech.example", Match: []string{"external_id"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Not matched by email: the taken email refuses the new user.
	if diff := cmp.Diff([]string{"failed", "created"}, statuses(res)); diff != "" || !strings.Contains(res[0].Error, "already being used") {
		t.Errorf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if e.calls(epUsersCreateMany) != 1 || e.calls(epUsersUpsertMany) != 0 {
		t.Errorf("create_many %d, create_or_update_many %d calls", e.calls(epUsersCreateMany), e.calls(epUsersUpsertMany))
	}
}

func TestUpsertUsersNeedsBulkImports(t *testing.T) {
	e := newDirEmu(t, zendesktest.AccountSpec{})
	_, err := e.dir.UpsertUsers(context.Background(), e.tenant, []crossview.UserWrite{{ExternalID: "003A", Name: "A", Email: "a@x.example"}})
	if crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "Bulk user imports are not enabled") {
		t.Errorf("err = %v", err)
	}
}
