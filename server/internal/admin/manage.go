package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// Connections lists the admin's account's connections.
func (s *Service) Connections(ctx context.Context, sess Session) ([]crossview.Connection, error) {
	return s.o.Store.Connections(ctx, sess.Subdomain)
}

// Connection returns one of the admin's account's connections; another
// account's connection reads as not found.
func (s *Service) Connection(ctx context.Context, sess Session, id string) (crossview.Connection, error) {
	return s.owned(ctx, sess.Subdomain, id)
}

func (s *Service) owned(ctx context.Context, tenant, id string) (crossview.Connection, error) {
	c, err := s.o.Store.Connection(ctx, id)
	if err != nil {
		return c, err
	}
	if c.Tenant != tenant {
		return crossview.Connection{}, crossview.ErrNotFound
	}
	if c.Features == nil {
		c.Features = map[crossview.Feature]bool{}
	}
	return c, nil
}

// change applies fn to a connection of tenant, saves it and logs it.
func (s *Service) change(ctx context.Context, tenant, actor, id, action string, fn func(*crossview.Connection) (string, error)) (crossview.Connection, error) {
	c, err := s.owned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	detail, err := fn(&c)
	if err != nil {
		return c, err
	}
	c.UpdatedAt = s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	s.audit(ctx, tenant, actor, action, &c, detail)
	return c, nil
}

// Rename gives a connection a new display name.
func (s *Service) Rename(ctx context.Context, tenant, actor, id, name string) (crossview.Connection, error) {
	return s.change(ctx, tenant, actor, id, "connection.rename", func(c *crossview.Connection) (string, error) {
		name = strings.TrimSpace(name)
		if name == "" || len(name) > 120 {
			return "", crossview.Errorf(crossview.EINVALID, "A name is 1 to 120 characters.")
		}
		old := c.Name
		c.Name = name
		return fmt.Sprintf("renamed from %q to %q", old, name), nil
	})
}

// SetFeature turns a feature on or off.
func (s *Service) SetFeature(ctx context.Context, tenant, actor, id string, f crossview.Feature, on bool) (crossview.Connection, error) {
	if f == crossview.FeatureTicketSync {
		return s.setTicketSync(ctx, tenant, actor, id, on)
	}
	if dataSyncFeature(f) && s.o.DataSync != nil {
		return s.setDataSync(ctx, tenant, actor, id, f, on)
	}
	action := "feature.disable"
	if on {
		action = "feature.enable"
	}
	return s.change(ctx, tenant, actor, id, action, func(c *crossview.Connection) (string, error) {
		if on && c.Status != crossview.StatusActive {
			return "", crossview.Errorf(crossview.ECONFLICT, "%s is disconnected; reconnect it before turning features on.", c.Name)
		}
		c.Features[f] = on
		return string(f), nil
	})
}

// UpdateSidebar replaces the sidebar settings after checking every field
// against the org's describe, so a misspelt field is refused by name
// instead of failing in front of agents. A disconnected connection cannot
// be asked; its fields are checked by the first health check after a
// reconnect.
func (s *Service) UpdateSidebar(ctx context.Context, tenant, actor, id string, set crossview.SidebarSettings) (crossview.Connection, error) {
	return s.change(ctx, tenant, actor, id, "settings.sidebar", func(c *crossview.Connection) (string, error) {
		if err := set.Validate(); err != nil {
			return "", err
		}
		if c.Status == crossview.StatusActive {
			if err := s.checkFields(ctx, *c, set, false); err != nil {
				if crossview.ErrorCode(err) == crossview.EINVALID {
					return "", err
				}
				s.o.Logger.Warn("describing objects to check sidebar fields", "connection", c.ID, "err", err)
				return "", crossview.Wrap(crossview.EUNAVAILABLE, "Crossview could not check these fields with Salesforce, so nothing was saved: "+
					crossview.ErrorMessage(salesforce.UserError(err))+" Try again shortly.", err)
			}
			// The fields were just checked: a health problem about them is
			// out of date.
			c.Health.Problems = slices.DeleteFunc(c.Health.Problems, func(p crossview.HealthProblem) bool { return p.Code == ProblemSidebarFields })
		}
		c.Sidebar = set
		return "sidebar fields and matching changed", nil
	})
}

