package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
)

// adminCommands is the operator CLI, one entry per subcommand. Each
// builder defines the subcommand's flags, from which its help is made, and
// returns what runs once the store is open.
func adminCommands() []command {
	return []command{
		{name: "account", summary: "the Zendesk accounts Crossview serves", subs: []command{
			adminCommand("add", "add a Zendesk account, or update the one with this subdomain", (*adminCLI).accountAdd),
			adminCommand("list", "list the Zendesk accounts (no secrets shown)", (*adminCLI).accountList),
		}},
		{name: "connection", summary: "the Salesforce orgs connected to each account", subs: []command{
			adminCommand("add", "connect a Salesforce org with a refresh token; prints the new connection's id", (*adminCLI).connectionAdd),
			adminCommand("list", "list connections with their status and the features on", (*adminCLI).connectionList),
			adminCommand("rename", "rename a connection", (*adminCLI).connectionRename),
			adminCommand("enable", "turn a feature on for a connection", func(a *adminCLI) func(context.Context) error { return a.connectionFeature(true) }),
			adminCommand("disable", "turn a feature off for a connection", func(a *adminCLI) func(context.Context) error { return a.connectionFeature(false) }),
			adminCommand("disconnect", "revoke the connection's token at Salesforce and stop every feature; settings are kept", (*adminCLI).connectionDisconnect),
			adminCommand("sidebar", "change what the Zendesk sidebar shows from a connection's org", (*adminCLI).connectionSidebar),
			adminCommand("ticketview", "change how Salesforce records find Zendesk tickets through a connection", (*adminCLI).connectionTicketView),
			adminCommand("ticketsync", "change how a connection's Zendesk tickets become Cases: comments, matching, mappings, trigger conditions", (*adminCLI).connectionTicketSync),
			adminCommand("datasync", "change how Salesforce Accounts, Contacts and Leads become Zendesk organizations and users: objects, mappings, filters, matching, deletes, polling", (*adminCLI).connectionDataSync),
		}},
		{name: "sync", summary: "ticket and data sync: status, refused records, replay, backfill", subs: syncCommands()},
	}
}

// adminCommand is a leaf of the operator CLI: build defines its flags on
// a.fs and returns its body, which runs with a.app open on the configured
// store.
func adminCommand(name, summary string, build func(a *adminCLI) func(context.Context) error) command {
	return command{name: name, summary: summary, bind: func(fs *flagSet, env invocation) func(context.Context) error {
		a := &adminCLI{out: env.stdout, fs: fs}
		body := build(a)
		return func(ctx context.Context) error {
			cfg, err := config.Load(env.getenv, config.ModeAdmin)
			if err != nil {
				return err
			}
			if a.app, err = newApp(cfg, newLogger(env.stderr, "warn")); err != nil {
				return err
			}
			defer a.app.close()
			return body(ctx)
		}
	}}
}

type adminCLI struct {
	app *app // opened after the flags are parsed
	out io.Writer
	fs  *flagSet
}

// connection reads a connection by id, saying plainly when there is none.
func (a *adminCLI) connection(ctx context.Context, id string) (crossview.Connection, error) {
	c, err := a.app.store.Connection(ctx, id)
	if errors.Is(err, crossview.ErrNotFound) {
		return c, fmt.Errorf("no connection %s", id)
	}
	return c, err
}

// knownTenant checks that a Zendesk account exists, saying plainly when
// it does not.
func (a *adminCLI) knownTenant(ctx context.Context, subdomain string) error {
	_, err := a.app.store.Tenant(ctx, subdomain)
	if errors.Is(err, crossview.ErrNotFound) {
		return fmt.Errorf("no Zendesk account %s (add it with crossview admin account add)", subdomain)
	}
	return err
}

func (a *adminCLI) accountAdd() func(context.Context) error {
	sub := a.fs.subdomainFlag("the account's subdomain: acme for acme.zendesk.com")
	appID := a.fs.positiveFlag("app-id", "the id of the Crossview app installed in Zendesk")
	inst := a.fs.positiveFlag("installation-id", "the app's installation id; when set, the only accepted JWT audience")
	email := a.fs.emailFlag("api-email", "email of the agent or admin the API token acts as")
	token := a.fs.String("api-token", "", "a Zendesk API `token`")
	hookSecret := a.fs.String("webhook-secret", "", "signing `secret` of the Zendesk webhook that posts to /zendesk/webhook/<subdomain>")
	a.fs.require("subdomain", "app-id", "api-email", "api-token")
	return func(ctx context.Context) error {
		now := a.app.now()
		t, err := a.app.store.Tenant(ctx, *sub)
		if err != nil && !errors.Is(err, crossview.ErrNotFound) {
			return err
		}
		if err != nil {
			t = crossview.Tenant{Subdomain: *sub, CreatedAt: now}
		}
		t.AppID, t.InstallationID, t.APIEmail, t.APIToken, t.UpdatedAt = *appID, *inst, *email, *token, now
		if *hookSecret != "" {
			t.WebhookSecret = *hookSecret
		}
		if err := a.app.store.PutTenant(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "account %s saved\n", t.Subdomain)
		return nil
	}
}

