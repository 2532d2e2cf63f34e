// Package admin is what Crossview's admin pages and operator CLI do:
// admins sign in with Zendesk OAuth (admins only), connect Salesforce orgs
// through OAuth with PKCE (checking the Salesforce user may), rename,
// configure, check and disconnect connections, and every action lands in
// the tenant's audit log. Every call made for a signed-in admin is confined
// to that admin's Zendesk account.
package admin

import (
	"context"
	"log/slog"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// Options holds the service's dependencies.
type Options struct {
	Store crossview.Store
	SF    *salesforce.Client
	ZD    *zendesk.Client
	// TicketSync turns ticket sync on and off, repairs and reports it;
	// nil where the server runs without it.
	TicketSync TicketSync
	// DataSync turns account and contact sync on and off, checks and
	// reports them; nil where the server runs without it.
	DataSync DataSync
	// Flows keeps short-lived connect state (after sign-in, bound to the
	// session): Salesforce flows and grants awaiting confirmation. Sessions
	// live in Store; sign-in flows in the browser's pre-auth cookie.
	Flows cache.Cache
	// FlowKey (32 bytes, for this use only: derive it from the keyring)
	// seals the pre-auth cookie and grants awaiting confirmation.
	FlowKey []byte
	Logger  *slog.Logger
	Now     func() time.Time
	// PublicURL is Crossview's external base URL, for OAuth redirects.
	PublicURL    string
	ZendeskOAuth zendesk.OAuthClient
	// SessionTTL bounds a sign-in (default 8 h).
	SessionTTL time.Duration
	// APIWarnAt is the share of the daily Salesforce allowance that makes
	// health warn (default 0.9).
	APIWarnAt float64
	// NewTicker paces the health loop (default: a time.Ticker); tests pass
	// their own channel.
	NewTicker func(time.Duration) (<-chan time.Time, func())
}

// Service runs admin actions.
type Service struct {
	o         Options
	seal      sealer
	describes *describeCache
	rechecks  *recheckState
}

// New returns a Service.
func New(o Options) *Service {
	if o.SessionTTL <= 0 {
		o.SessionTTL = 8 * time.Hour
	}
	if o.APIWarnAt <= 0 {
		o.APIWarnAt = 0.9
	}
	if o.NewTicker == nil {
		o.NewTicker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return &Service{o: o, seal: newSealer(o.FlowKey), describes: newDescribeCache(), rechecks: newRecheckState()}
}

// Redirect URIs registered with Zendesk and Salesforce.
func (s *Service) zendeskRedirect() string    { return s.o.PublicURL + "/admin/oauth/zendesk/callback" }
func (s *Service) salesforceRedirect() string { return s.o.PublicURL + "/admin/salesforce/callback" }

// audit records an action; a failure to record is logged, not fatal, so a
// broken log never blocks an admin from fixing a connection.
func (s *Service) audit(ctx context.Context, tenant, actor, action string, c *crossview.Connection, detail string) {
	e := crossview.AuditEntry{At: s.o.Now(), Actor: actor, Action: action, Detail: detail}
	if c != nil {
		e.ConnectionID, e.ConnectionName = c.ID, c.Name
	}
	if err := s.o.Store.AppendAudit(ctx, tenant, e); err != nil {
		s.o.Logger.Error("writing the audit log", "tenant", tenant, "action", action, "err", err)
	}
}

// Audit lists the signed-in admin's account's log, newest first.
func (s *Service) Audit(ctx context.Context, sess Session, limit int) ([]crossview.AuditEntry, error) {
	return s.o.Store.Audit(ctx, sess.Subdomain, limit)
}