// UpdateTicketView replaces the ticket-view matching settings.
func (s *Service) UpdateTicketView(ctx context.Context, tenant, actor, id string, set crossview.TicketViewSettings) (crossview.Connection, error) {
	return s.change(ctx, tenant, actor, id, "settings.ticket_view", func(c *crossview.Connection) (string, error) {
		if set.AccountMatch != crossview.MatchExternalID && set.AccountMatch != crossview.MatchName {
			return "", crossview.Errorf(crossview.EINVALID, "Match accounts by external id or by name.")
		}
		c.TicketView = set
		return fmt.Sprintf("accounts matched by %s, contact emails %v", set.AccountMatch, set.IncludeContactEmails), nil
	})
}

// Disconnect revokes the grant at Salesforce and stops every feature; the
// settings stay, keyed by org, for a later reconnect.
func (s *Service) Disconnect(ctx context.Context, tenant, actor, id string) (crossview.Connection, error) {
	c, err := s.owned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	detail := "token revoked at Salesforce"
	if s.o.TicketSync != nil && (c.Features[crossview.FeatureTicketSync] || c.TicketSync.WebhookID != "" || c.TicketSync.TriggerID != 0) {
		// Off first, so the trigger and webhook leave Zendesk; after a
		// reconnect ticket sync stays off until turned on again.
		if off, err := s.o.TicketSync.Disable(ctx, c); err != nil {
			s.o.Logger.Warn("turning ticket sync off before a disconnect", "connection", c.ID, "err", err)
			detail += "; ticket sync's trigger and webhook could not be removed from Zendesk (" + crossview.ErrorMessage(err) +
				"): delete \"(Crossview) Sync tickets to Salesforce\" in Zendesk Admin Center, or turn ticket sync on and off again after a reconnect"
			c.Features[crossview.FeatureTicketSync] = false
		} else {
			c = off
			detail += "; ticket sync turned off and its Zendesk trigger and webhook removed"
		}
	}
	for _, f := range []crossview.Feature{crossview.FeatureAccountSync, crossview.FeatureContactSync} {
		if c.Features[f] {
			// Off now, and off after a reconnect until turned on again.
			c.Features[f] = false
			detail += "; " + string(f) + " turned off"
		}
	}
	if tok, err := s.o.Store.Token(ctx, c.ID); err == nil && tok.RefreshToken != "" {
		if err := s.o.SF.Revoke(ctx, c.Environment, tok.RefreshToken); err != nil {
			// Salesforce may have forgotten it already; the grant is gone
			// from Crossview either way.
			s.o.Logger.Warn("revoking a Salesforce token", "connection", c.ID, "err", err)
			detail = "Salesforce did not confirm the revocation: " + crossview.ErrorMessage(err)
		}
	}
	if err := s.o.Store.DeleteToken(ctx, c.ID); err != nil && crossview.ErrorCode(err) != crossview.ENOTFOUND {
		return c, err
	}
	c.Status, c.UpdatedAt = crossview.StatusDisconnected, s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	s.o.SF.Forget(c.ID)
	s.audit(ctx, tenant, actor, "connection.disconnect", &c, detail)
	return c, nil
}

// UpdateAccount sets the account's Zendesk app id, installation id and
// webhook signing secret (blank keeps the current secret).
func (s *Service) UpdateAccount(ctx context.Context, sess Session, appID, installationID int64, webhookSecret string) (crossview.Tenant, error) {
	t, err := s.o.Store.Tenant(ctx, sess.Subdomain)
	if err != nil {
		return t, err
	}
	t.AppID, t.InstallationID = appID, installationID
	if webhookSecret != "" {
		t.WebhookSecret = webhookSecret
	}
	if err := s.o.Store.PutTenant(ctx, t); err != nil {
		return t, err
	}
	s.audit(ctx, sess.Subdomain, sess.Actor(), "account.settings", nil, fmt.Sprintf("app id %d, installation %d", appID, installationID))
	return t, nil
}

// Account returns the admin's tenant.
func (s *Service) Account(ctx context.Context, sess Session) (crossview.Tenant, error) {
	return s.o.Store.Tenant(ctx, sess.Subdomain)
}
