// Package sandbox is the emulated world `crossview sandbox` runs in: a
// Zendesk account and two Salesforce orgs, seeded with realistic, awkward
// data, served by the same emulators the tests use. It also answers /demo's
// questions (web.Demo).
package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/web"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// Subdomain is the main emulated Zendesk account's subdomain (the support
// desk, with the sidebar); BillingSubdomain is a second account (the
// billing desk) whose tickets also show on Salesforce pages.
const (
	Subdomain        = "northwind"
	BillingSubdomain = "northwind-billing"
)

// Options configure the world.
type Options struct {
	// ClientID and ClientSecret are the emulated connected app's, which
	// Crossview is configured with.
	ClientID, ClientSecret string
	Logger                 *slog.Logger
	// Now is both emulators' clock; nil means time.Now.
	Now func() time.Time
}

// World is the running emulators and what was seeded into them.
type World struct {
	Cloud   *salesforcetest.Cloud
	Zendesk *zendesktest.Server
	// Account is the support desk; Accounts lists every Zendesk account.
	Account  *zendesktest.Account
	Accounts []*AccountSeed
	OrgSeeds []*OrgSeed
	// Agent is the admin whose API token (APIToken) Crossview uses and to
	// whom the support desk's tickets are assigned; DeskAgent is the agent
	// the demo's sidebar signs in as, restricted to the Support group's
	// tickets, as many agents are.
	Agent       zendesktest.User
	DeskAgent   zendesktest.User
	APIToken    string
	TicketSeeds []TicketSeed
	// Links say which org is connected to which account with what on.
	Links []Link
	// ClientSecret is the connected app's secret, which signs Canvas
	// requests.
	ClientSecret string
	// Labs is an unconnected account and orgs for the admin pages.
	Labs *Labs

	mu      sync.Mutex
	failing map[string]bool // by org key, or "zendesk:" + subdomain
	cases   caseFinder
}

// OrgSeed is one seeded org and the admin whose grant Crossview holds.
type OrgSeed struct {
	Key         string // short name used by /demo, "a" or "b"
	Name        string
	Environment crossview.Environment
	Org         *salesforcetest.Org
	Admin       salesforcetest.User
	// Rep is a sales rep who sees only some records (org "a" only).
	Rep *salesforcetest.User
	// Records are the records /demo offers to open, in order.
	Records []RecordSeed
}

// RecordSeed is a record /demo can open on a Salesforce page.
type RecordSeed struct {
	ID, Object, Name, Note string
}

// TicketSeed is a seeded ticket with a note on what it shows.
type TicketSeed struct {
	Ticket    zendesktest.Ticket
	Requester zendesktest.User
	Notes     string
}

