package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

// flashes word the outcome of the last action; the URL carries only a key.
func flash(done string) string {
	switch done {
	case "connected":
		return "Connected. Every feature starts off: turn on what this org should do."
	case "rename":
		return "Renamed."
	case "features":
		return "Feature updated."
	case "sidebar":
		return "Sidebar settings saved."
	case "ticketview":
		return "Ticket view settings saved."
	case "check":
		return "Checked."
	case "ticketsync":
		return "Ticket sync settings saved."
	case "ticketsync/repair":
		return "Repaired: the Zendesk trigger and webhook are back as Crossview made them."
	case "ticketsync/replay":
		return "Queued again: the ticket syncs within seconds, or returns to the dead letters with Salesforce's message."
	case "ticketsync/backfill":
		return "Backfill started."
	case "datasync":
		return "Data sync settings saved."
	case "datasync/replay":
		return "Replayed: records Zendesk accepted left the list; any still refused show Zendesk's new message."
	case "disconnected":
		return "Disconnected. Access was revoked at Salesforce; settings are kept for a reconnect."
	case "account":
		return "Account settings saved."
	case "cancelled":
		return "Not connected. The access Salesforce granted was revoked."
	}
	return ""
}

func (s *server) shell(sess admin.Session, nav, done string) views.AdminShell {
	return views.AdminShell{
		Page:      views.Page{Title: "Crossview admin", AssetPrefix: "/assets", BodyClass: "ad"},
		Subdomain: sess.Subdomain, AdminName: orDash(sess.Name, sess.Email), CSRF: sess.CSRF, Nav: nav, Flash: flash(done),
	}
}

func adminSignInView(subdomain, errMsg string) views.AdminSignIn {
	return views.AdminSignIn{Page: views.Page{Title: "Sign in · Crossview", AssetPrefix: "/assets", BodyClass: "ad"}, Subdomain: subdomain, Error: errMsg}
}

func featureViews(c crossview.Connection) []views.AdminFeature {
	labels := map[crossview.Feature]string{
		crossview.FeatureSidebar: "Zendesk sidebar", crossview.FeatureTicketView: "Ticket view in Salesforce",
		crossview.FeatureAccountSync: "Account sync", crossview.FeatureContactSync: "Contact sync", crossview.FeatureTicketSync: "Ticket sync",
	}
	var out []views.AdminFeature
	for _, f := range crossview.AllFeatures() {
		out = append(out, views.AdminFeature{Key: string(f), Label: labels[f], On: c.Active(f)})
	}
	return out
}

func envLabel(e crossview.Environment) string {
	if e == crossview.Sandbox {
		return "Sandbox"
	}
	return "Production"
}

// healthView summarises a connection's health in a word and a class.
func healthView(c crossview.Connection) (word, class, title string) {
	word, p := admin.Standing(c)
	if p != nil {
		title = p.Title
	}
	switch word {
	case admin.StandingDisconnected:
		class = "ad-health--off"
	case admin.StandingBlocked:
		class = "ad-health--bad"
	case admin.StandingWarning:
		class = "ad-health--warn"
	case admin.StandingHealthy:
		class = "ad-health--ok"
	}
	return word, class, title
}

// statusWord says whether Crossview holds a usable grant for the org.
func statusWord(c crossview.Connection) string {
	if c.Status == crossview.StatusActive {
		return "Connected"
	}
	return "Disconnected"
}

func connRowView(c crossview.Connection, now time.Time) views.AdminConnRow {
	word, class, title := healthView(c)
	row := views.AdminConnRow{
		ID: c.ID, Name: c.Name, Environment: envLabel(c.Environment), OrgName: c.OrgName, OrgID: c.OrgID, InstanceURL: c.InstanceURL,
		ConnectedBy: orDash(c.ConnectedBy, "—"), ConnectedAt: ago(now.Sub(c.ConnectedAt)), Status: statusWord(c),
		Disconnected: c.Status != crossview.StatusActive,
		Health:       word, HealthClass: class, HealthTitle: title, Features: featureViews(c), URL: "/admin/connections/" + url.PathEscape(c.ID),
	}
	if row.Disconnected {
		// Not checked while disconnected: the standing is the status.
		row.Health, row.HealthClass = "Not checked", "ad-health--off"
		row.HealthTitle = "Reconnect the org to check it again."
	}
	return row
}

// reconnectFlash says truthfully what a reconnect restored: the features
// that came back on with the settings, and the syncs that stay off until
// an admin turns them on again (the official integration's rule).
func reconnectFlash(c crossview.Connection) string {
	var on, off []string
	for _, f := range featureViews(c) {
		switch {
		case f.On:
			on = append(on, f.Label)
		case f.Key == string(crossview.FeatureAccountSync) || f.Key == string(crossview.FeatureContactSync) || f.Key == string(crossview.FeatureTicketSync):
			off = append(off, f.Label)
		}
	}
	msg := "Reconnected, with this org's settings restored. "
	if len(on) == 0 {
		msg += "No feature came back on."
	} else {
		msg += "Back on: " + strings.Join(on, ", ") + "."
	}
	if len(off) > 0 {
		msg += " Left off until you turn them on again: " + strings.Join(off, ", ") + "."
	}
	return msg
}

