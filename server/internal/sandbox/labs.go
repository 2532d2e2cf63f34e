package sandbox

import (
	"fmt"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// LabsSubdomain is a Zendesk account with no connection yet, for trying
// the admin pages: sign in, connect its orgs, configure, disconnect.
const LabsSubdomain = "northwind-labs"

// Labs is what the admin pages can be tried with.
type Labs struct {
	Account *zendesktest.Account
	// Admin may sign in; Agent is refused (not an admin).
	Admin, Agent zendesktest.User
	// Production and Sandbox are unconnected orgs. Their users: an admin
	// who may connect, a standard user without Modify All Data who is
	// refused with that reason, and an API-only user who cannot sign in.
	Production, Sandbox *salesforcetest.Org
	OrgAdmin            salesforcetest.User
	SandboxAdmin        salesforcetest.User
	StandardUser        salesforcetest.User
	APIOnlyUser         salesforcetest.User
}

func (w *World) seedLabs() error {
	acct, err := w.Zendesk.AddAccount(zendesktest.AccountSpec{Subdomain: LabsSubdomain, BulkUserImports: true})
	if err != nil {
		return fmt.Errorf("sandbox: adding the labs Zendesk account: %w", err)
	}
	l := &Labs{Account: acct}
	l.Admin = acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@northwind-labs.example", Role: zendesktest.RoleAdmin})
	l.Agent = acct.AddUser(zendesktest.User{Name: "Andy Agent", Email: "andy@northwind-labs.example", Role: zendesktest.RoleAgent})
	adminPerms := salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true}
	if l.Production, err = w.Cloud.AddOrg(salesforcetest.OrgSpec{Name: "Northwind Labs", DailyAPILimit: 100_000}); err != nil {
		return err
	}
	if l.Sandbox, err = w.Cloud.AddOrg(salesforcetest.OrgSpec{Name: "Northwind Labs UAT", Sandbox: true, DailyAPILimit: 100_000}); err != nil {
		return err
	}
	l.OrgAdmin = l.Production.AddUser(salesforcetest.User{Username: "admin@labs.northwind.example", FirstName: "Lee", LastName: "Admin",
		ProfileName: "System Administrator", SeeAllData: true, Perms: adminPerms})
	l.StandardUser = l.Production.AddUser(salesforcetest.User{Username: "sam@labs.northwind.example", FirstName: "Sam", LastName: "Standard",
		ProfileName: "Standard User", Perms: salesforcetest.Permissions{APIEnabled: true}})
	l.APIOnlyUser = l.Production.AddUser(salesforcetest.User{Username: "integration@labs.northwind.example", FirstName: "Int", LastName: "Egration",
		ProfileName: "Salesforce API Only System Integrations", APIOnly: true, Perms: adminPerms})
	l.SandboxAdmin = l.Sandbox.AddUser(salesforcetest.User{Username: "admin@labs.northwind.example.uat", FirstName: "Lee", LastName: "Admin",
		ProfileName: "System Administrator", SeeAllData: true, Perms: adminPerms})
	w.Labs = l
	w.Accounts = append(w.Accounts, &AccountSeed{Account: acct, Agent: l.Admin, APIToken: acct.IssueAPIToken(), WebhookSecret: ""})
	return nil
}

// LabsTenant is the labs account as Crossview knows it before any admin
// signed in: no app id yet, no connection.
func (w *World) LabsTenant() crossview.Tenant { return w.AccountSeed(LabsSubdomain).Tenant() }