// Start runs the emulators on loopback and seeds them.
func Start(o Options) (*World, error) {
	cloud, err := salesforcetest.New(salesforcetest.Options{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return nil, fmt.Errorf("sandbox: starting emulated Salesforce: %w", err)
	}
	zd, err := zendesktest.New(zendesktest.Options{Logger: o.Logger, Now: o.Now, OAuthClients: map[string]string{o.ClientID: o.ClientSecret}})
	if err != nil {
		_ = cloud.Close()
		return nil, fmt.Errorf("sandbox: starting emulated Zendesk: %w", err)
	}
	w := &World{Cloud: cloud, Zendesk: zd, ClientSecret: o.ClientSecret, failing: map[string]bool{}}
	if err := w.seed(); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close stops the emulators.
func (w *World) Close() {
	_ = w.Zendesk.Close()
	_ = w.Cloud.Close()
}

// AccountSeed is one emulated Zendesk account and Crossview's credentials
// for it.
type AccountSeed struct {
	Account       *zendesktest.Account
	Agent         zendesktest.User
	APIToken      string
	WebhookSecret string
}

// Tenant is the Crossview tenant for the account.
func (a *AccountSeed) Tenant() crossview.Tenant {
	return crossview.Tenant{
		Subdomain: a.Account.Subdomain(), AppID: a.Account.AppID(), InstallationID: a.Account.InstallationID(),
		APIEmail: a.Agent.Email, APIToken: a.APIToken, WebhookSecret: a.WebhookSecret,
	}
}

// Link connects an org to a Zendesk account with some features on.
type Link struct {
	OrgKey    string
	Subdomain string
	Features  []crossview.Feature
}

// Tenant is the Crossview tenant for the support desk.
func (w *World) Tenant() crossview.Tenant { return w.Accounts[0].Tenant() }

// Org returns the seeded org with a key.
func (w *World) Org(key string) *OrgSeed {
	for _, o := range w.OrgSeeds {
		if o.Key == key {
			return o
		}
	}
	return nil
}

// AccountSeed returns the seeded Zendesk account with a subdomain.
func (w *World) AccountSeed(sub string) *AccountSeed {
	for _, a := range w.Accounts {
		if a.Account.Subdomain() == sub {
			return a
		}
	}
	return nil
}

// HookUp points every account's webhook at Crossview, as an admin would in
// Zendesk: ticket events are signed with the account's secret.
func (w *World) HookUp(crossviewURL string) {
	for _, a := range w.Accounts {
		a.Account.AddWebhook(zendesktest.Webhook{
			Endpoint: crossviewURL + "/zendesk/webhook/" + a.Account.Subdomain(),
			Secret:   a.WebhookSecret,
		})
	}
}

// Tickets lists the seeded tickets for /demo.
func (w *World) Tickets() []web.DemoTicket {
	out := make([]web.DemoTicket, 0, len(w.TicketSeeds))
	for _, t := range w.TicketSeeds {
		cur, ok := w.Account.Ticket(t.Ticket.ID)
		if !ok {
			cur = t.Ticket // deleted: show it as seeded
		}
		d := web.DemoTicket{Tenant: w.Account.Subdomain(),
			ID: cur.ID, Subject: cur.Subject, Description: t.Ticket.Description, Status: cur.Status,
			RequesterName: t.Requester.Name, RequesterEmail: t.Requester.Email, Notes: t.Notes,
			Requester: w.requesterInZendesk(t.Requester.ID),
		}
		for i, c := range w.Account.Comments(cur.ID) {
			if i == 0 {
				continue // the description
			}
			author, _ := w.Account.User(c.AuthorID)
			d.Comments = append(d.Comments, web.DemoComment{Author: author.Name, Body: c.Body, Public: c.Public})
		}
		out = append(out, d)
	}
	return out
}

// SidebarToken signs a sidebar JWT with the emulated app key, as Zendesk
// does when it loads a signed-URL location.
func (w *World) SidebarToken(context.Context) (string, error) {
	return w.Account.SignAppToken(zendesktest.AppClaims{UserID: w.DeskAgent.ID})
}

// Orgs lists the orgs with their failure switch.
func (w *World) Orgs() []web.DemoOrg {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]web.DemoOrg, 0, len(w.OrgSeeds))
	for _, o := range w.OrgSeeds {
		out = append(out, web.DemoOrg{Key: o.Key, Name: o.Name, Failing: w.failing[o.Key], RecordPage: o.Key == recordPageOrg})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// SetOrgFailing makes an org answer 503 to every API call, or recover.
func (w *World) SetOrgFailing(key string, failing bool) error {
	for _, o := range w.OrgSeeds {
		if o.Key == key {
			status := 0
			if failing {
				status = http.StatusServiceUnavailable
			}
			o.Org.SetFailure(status)
			w.mu.Lock()
			w.failing[key] = failing
			w.mu.Unlock()
			return nil
		}
	}
	return crossview.Errorf(crossview.ENOTFOUND, "No emulated org %q.", key)
}

// ZendeskAccounts lists the Zendesk accounts whose tickets the record
// page's panel reads, with their failure switch.
func (w *World) ZendeskAccounts() []web.DemoOrg {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []web.DemoOrg
	for _, l := range w.Links {
		if l.OrgKey == recordPageOrg && slices.Contains(l.Features, crossview.FeatureTicketView) {
			out = append(out, web.DemoOrg{Key: l.Subdomain, Name: l.Subdomain, Failing: w.failing["zendesk:"+l.Subdomain]})
		}
	}
	return out
}

// SetAccountFailing makes a Zendesk account answer 503 to every request,
// or recover.
func (w *World) SetAccountFailing(subdomain string, failing bool) error {
	a := w.AccountSeed(subdomain)
	if a == nil {
		return crossview.Errorf(crossview.ENOTFOUND, "No emulated Zendesk account %q.", subdomain)
	}
	status := 0
	if failing {
		status = http.StatusServiceUnavailable
	}
	a.Account.SetFailure(status)
	w.mu.Lock()
	w.failing["zendesk:"+subdomain] = failing
	w.mu.Unlock()
	return nil
}

var _ web.Demo = (*World)(nil)
