// Package views renders Crossview's HTML with templ. It knows nothing of the
// server: handlers pass the display-ready structs defined here.
package views

// Page is the frame every full page shares.
type Page struct {
	Title string
	// AssetPrefix is where /assets/ is served, e.g. "/assets".
	AssetPrefix string
	// Scripts are extra script URLs, loaded deferred in order.
	Scripts []string
	// BodyClass styles the page for its host (e.g. "cv-embedded").
	BodyClass string
}

// SidebarShell is the page Zendesk loads into the ticket sidebar iframe.
type SidebarShell struct {
	Page
	// Token authenticates the panel fetches (sent in a header, never a
	// cookie: third-party cookies are blocked in iframes).
	Token    string
	PanelURL string
	// BindURL exchanges Token for one bound to the open ticket.
	BindURL string
	// PollMillis is how often a visible panel is fetched again.
	PollMillis int
	// ForceRefresh makes the first panel load bypass caches.
	ForceRefresh bool
}

// SidebarPanel is the fragment with one ticket's CRM data.
type SidebarPanel struct {
	TicketID       int64
	RequesterName  string
	RequesterEmail string
	// NoConnections: no org has the sidebar turned on.
	NoConnections bool
	// NoEmail: the requester has no email to match on.
	NoEmail bool
	// RefreshNote says why a refresh was not done (the cooldown).
	RefreshNote string
	Sections    []OrgSection
}

// OrgSection is one Salesforce org's part of a panel.
type OrgSection struct {
	ID          string // connection id, for anchors and tests
	Name        string
	OrgID       string
	Environment string // "Production" or "Sandbox"
	// FetchedAt is ISO 8601 for <time datetime>; FetchedAgo is for people.
	FetchedAt  string
	FetchedAgo string
	Problem    *Problem
	// ReserveNote says the org's API allowance is nearly used, so its data
	// is not refreshed unless it must be.
	ReserveNote string
	Matches     []Match
}

// Problem is a labelled failure shown in place of data, or above older
// data when Stale.
type Problem struct {
	Title   string
	Message string
	Stale   bool
}

// Match is one person found in an org.
type Match struct {
	// Label tells several matches apart, e.g. "Contact 1 of 2".
	Label         string
	Person        RecordView
	Account       *RecordView
	Opportunities []RecordView
	Cases         []RecordView
}

// RecordView is a CRM record with a link that opens it in Salesforce.
type RecordView struct {
	Object string
	Name   string
	URL    string
	Fields []FieldView
}

// FieldView is one labelled value.
type FieldView struct {
	Label string
	Value string
	// Currency is the ISO code of a money value (USD), shown beside it.
	Currency string
}

// ErrorView is an error shown on a page or inside a panel.
type ErrorView struct {
	Page
	Status  int
	Title   string
	Message string
}

// DemoPage is the sandbox's page that frames the sidebar like Zendesk.
type DemoPage struct {
	Page
	SidebarAction string
	Token         string
	AppGUID       string
	Current       DemoTicket
	Tickets       []DemoTicket
	Orgs          []DemoOrg
	// Statuses are what the current ticket's status can change to.
	Statuses []string
}

// DemoTicket is a seeded Zendesk ticket.
type DemoTicket struct {
	ID                            int64
	Subject, Description, Status  string
	RequesterName, RequesterEmail string
	Notes                         string
	URL                           string
	Comments                      []DemoComment
	// ChangeAction changes the ticket in the emulated Zendesk; CaseLink
	// opens the Case ticket sync made of it.
	ChangeAction, CaseLink string
	// Requester is the requester's Zendesk user as it is now.
	Requester DemoRequester
}

// DemoRequester is a requester as the emulated Zendesk holds them: the
// fields data sync keeps current. OtherPhones follow the first phone:
// data sync adds a changed phone beside it, as Zendesk does.
type DemoRequester struct {
	Name, Email, Phone, Title, Organization, ExternalID string
	OtherPhones                                         []string
}

// DemoContactEdit edits a Contact's title and phone in the emulated org.
type DemoContactEdit struct {
	Title, Phone, Action string
	// Edited says a change was just saved; ZendeskURL opens the support
	// desk's ticket this Contact requested ("" when none).
	Edited     bool
	ZendeskURL string
}

// DemoComment is a comment on a ticket.
type DemoComment struct {
	Author, Body string
	Public       bool
}

// DemoOrg is an emulated Salesforce org or Zendesk account with its
// failure switch.
type DemoOrg struct {
	Key, Name string
	// Kind says what it is ("Salesforce org", "Zendesk account"); Effect
	// says what its failing does to the panel on the page.
	Kind, Effect string
	Failing      bool
	Action       string
}

// DemoSalesforcePage is the sandbox's Lightning-like record page.
type DemoSalesforcePage struct {
	Page
	Current DemoRecord
	As      string
	// SignedRequest is POSTed into the canvas iframe; Refused says why the
	// user may not open the record instead.
	SignedRequest string
	Refused       string
	Records       []DemoRecord
	Users         []DemoUser
	Tickets       []DemoTicketRef
	Statuses      []string
	// Switches make the org behind the page or a Zendesk account fail, or
	// recover; the failing ones are named above the panel.
	Switches []DemoOrg
	// Refresh presses the panel's Refresh once it loads, so a switch just
	// used shows at once instead of after the cache's freshness window.
	Refresh bool
	// Contact edits the record in the emulated org (Contacts only).
	Contact *DemoContactEdit
}

// DemoRecord is a seeded Salesforce record.
type DemoRecord struct {
	ID, Object, Name, Note, URL string
}

// DemoUser is a Salesforce user to view the page as.
type DemoUser struct {
	Key, Name, Note, URL string
	Current              bool
}

// DemoTicketRef is a ticket the page can change in the emulated Zendesk.
type DemoTicketRef struct {
	Tenant, ID, Subject, Status, Action string
	// CaseLink opens the Case ticket sync made of it.
	CaseLink string
}