type accountJSON struct {
	Subdomain      string    `json:"subdomain"`
	AppID          int64     `json:"app_id"`
	InstallationID int64     `json:"installation_id,omitempty"`
	APIEmail       string    `json:"api_email,omitempty"`
	Credential     string    `json:"credential"`
	CreatedAt      time.Time `json:"created_at"`
}

func (a *adminCLI) accountList() func(context.Context) error {
	asJSON := a.fs.Bool("json", false, "print JSON")
	return func(ctx context.Context) error {
		ts, err := a.app.store.Tenants(ctx)
		if err != nil {
			return err
		}
		rows := make([]accountJSON, 0, len(ts))
		for _, t := range ts {
			cred := "none"
			switch {
			case t.OAuthToken != "":
				cred = "oauth"
			case t.APIToken != "":
				cred = "api_token"
			}
			rows = append(rows, accountJSON{t.Subdomain, t.AppID, t.InstallationID, t.APIEmail, cred, t.CreatedAt})
		}
		if *asJSON {
			return writeJSON(a.out, rows)
		}
		tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SUBDOMAIN\tAPP ID\tAPI EMAIL\tCREDENTIAL")
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", r.Subdomain, r.AppID, r.APIEmail, r.Credential)
		}
		return tw.Flush()
	}
}

func (a *adminCLI) connectionAdd() func(context.Context) error {
	sub := a.fs.subdomainFlag("the Zendesk account to connect the org to")
	envName := a.fs.choiceFlag("environment", "the kind of org", string(crossview.Production), string(crossview.Sandbox))
	refresh := a.fs.String("refresh-token", "", "a Salesforce OAuth refresh `token` of an admin user")
	name := a.fs.String("name", "", "display `name` (default: the org's name)")
	a.fs.require("subdomain", "environment", "refresh-token")
	return func(ctx context.Context) error {
		env, err := crossview.ParseEnvironment(*envName)
		if err != nil {
			return err
		}
		if err := a.knownTenant(ctx, *sub); err != nil {
			return err
		}
		conn, err := a.app.admin.ConnectWithRefreshToken(ctx, cliActor, *sub, env, *refresh)
		if err != nil {
			return err
		}
		if *name != "" {
			if conn, err = a.app.admin.Rename(ctx, conn.Tenant, cliActor, conn.ID, *name); err != nil {
				return err
			}
		}
		fmt.Fprintln(a.out, conn.ID)
		return nil
	}
}

type connectionJSON struct {
	ID          string          `json:"id"`
	Tenant      string          `json:"tenant"`
	Name        string          `json:"name"`
	Environment string          `json:"environment"`
	OrgID       string          `json:"org_id"`
	OrgName     string          `json:"org_name,omitempty"`
	InstanceURL string          `json:"instance_url"`
	Username    string          `json:"username,omitempty"`
	Status      string          `json:"status"`
	Health      string          `json:"health"`
	Problems    []string        `json:"problems,omitempty"`
	Features    map[string]bool `json:"features"`
	ConnectedBy string          `json:"connected_by,omitempty"`
	ConnectedAt time.Time       `json:"connected_at"`
}

func (a *adminCLI) connectionList() func(context.Context) error {
	sub := a.fs.subdomainFlag("only this Zendesk account's connections")
	asJSON := a.fs.Bool("json", false, "print JSON")
	return func(ctx context.Context) error {
		var tenants []string
		if *sub != "" {
			if err := a.knownTenant(ctx, *sub); err != nil {
				return err
			}
			tenants = []string{*sub}
		} else {
			ts, err := a.app.store.Tenants(ctx)
			if err != nil {
				return err
			}
			for _, t := range ts {
				tenants = append(tenants, t.Subdomain)
			}
		}
		rows := []connectionJSON{}
		for _, t := range tenants {
			cs, err := a.app.store.Connections(ctx, t)
			if err != nil {
				return err
			}
			for _, c := range cs {
				f := map[string]bool{}
				for _, name := range crossview.AllFeatures() {
					f[string(name)] = c.Active(name)
				}
				standing, _ := admin.Standing(c)
				var problems []string
				if c.Status == crossview.StatusActive {
					for _, p := range c.Health.Problems {
						problems = append(problems, p.Title)
					}
				}
				rows = append(rows, connectionJSON{c.ID, c.Tenant, c.Name, string(c.Environment), c.OrgID, c.OrgName,
					c.InstanceURL, c.Username, string(c.Status), standing, problems, f, c.ConnectedBy, c.ConnectedAt})
			}
		}
		if *asJSON {
			return writeJSON(a.out, rows)
		}
		tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tTENANT\tNAME\tENVIRONMENT\tORG ID\tSTATUS\tHEALTH\tFEATURES ON")
		for _, r := range rows {
			var on []string
			for _, name := range crossview.AllFeatures() {
				if r.Features[string(name)] {
					on = append(on, string(name))
				}
			}
			status, health := "Connected", r.Health
			if r.Status != string(crossview.StatusActive) {
				status, health = admin.StandingDisconnected, "-"
			} else if len(r.Problems) > 0 {
				health += ": " + strings.Join(r.Problems, "; ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Tenant, r.Name, r.Environment, r.OrgID, status, health, orNone(strings.Join(on, ",")))
		}
		return tw.Flush()
	}
}

func (a *adminCLI) connectionRename() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	name := a.fs.String("name", "", "the new name")
	a.fs.require("id", "name")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		_, err = a.app.admin.Rename(ctx, c.Tenant, cliActor, c.ID, *name)
		return a.done(c.ID, err)
	}
}

