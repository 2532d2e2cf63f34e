package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
)

// runAdmin runs an operator command against the configured store.
func runAdmin(ctx context.Context, cfg config.Config, args []string, stdout io.Writer, logger *slog.Logger) error {
	if len(args) < 2 {
		return usageError{"admin needs a subject and a verb, e.g. admin account list"}
	}
	a, err := newApp(cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	cmd := args[0] + " " + args[1]
	fs := flag.NewFlagSet("crossview admin "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	adm := &adminCLI{app: a, out: stdout, fs: fs}
	var run func(context.Context) error
	switch cmd {
	case "account add":
		run = adm.accountAdd()
	case "account list":
		run = adm.accountList()
	case "connection add":
		run = adm.connectionAdd()
	case "connection list":
		run = adm.connectionList()
	case "connection rename":
		run = adm.connectionRename()
	case "connection enable":
		run = adm.connectionFeature(true)
	case "connection disable":
		run = adm.connectionFeature(false)
	case "connection disconnect":
		run = adm.connectionDisconnect()
	case "connection sidebar":
		run = adm.connectionSidebar()
	case "connection ticketview":
		run = adm.connectionTicketView()
	default:
		return usageError{fmt.Sprintf("unknown admin command %q", cmd)}
	}
	if err := fs.Parse(args[2:]); err != nil { //nolint:gosec // len(args) >= 2 was checked above
		return usageError{fmt.Sprintf("admin %s: %v", cmd, err)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("admin %s: unexpected argument %q", cmd, fs.Arg(0))}
	}
	return run(ctx)
}

type adminCLI struct {
	app *app
	out io.Writer
	fs  *flag.FlagSet
}

// required checks that each named flag was given a value.
func (a *adminCLI) required(names ...string) error {
	var missing []string
	for _, n := range names {
		if f := a.fs.Lookup(n); f == nil || f.Value.String() == "" || f.Value.String() == "0" {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) > 0 {
		return usageError{"missing " + strings.Join(missing, ", ")}
	}
	return nil
}

func (a *adminCLI) accountAdd() func(context.Context) error {
	sub := a.fs.String("subdomain", "", "Zendesk subdomain")
	appID := a.fs.Int64("app-id", 0, "ZAF app id")
	inst := a.fs.Int64("installation-id", 0, "ZAF installation id (optional)")
	email := a.fs.String("api-email", "", "email of the agent or admin the API token acts as")
	token := a.fs.String("api-token", "", "Zendesk API token")
	hookSecret := a.fs.String("webhook-secret", "", "signing secret of the Zendesk webhook that posts to /zendesk/webhook/<subdomain> (optional)")
	return func(ctx context.Context) error {
		if err := a.required("subdomain", "app-id", "api-email", "api-token"); err != nil {
			return err
		}
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
	sub := a.fs.String("subdomain", "", "Zendesk subdomain of the tenant")
	envName := a.fs.String("environment", "", "production or sandbox")
	refresh := a.fs.String("refresh-token", "", "a Salesforce OAuth refresh token")
	name := a.fs.String("name", "", "display name (default: the org's name)")
	return func(ctx context.Context) error {
		if err := a.required("subdomain", "environment", "refresh-token"); err != nil {
			return err
		}
		env, err := crossview.ParseEnvironment(*envName)
		if err != nil {
			return err
		}
		if _, err := a.app.store.Tenant(ctx, *sub); err != nil {
			return fmt.Errorf("tenant %q: %w (add it with admin account add)", *sub, err)
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
	sub := a.fs.String("subdomain", "", "only this tenant")
	asJSON := a.fs.Bool("json", false, "print JSON")
	return func(ctx context.Context) error {
		var tenants []string
		if *sub != "" {
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
	id := a.fs.String("id", "", "connection id")
	name := a.fs.String("name", "", "new name")
	return func(ctx context.Context) error {
		if err := a.required("id", "name"); err != nil {
			return err
		}
		c, err := a.app.store.Connection(ctx, *id)
		if err != nil {
			return err
		}
		_, err = a.app.admin.Rename(ctx, c.Tenant, cliActor, c.ID, *name)
		return a.done(c.ID, err)
	}
}

func (a *adminCLI) connectionFeature(on bool) func(context.Context) error {
	id := a.fs.String("id", "", "connection id")
	feature := a.fs.String("feature", "", "sidebar, ticket_view, account_sync, contact_sync or ticket_sync")
	return func(ctx context.Context) error {
		if err := a.required("id", "feature"); err != nil {
			return err
		}
		f, err := crossview.ParseFeature(*feature)
		if err != nil {
			return err
		}
		c, err := a.app.store.Connection(ctx, *id)
		if err != nil {
			return err
		}
		_, err = a.app.admin.SetFeature(ctx, c.Tenant, cliActor, c.ID, f, on)
		return a.done(c.ID, err)
	}
}

// connectionSidebar changes what the Zendesk sidebar shows for one org.
func (a *adminCLI) connectionSidebar() func(context.Context) error {
	id := a.fs.String("id", "", "connection id")
	order := a.fs.Int("order", -1, "position among the tenant's orgs (ascending)")
	contactMatch := a.fs.String("contact-match", "", "Contact field compared with the requester's email")
	leadMatch := a.fs.String("lead-match", "", "Lead field compared with the requester's email")
	maxOpps := a.fs.Int("max-opportunities", -1, "open opportunities shown per account")
	maxCases := a.fs.Int("max-cases", -1, "recent cases shown per account")
	fields := map[string][]string{}
	a.fs.Func("fields", "Object=Field1,Field2 (repeatable; Object one of Contact, Lead, Account, Opportunity, Case)", func(v string) error {
		obj, list, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("--fields wants Object=Field1,Field2, not %q", v)
		}
		fields[obj] = strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' })
		return nil
	})
	return func(ctx context.Context) error {
		if err := a.required("id"); err != nil {
			return err
		}
		c, err := a.app.store.Connection(ctx, *id)
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
	id := a.fs.String("id", "", "connection id")
	match := a.fs.String("account-match", "", "external_id (organization external id = Account Id, then name) or name")
	emails := a.fs.String("contact-emails", "", "true or false: also list tickets requested by an Account's contacts")
	return func(ctx context.Context) error {
		if err := a.required("id"); err != nil {
			return err
		}
		c, err := a.app.store.Connection(ctx, *id)
		if err != nil {
			return err
		}
		set := c.TicketView
		switch crossview.AccountMatch(*match) {
		case "":
		case crossview.MatchExternalID, crossview.MatchName:
			set.AccountMatch = crossview.AccountMatch(*match)
		default:
			return crossview.Errorf(crossview.EINVALID, "--account-match must be external_id or name, not %q", *match)
		}
		switch *emails {
		case "":
		case "true", "false":
			set.IncludeContactEmails = *emails == "true"
		default:
			return crossview.Errorf(crossview.EINVALID, "--contact-emails must be true or false")
		}
		_, err = a.app.admin.UpdateTicketView(ctx, c.Tenant, cliActor, c.ID, set)
		return a.done(c.ID, err)
	}
}

func (a *adminCLI) connectionDisconnect() func(context.Context) error {
	id := a.fs.String("id", "", "connection id")
	return func(ctx context.Context) error {
		if err := a.required("id"); err != nil {
			return err
		}
		c, err := a.app.store.Connection(ctx, *id)
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
