package admin_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sandbox"
)

// connected signs in to the labs account and connects its production org.
func connected(t *testing.T, e *env) (admin.Session, crossview.Connection) {
	t.Helper()
	sess, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	return sess, c
}

func withFields(set crossview.SidebarSettings, obj string, fields ...string) crossview.SidebarSettings {
	set.Fields = maps(set.Fields)
	set.Fields[obj] = fields
	return set
}

func maps(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

// A misspelt sidebar field is refused when saved, naming the field and its
// object, and nothing is saved or logged as a change.
func TestSidebarFieldsCheckedAgainstTheOrgWhenSaved(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess, c := connected(t, e)
	if err := e.w.Labs.Production.DefineField("Contact", "Notes__c", "textarea"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		set  crossview.SidebarSettings
		want []string
	}{
		{"unknown field", withFields(c.Sidebar, crossview.ObjectAccount, "Industry", "Bogus__c"), []string{"Account has no field Bogus__c"}},
		{"misspelling", withFields(c.Sidebar, crossview.ObjectAccount, "Industy"), []string{"Account has no field Industy", "did you mean Industry?"}},
		{"unknown relationship", withFields(c.Sidebar, crossview.ObjectContact, "Ownr.Name"), []string{"Contact has no relationship Ownr"}},
		{"unknown parent field", withFields(c.Sidebar, crossview.ObjectContact, "Account.Bogus__c"), []string{"Account has no field Bogus__c (in Contact.Account.Bogus__c)"}},
		{"unknown match field", func() crossview.SidebarSettings { s := c.Sidebar; s.LeadMatchField = "Emial"; return s }(), []string{"Lead has no field Emial (the Lead match field) — did you mean Email?"}},
		{"unfilterable match field", func() crossview.SidebarSettings { s := c.Sidebar; s.ContactMatchField = "Notes__c"; return s }(), []string{"Contact.Notes__c cannot be filtered on", "long text area"}},
		{"match field not text", func() crossview.SidebarSettings { s := c.Sidebar; s.ContactMatchField = "CreatedDate"; return s }(), []string{"Contact.CreatedDate is a date/time field"}},
	}
	for _, tc := range cases {
		_, err := e.svc.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), c.ID, tc.set)
		if crossview.ErrorCode(err) != crossview.EINVALID {
			t.Errorf("%s: saved (%v)", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(crossview.ErrorMessage(err), w) {
				t.Errorf("%s: %q does not say %q", tc.name, crossview.ErrorMessage(err), w)
			}
		}
	}
	stored, _ := e.store.Connection(ctx, c.ID)
	if !slices.Equal(stored.Sidebar.Fields[crossview.ObjectAccount], c.Sidebar.Fields[crossview.ObjectAccount]) || stored.Sidebar.ContactMatchField != "Email" {
		t.Fatalf("a refused save changed the settings: %+v", stored.Sidebar)
	}
	log, _ := e.svc.Audit(ctx, sess, 50)
	for _, a := range log {
		if a.Action == "settings.sidebar" {
			t.Fatalf("a refused save was logged as a change: %+v", a)
		}
	}

	// Fields the org has are saved; describes are reused for a minute, so
	// a run of saves costs one API call.
	calls := e.w.Labs.Production.Stats().APICalls
	for _, fields := range [][]string{{"Title", "Account.Industry"}, {"Phone", "Notes__c"}} {
		if _, err := e.svc.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), c.ID, withFields(c.Sidebar, crossview.ObjectContact, fields...)); err != nil {
			t.Fatalf("saving %v: %v", fields, err)
		}
	}
	if n := e.w.Labs.Production.Stats().APICalls - calls; n != 0 {
		t.Errorf("two saves after the refusals cost %d API calls, want 0 (describes cached)", n)
	}
	// A field added in Setup a moment ago is not refused by a cached
	// describe.
	if err := e.w.Labs.Production.DefineField("Contact", "Just_Added__c", "string"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), c.ID, withFields(c.Sidebar, crossview.ObjectContact, "Just_Added__c")); err != nil {
		t.Fatalf("a field added in Setup just now: %v", err)
	}
}

// A field deleted in Salesforce after it was saved becomes a named health
// problem, and saving corrected settings clears it.
func TestDeletedSidebarFieldIsAHealthProblem(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess, c := connected(t, e)
	org := e.w.Labs.Production
	if err := org.DefineField("Contact", "Shoe_Size__c", "int"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetFeature(ctx, sess.Subdomain, sess.Actor(), c.ID, crossview.FeatureSidebar, true); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), c.ID, withFields(c.Sidebar, crossview.ObjectContact, "Title", "Shoe_Size__c"))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ = e.svc.CheckNow(ctx, sess, c.ID); !c.Health.OK() {
		t.Fatalf("before the delete: %+v", c.Health)
	}
	if err := org.DeleteField("Contact", "Shoe_Size__c"); err != nil {
		t.Fatal(err)
	}
	c, _ = e.svc.CheckNow(ctx, sess, c.ID)
	if len(c.Health.Problems) != 1 || c.Health.Problems[0].Code != admin.ProblemSidebarFields ||
		!strings.Contains(c.Health.Problems[0].Message, "Contact has no field Shoe_Size__c") {
		t.Fatalf("after the field was deleted: %+v", c.Health)
	}
	if word, _ := admin.Standing(c); word == admin.StandingHealthy {
		t.Fatal("a connection whose sidebar field is gone reads as healthy")
	}
	c, err = e.svc.UpdateSidebar(ctx, sess.Subdomain, sess.Actor(), c.ID, withFields(c.Sidebar, crossview.ObjectContact, "Title"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Health.OK() {
		t.Fatalf("after correcting the settings: %+v", c.Health)
	}
}
