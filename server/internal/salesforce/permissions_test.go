package salesforce_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/google/go-cmp/cmp"
)

func TestCheckPermissions(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	sysAdmin := f.org.AddUser(salesforcetest.User{Username: "sysadmin@acme.example", FirstName: "Ada", LastName: "Admin",
		ProfileName: "System Administrator",
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true,
			CustomizeApplication: true, ModifyMetadata: true}})
	rep := f.org.AddUser(salesforcetest.User{Username: "rep@acme.example", FirstName: "Rex", LastName: "Rep",
		Perms: salesforcetest.Permissions{APIEnabled: true, ViewSetup: true}})
	noAPI := f.org.AddUser(salesforcetest.User{Username: "noapi@acme.example", LastName: "Nope",
		Perms: salesforcetest.Permissions{ModifyAllData: true}})
	partner := f.org.AddUser(salesforcetest.User{Username: "partner@acme.example", LastName: "Pat",
		UserType: "PowerPartner", ProfileName: "Partner Community User",
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true}})

	for _, tc := range []struct {
		name        string
		user        salesforcetest.User
		want        salesforce.Permissions
		wantMissing []string
	}{
		{"system administrator lacks nothing", sysAdmin, salesforce.Permissions{
			APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true,
			UserType: "Standard", ProfileName: "System Administrator", Username: "sysadmin@acme.example",
			Name: "Ada Admin", Active: true,
		}, nil},
		{"a rep lacks Modify All Data", rep, salesforce.Permissions{
			APIEnabled: true, ViewSetup: true, UserType: "Standard", ProfileName: "Standard User",
			Username: "rep@acme.example", Name: "Rex Rep", Active: true,
		}, []string{"Modify All Data"}},
		{"a user without API access is told exactly that", noAPI, salesforce.Permissions{}, []string{"API Enabled"}},
		{"a partner user is not a Standard user", partner, salesforce.Permissions{
			APIEnabled: true, ModifyAllData: true, UserType: "PowerPartner", ProfileName: "Partner Community User",
			Username: "partner@acme.example", Name: "Pat", Active: true,
		}, []string{"a Standard user licence (this user's type is PowerPartner)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			access, _ := f.org.IssueTokens(tc.user.ID)
			before := f.org.Stats().Requests
			got, err := f.client.CheckPermissions(context.Background(), f.org.ID(), f.org.InstanceURL(), access, tc.user.ID)
			if err != nil {
				t.Fatalf("CheckPermissions: %v", err)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Permissions mismatch (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.wantMissing, got.Missing()); d != "" {
				t.Errorf("Missing mismatch (-want +got):\n%s", d)
			}
			if n := f.org.Stats().Requests - before; n != 1 {
				t.Errorf("CheckPermissions made %d requests, want one composite call", n)
			}
		})
	}
}

func TestCheckPermissionsFailures(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	access, _ := f.org.IssueTokens(f.admin.ID)
	ctx := context.Background()

	// An id that would break out of the SOQL string never reaches Salesforce.
	before := f.org.Stats().Requests
	if _, err := f.client.CheckPermissions(ctx, f.org.ID(), f.org.InstanceURL(), access, "005' OR Name != '"); err == nil {
		t.Fatal("CheckPermissions accepted a user id that is not one")
	}
	if n := f.org.Stats().Requests - before; n != 0 {
		t.Fatalf("a malformed user id cost %d requests", n)
	}

	// A user id from another org finds no user: an error, not an empty answer.
	if _, err := f.client.CheckPermissions(ctx, f.org.ID(), f.org.InstanceURL(), access, "005000000000999AAA"); err == nil {
		t.Fatal("CheckPermissions for an unknown user gave no error")
	}

	// An outage is an error, never a verdict about the user.
	f.org.SetFailure(http.StatusServiceUnavailable)
	_, err := f.client.CheckPermissions(ctx, f.org.ID(), f.org.InstanceURL(), access, f.admin.ID)
	if err == nil || salesforce.IsRevoked(err) {
		t.Fatalf("CheckPermissions during an outage = %v, want an outage error", err)
	}
	f.org.SetFailure(0)

	// A token that is no longer valid is an error too, and is never echoed.
	_, err = f.client.CheckPermissions(ctx, f.org.ID(), f.org.InstanceURL(), "00Dbogus!token", f.admin.ID)
	if !salesforce.IsSessionExpired(err) {
		t.Fatalf("CheckPermissions with a dead token = %v, want a session error", err)
	}
	if strings.Contains(err.Error(), "00Dbogus!token") {
		t.Fatalf("error quotes the token: %v", err)
	}
}

func TestPermissionsMissing(t *testing.T) {
	admin := salesforce.Permissions{APIEnabled: true, ModifyAllData: true, UserType: "Standard", Active: true}
	for _, tc := range []struct {
		name   string
		modify func(*salesforce.Permissions)
		want   []string
	}{
		{"admin", func(*salesforce.Permissions) {}, nil},
		{"no API access hides everything else", func(p *salesforce.Permissions) { *p = salesforce.Permissions{} }, []string{"API Enabled"}},
		{"no Modify All Data", func(p *salesforce.Permissions) { p.ModifyAllData = false }, []string{"Modify All Data"}},
		{"inactive", func(p *salesforce.Permissions) { p.Active = false }, []string{"an active user (this user is deactivated)"}},
		{"customer portal user", func(p *salesforce.Permissions) { p.UserType = "CspLitePortal" },
			[]string{"a Standard user licence (this user's type is CspLitePortal)"}},
		{"unknown type", func(p *salesforce.Permissions) { p.UserType = "" }, []string{"a Standard user licence"}},
		{"several at once, in a fixed order", func(p *salesforce.Permissions) {
			p.ModifyAllData, p.Active, p.UserType = false, false, "PowerPartner"
		}, []string{"Modify All Data", "an active user (this user is deactivated)", "a Standard user licence (this user's type is PowerPartner)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := admin
			tc.modify(&p)
			if d := cmp.Diff(tc.want, p.Missing()); d != "" {
				t.Errorf("Missing mismatch (-want +got):\n%s", d)
			}
		})
	}
}
