package store

import (
	"github.com/crossview/crossview/server/internal/crossview"
)

// maxIDLen bounds connection ids, which become keys in every backend.
const maxIDLen = 64

func validateTenant(t crossview.Tenant) error {
	if !crossview.ValidSubdomain(t.Subdomain) {
		return crossview.Errorf(crossview.EINVALID, "%q is not a Zendesk subdomain (lowercase letters, digits and inner hyphens, at most 63)", t.Subdomain)
	}
	// An account whose admin signed in before installing the ZAF app has
	// no app id yet; the sidebar refuses it until one is set.
	if t.AppID < 0 {
		return crossview.Errorf(crossview.EINVALID, "app id must not be negative")
	}
	if t.InstallationID < 0 {
		return crossview.Errorf(crossview.EINVALID, "tenant %q has a negative installation id", t.Subdomain)
	}
	return nil
}

// validateConnection checks a connection on its own; that its tenant exists
// is checked by PutConnection.
func validateConnection(c crossview.Connection) error {
	if !validID(c.ID) {
		return crossview.Errorf(crossview.EINVALID, "connection id %q must be 1 to %d letters, digits, '_' or '-'", c.ID, maxIDLen)
	}
	if !crossview.ValidSubdomain(c.Tenant) {
		return crossview.Errorf(crossview.EINVALID, "connection %s: %q is not a Zendesk subdomain", c.ID, c.Tenant)
	}
	if _, err := crossview.ParseEnvironment(string(c.Environment)); err != nil {
		return crossview.Errorf(crossview.EINVALID, "connection %s: environment must be %q or %q, not %q", c.ID, crossview.Production, crossview.Sandbox, c.Environment)
	}
	if !crossview.ValidOrgID(c.OrgID) {
		return crossview.Errorf(crossview.EINVALID, "connection %s: %q is not a Salesforce org id (15 or 18 characters starting 00D)", c.ID, c.OrgID)
	}
	switch c.Status {
	case crossview.StatusActive, crossview.StatusDisconnected:
	default:
		return crossview.Errorf(crossview.EINVALID, "connection %s: status must be %q or %q, not %q", c.ID, crossview.StatusActive, crossview.StatusDisconnected, c.Status)
	}
	for f := range c.Features {
		if _, err := crossview.ParseFeature(string(f)); err != nil {
			return crossview.Errorf(crossview.EINVALID, "connection %s: unknown feature %q", c.ID, f)
		}
	}
	if err := c.Sidebar.Validate(); err != nil {
		return crossview.Wrap(crossview.EINVALID, "connection "+c.ID+": "+crossview.ErrorMessage(err), err)
	}
	return nil
}

// validID accepts the ids crossview.NewID makes and anything as plain.
func validID(id string) bool {
	if id == "" || len(id) > maxIDLen {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}
