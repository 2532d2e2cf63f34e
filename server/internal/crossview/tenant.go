package crossview

import "time"

// Tenant is one Zendesk account, named by its subdomain.
type Tenant struct {
	Subdomain string `json:"subdomain"`
	// AppID is the ZAF app whose public key signs sidebar JWTs.
	AppID int64 `json:"app_id"`
	// InstallationID, when non-zero, is the only installation whose JWT
	// audience is accepted.
	InstallationID int64 `json:"installation_id,omitempty"`
	// APIEmail and APIToken are the Zendesk API-token credential
	// (email/token). APIToken is sealed at rest.
	APIEmail string `json:"api_email,omitempty"`
	APIToken string `json:"-"`
	// OAuthToken is a Zendesk OAuth bearer token; used instead of the API
	// token when set. Sealed at rest.
	OAuthToken string `json:"-"`
	// WebhookSecret verifies Zendesk webhook signatures. Sealed at rest.
	WebhookSecret string `json:"-"`
	// SyncWebhookSecrets verify the webhooks Crossview created for ticket
	// sync, one per connection (by connection id). Sealed at rest.
	SyncWebhookSecrets map[string]string `json:"-"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
}

// ValidSubdomain reports whether s is a well-formed Zendesk subdomain.
func ValidSubdomain(s string) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case r == '-' && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return true
}
