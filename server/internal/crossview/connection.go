package crossview

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Environment is the kind of Salesforce org a connection points at.
type Environment string

// Salesforce org environments; they choose the login host.
const (
	Production Environment = "production"
	Sandbox    Environment = "sandbox"
)

// ParseEnvironment validates an environment name.
func ParseEnvironment(s string) (Environment, error) {
	switch Environment(s) {
	case Production, Sandbox:
		return Environment(s), nil
	}
	return "", Errorf(EINVALID, "environment must be %q or %q, not %q", Production, Sandbox, s)
}

// Feature is one capability that can be turned on per connection.
type Feature string

// The features of a connection. Every one is off on a new connection.
const (
	FeatureSidebar     Feature = "sidebar"
	FeatureTicketView  Feature = "ticket_view"
	FeatureAccountSync Feature = "account_sync"
	FeatureContactSync Feature = "contact_sync"
	FeatureTicketSync  Feature = "ticket_sync"
)

// AllFeatures lists every feature in display order.
func AllFeatures() []Feature {
	return []Feature{FeatureSidebar, FeatureTicketView, FeatureAccountSync, FeatureContactSync, FeatureTicketSync}
}

// ParseFeature validates a feature name.
func ParseFeature(s string) (Feature, error) {
	for _, f := range AllFeatures() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", Errorf(EINVALID, "unknown feature %q (one of sidebar, ticket_view, account_sync, contact_sync, ticket_sync)", s)
}

// Status says whether a connection holds a usable grant.
type Status string

// Connection statuses.
const (
	StatusActive       Status = "active"
	StatusDisconnected Status = "disconnected"
)

// Connection links a tenant to one Salesforce org.
type Connection struct {
	ID          string      `json:"id"`
	Tenant      string      `json:"tenant"`
	Name        string      `json:"name"`
	Environment Environment `json:"environment"`
	OrgID       string      `json:"org_id"`
	OrgName     string      `json:"org_name,omitempty"`
	InstanceURL string      `json:"instance_url"`
	// UserID and Username are the Salesforce user whose grant this is.
	UserID   string `json:"user_id,omitempty"`
	Username string `json:"username,omitempty"`
	// ConnectedBy names who made the connection (a Zendesk admin's email,
	// or "cli"); ConnectedByZendeskID is that admin's Zendesk user id, so
	// losing the admin role can be noticed.
	ConnectedBy          string    `json:"connected_by,omitempty"`
	ConnectedByZendeskID int64     `json:"connected_by_zendesk_id,omitempty"`
	ConnectedAt          time.Time `json:"connected_at"`
	Scopes               string    `json:"scopes,omitempty"`
	Status               Status    `json:"status"`
	// Features holds what an admin turned on. A feature is active only
	// while the connection is active too; see Active.
	Features   map[Feature]bool   `json:"features"`
	Sidebar    SidebarSettings    `json:"sidebar"`
	TicketView TicketViewSettings `json:"ticket_view"`
	TicketSync TicketSyncSettings `json:"ticket_sync"`
	DataSync   DataSyncSettings   `json:"data_sync"`
	// Health is what the last background or on-demand check found.
	Health    Health    `json:"health"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Active reports whether feature f is on and the connection is usable.
func (c Connection) Active(f Feature) bool {
	return c.Status == StatusActive && c.Features[f]
}

// Token is a connection's OAuth grant. It is sealed at rest and never logged.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	InstanceURL  string    `json:"instance_url"`
	IssuedAt     time.Time `json:"issued_at"`
	// Scope is what the grant allows, as Salesforce reported it.
	Scope string `json:"scope,omitempty"`
}

// String hides the secrets so a token printed by mistake leaks nothing.
func (Token) String() string { return "crossview.Token{redacted}" }

// GoString hides the secrets from %#v as well.
func (t Token) GoString() string { return t.String() }

// NewID returns a random identifier with the given prefix.
func NewID(prefix string) string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	return prefix + hex.EncodeToString(b[:])
}

// NewConnection returns an active connection with every feature off and
// default settings.
func NewConnection(tenant string, env Environment, orgID, instanceURL string, now time.Time) Connection {
	return Connection{
		ID:          NewID("conn_"),
		Tenant:      tenant,
		Environment: env,
		OrgID:       orgID,
		InstanceURL: instanceURL,
		ConnectedAt: now,
		UpdatedAt:   now,
		Status:      StatusActive,
		Features:    map[Feature]bool{},
		Sidebar:     DefaultSidebarSettings(),
		TicketView:  DefaultTicketViewSettings(),
		TicketSync:  DefaultTicketSyncSettings(),
		DataSync:    DefaultDataSyncSettings(),
	}
}

// ValidOrgID reports whether s looks like a 15- or 18-character org id.
func ValidOrgID(s string) bool {
	return ValidSalesforceID(s) && s[:3] == "00D"
}

// ValidSalesforceID reports whether s is a 15- or 18-character record id.
func ValidSalesforceID(s string) bool {
	if len(s) != 15 && len(s) != 18 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}