func (a *adminCLI) connectionFeature(on bool) func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	var names []string
	for _, f := range crossview.AllFeatures() {
		names = append(names, string(f))
	}
	feature := a.fs.choiceFlag("feature", "the feature", names...)
	a.fs.require("id", "feature")
	return func(ctx context.Context) error {
		f, err := crossview.ParseFeature(*feature)
		if err != nil {
			return err
		}
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		_, err = a.app.admin.SetFeature(ctx, c.Tenant, cliActor, c.ID, f, on)
		return a.done(c.ID, err)
	}
}

// connectionSidebar changes what the Zendesk sidebar shows for one org.
func (a *adminCLI) connectionSidebar() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	order := a.fs.Int("order", -1, "position among the account's orgs (ascending)")
	contactMatch := a.fs.String("contact-match", "", "Contact `field` compared with the requester's email")
	leadMatch := a.fs.String("lead-match", "", "Lead `field` compared with the requester's email")
	maxOpps := a.fs.Int("max-opportunities", -1, "open opportunities shown per account")
	maxCases := a.fs.Int("max-cases", -1, "recent cases shown per account")
	fields := map[string][]string{}
	a.fs.Func("fields", "the fields shown, as `Object=Field1,Field2` (Object: Contact, Lead, Account, Opportunity or Case); repeatable", func(v string) error {
		obj, list, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("--fields wants Object=Field1,Field2, not %q", v)
		}
		fields[obj] = strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' })
		return nil
	})
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		set, err := func() (crossview.SidebarSettings, error) {
			s := c.Sidebar
			if *order >= 0 {
				s.Order = *order
			}
			if *contactMatch != "" {
				s.ContactMatchField = *contactMatch
			}
			if *leadMatch != "" {
				s.LeadMatchField = *leadMatch
			}
			if *maxOpps >= 0 {
				s.MaxOpportunities = *maxOpps
			}
			if *maxCases >= 0 {
				s.MaxCases = *maxCases
			}
			if s.Fields == nil {
				s.Fields = map[string][]string{}
			}
			for obj, list := range fields {
				s.Fields[obj] = list
			}
			return s, s.Validate()
		}()
		if err != nil {
			return err
		}
		_, err = a.app.admin.UpdateSidebar(ctx, c.Tenant, cliActor, c.ID, set)
		return a.done(c.ID, err)
	}
}

// connectionTicketView changes how Salesforce records find Zendesk
// tickets through one connection.
func (a *adminCLI) connectionTicketView() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	match := a.fs.choiceFlag("account-match", "how an Account finds its Zendesk organization: by external id (the Account Id), then name; or by name only",
		string(crossview.MatchExternalID), string(crossview.MatchName))
	emails := a.fs.choiceFlag("contact-emails", "also list tickets requested by an Account's contacts", "true", "false")
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		set := c.TicketView
		if *match != "" {
			set.AccountMatch = crossview.AccountMatch(*match)
		}
		if *emails != "" {
			set.IncludeContactEmails = *emails == "true"
		}
		_, err = a.app.admin.UpdateTicketView(ctx, c.Tenant, cliActor, c.ID, set)
		return a.done(c.ID, err)
	}
}

func (a *adminCLI) connectionDisconnect() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		if _, err := a.app.admin.Disconnect(ctx, c.Tenant, cliActor, c.ID); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "connection %s disconnected\n", c.ID)
		return nil
	}
}

// cliActor names the operator CLI in the audit log.
const cliActor = "cli"

// done reports a finished change.
func (a *adminCLI) done(id string, err error) error {
	if err != nil {
		return err
	}
	fmt.Fprintf(a.out, "connection %s updated\n", id)
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
