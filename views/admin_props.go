package views

import "time"

// AdminShell is what every signed-in admin page shares.
type AdminShell struct {
	Page
	Subdomain string
	AdminName string
	CSRF      string
	// Nav is the current section: connections, audit or account.
	Nav string
	// Flash is a one-line confirmation of the last action.
	Flash string
}

// AdminSignIn is the sign-in page.
type AdminSignIn struct {
	Page
	Subdomain string
	Error     string
}

// AdminConnections is the connections list.
type AdminConnections struct {
	AdminShell
	Connections []AdminConnRow
}

// AdminConnRow is one connection in the list.
type AdminConnRow struct {
	ID, Name, Environment, OrgName, OrgID, InstanceURL string
	ConnectedBy, ConnectedAt                           string
	// Status is "Connected" or "Disconnected".
	Status       string
	Disconnected bool
	// Health is "Healthy", "Warning" or "Needs attention"; HealthTitle the
	// first problem.
	Health, HealthClass, HealthTitle string
	Features                         []AdminFeature
	URL                              string
}

// AdminFeature is one feature's state.
type AdminFeature struct {
	Key, Label string
	On         bool
}

// AdminNewConnection is the add-connection form.
type AdminNewConnection struct {
	AdminShell
	Error       string
	Environment string
	// Target names where the org will go: the Zendesk account's host and
	// the signed-in admin's email (AdminShell has the subdomain and name).
	ZendeskHost, AdminEmail string
}

// AdminConfirmConnection asks the admin to confirm, before anything is
// saved, which Zendesk account a Salesforce org joins.
type AdminConfirmConnection struct {
	AdminShell
	// ID names the grant waiting for the answer.
	ID                                    string
	Environment, OrgName, OrgID, Username string
	ZendeskHost, AdminEmail               string
}

// AdminConnectionDetail is one connection's details and settings.
type AdminConnectionDetail struct {
	AdminShell
	ID, Name, Environment, Status, OrgID, OrgName, InstanceURL, APIVersion string
	ConnectedUser, ConnectedBy, ConnectedAt, Scopes                        string
	APIUsage, LastOK, CheckedAt                                            string
	Problems                                                               []AdminProblem
	Failures                                                               []AdminFailure
	Features                                                               []AdminFeature
	Sidebar                                                                AdminSidebarForm
	AccountMatch                                                           string
	IncludeContactEmails                                                   bool
	Active                                                                 bool
	Error                                                                  string
	// Standing is the connection's condition in a word ("Disconnected",
	// "Healthy", ...); CanReconnect offers the Salesforce sign-in again.
	Standing     string
	CanReconnect bool
	// TicketSync is the ticket-sync section (nil: not offered).
	TicketSync *AdminTicketSync
	// DataSync is the data-sync section (nil: not offered).
	DataSync *AdminDataSync
}

// AdminProblem is a named health problem with its fix.
type AdminProblem struct {
	Title, Message, Fix string
	Blocking            bool
}

// AdminFailure is a recent failed Salesforce call.
type AdminFailure struct {
	At, Status, Code, Message string
}

// AdminSidebarForm holds the sidebar settings as form values.
type AdminSidebarForm struct {
	ContactMatch, LeadMatch string
	Order                   int
	MaxOpportunities        int
	MaxCases                int
	Fields                  []AdminObjectFields
}

// AdminObjectFields is one object's comma-separated field list.
type AdminObjectFields struct {
	Object, Fields string
}

// AdminDisconnect is the confirmation before disconnecting.
type AdminDisconnect struct {
	AdminShell
	ID, Name, OrgID string
}

// AdminAudit is the audit log page.
type AdminAudit struct {
	AdminShell
	Entries []AdminAuditRow
}

// AdminAuditRow is one logged action.
type AdminAuditRow struct {
	At                                time.Time
	Actor, Action, Connection, Detail string
}

// AdminAccount is the account settings page.
type AdminAccount struct {
	AdminShell
	AppID, InstallationID string
	HasWebhookSecret      bool
	Credential            string
	WebhookURL            string
	Error                 string
}