func detailView(shell views.AdminShell, d admin.Details, now time.Time) views.AdminConnectionDetail {
	c := d.Connection
	v := views.AdminConnectionDetail{
		AdminShell: shell, ID: c.ID, Name: c.Name, Environment: envLabel(c.Environment), Status: statusWord(c),
		OrgID: c.OrgID, OrgName: c.OrgName, InstanceURL: c.InstanceURL, APIVersion: d.APIVersion,
		ConnectedUser: orDash(c.Username, c.UserID), ConnectedBy: orDash(c.ConnectedBy, "—"), ConnectedAt: c.ConnectedAt.UTC().Format("2006-01-02 15:04 UTC"),
		Scopes: d.Scopes, Active: c.Status == crossview.StatusActive, Features: featureViews(c),
		AccountMatch: string(c.TicketView.AccountMatch), IncludeContactEmails: c.TicketView.IncludeContactEmails,
		APIUsage: "not reported yet", LastOK: "none seen by this server yet", CheckedAt: "never",
	}
	if d.HasUse {
		v.APIUsage = fmt.Sprintf("%d of %d calls (%d left), reported %s", d.Usage.Used, d.Usage.Limit, d.Usage.Remaining(), ago(now.Sub(d.UsageAt)))
	}
	if !d.Activity.LastOK.IsZero() {
		v.LastOK = ago(now.Sub(d.Activity.LastOK))
	}
	if !c.Health.CheckedAt.IsZero() {
		v.CheckedAt = ago(now.Sub(c.Health.CheckedAt))
	}
	v.Standing, _ = admin.Standing(c)
	v.CanReconnect = !v.Active || c.Health.Blocking() != nil
	for _, p := range c.Health.Problems {
		if !v.Active {
			break // what the last check found before the disconnect no longer applies
		}
		v.Problems = append(v.Problems, views.AdminProblem{Title: p.Title, Message: p.Message, Fix: p.Fix, Blocking: p.Blocking})
	}
	for _, f := range d.Activity.Failures {
		v.Failures = append(v.Failures, views.AdminFailure{At: ago(now.Sub(f.At)), Status: f.Status, Code: f.Code, Message: f.Message})
	}
	sb := c.Sidebar
	v.Sidebar = views.AdminSidebarForm{ContactMatch: sb.ContactMatchField, LeadMatch: sb.LeadMatchField, Order: sb.Order,
		MaxOpportunities: sb.MaxOpportunities, MaxCases: sb.MaxCases}
	for _, obj := range []string{crossview.ObjectContact, crossview.ObjectLead, crossview.ObjectAccount, crossview.ObjectOpportunity, crossview.ObjectCase} {
		v.Sidebar.Fields = append(v.Sidebar.Fields, views.AdminObjectFields{Object: obj, Fields: strings.Join(sb.Fields[obj], ", ")})
	}
	return v
}

// sidebarSettingsFromForm reads the sidebar settings form.
func sidebarSettingsFromForm(f url.Values) (crossview.SidebarSettings, error) {
	num := func(name string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
		if err != nil {
			return 0, crossview.Errorf(crossview.EINVALID, "%s must be a number.", name)
		}
		return n, nil
	}
	set := crossview.SidebarSettings{
		ContactMatchField: strings.TrimSpace(f.Get("contact_match")),
		LeadMatchField:    strings.TrimSpace(f.Get("lead_match")),
		Fields:            map[string][]string{},
	}
	var err error
	if set.Order, err = num("order"); err != nil {
		return set, err
	}
	if set.MaxOpportunities, err = num("max_opportunities"); err != nil {
		return set, err
	}
	if set.MaxCases, err = num("max_cases"); err != nil {
		return set, err
	}
	for _, obj := range []string{crossview.ObjectContact, crossview.ObjectLead, crossview.ObjectAccount, crossview.ObjectOpportunity, crossview.ObjectCase} {
		set.Fields[obj] = strings.FieldsFunc(f.Get("fields_"+obj), func(r rune) bool { return r == ',' || r == ' ' })
	}
	return set, set.Validate()
}

func (s *server) accountView(sess admin.Session, t crossview.Tenant, done, errMsg string) views.AdminAccount {
	v := views.AdminAccount{AdminShell: s.shell(sess, "account", done), HasWebhookSecret: t.WebhookSecret != "",
		WebhookURL: s.o.PublicURL + "/zendesk/webhook/" + t.Subdomain, Error: errMsg, Credential: "none"}
	if t.AppID > 0 {
		v.AppID = strconv.FormatInt(t.AppID, 10)
	}
	if t.InstallationID > 0 {
		v.InstallationID = strconv.FormatInt(t.InstallationID, 10)
	}
	switch {
	case t.OAuthToken != "":
		v.Credential = "an admin's Zendesk sign-in (OAuth)"
	case t.APIToken != "":
		v.Credential = "the API token of " + t.APIEmail
	}
	return v
}

func orDash(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
