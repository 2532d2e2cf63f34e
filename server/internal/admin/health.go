package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// Health problem codes.
const (
	ProblemRefreshRevoked  = "refresh_revoked"
	ProblemSessionIPLocked = "session_ip_locked"
	ProblemAdminDowngraded = "admin_downgraded"
	ProblemAPILimitLow     = "api_limit_low"
	ProblemPKCERefresh     = "pkce_refresh"
	ProblemUnreachable     = "unreachable"
)

// Check asks Salesforce and Zendesk whether a connection still works and
// names each problem with its fix. It makes one Salesforce API call (which
// refreshes the session when needed) and, when the connecting admin is
// known, one Zendesk call.
func (s *Service) Check(ctx context.Context, c crossview.Connection) crossview.Health {
	h := crossview.Health{CheckedAt: s.o.Now()}
	if c.Status != crossview.StatusActive {
		return h
	}
	if _, err := s.o.SF.Query(ctx, c, "SELECT Id FROM Organization LIMIT 1"); err != nil {
		if p := salesforceProblem(err); p != nil {
			h.Problems = append(h.Problems, *p)
		}
	}
	if u, _, ok := s.o.SF.Usage(c.OrgID); ok && u.Limit > 0 && float64(u.Used) >= s.o.APIWarnAt*float64(u.Limit) {
		h.Problems = append(h.Problems, crossview.HealthProblem{
			Code: ProblemAPILimitLow, Title: "Salesforce API allowance nearly used",
			Message: fmt.Sprintf("The org has used %d of its %d daily API calls.", u.Used, u.Limit),
			Fix:     "Crossview slows down rather than spend the rest; raise the org's allowance or wait for the daily reset.",
		})
	}
	if p := s.adminProblem(ctx, c); p != nil {
		h.Problems = append(h.Problems, *p)
	}
	return h
}

// salesforceProblem names why a call failed, when it is the connection's
// fault rather than a blip.
func salesforceProblem(err error) *crossview.HealthProblem {
	var oe *salesforce.OAuthError
	if errors.As(err, &oe) && mentionsPKCE(oe.Description) {
		return &crossview.HealthProblem{Code: ProblemPKCERefresh, Blocking: true,
			Title:   "Salesforce refuses to refresh the session (PKCE)",
			Message: "Salesforce refused the refresh token because of a PKCE setting: " + oe.Description,
			Fix:     "In Salesforce Setup › OAuth and OpenID Connect Settings, check the PKCE requirement for the Crossview connected app, then reconnect the org from Crossview."}
	}
	switch {
	case salesforce.IsRevoked(err):
		return &crossview.HealthProblem{Code: ProblemRefreshRevoked, Blocking: true,
			Title:   "Salesforce access revoked or expired",
			Message: "Salesforce no longer accepts this connection's refresh token: it was revoked, expired under the connected app's policy, or the user was deactivated.",
			Fix:     "Reconnect the org: Add connection, choose the same environment and sign in as an administrator. Settings are kept."}
	case salesforce.IsSessionExpired(err):
		return &crossview.HealthProblem{Code: ProblemSessionIPLocked, Blocking: true,
			Title:   "Sessions are locked to an IP address",
			Message: "Salesforce rejected a freshly refreshed session. This happens when the org locks sessions to the IP address they started from, and Crossview calls from another address.",
			Fix:     "In Salesforce Setup › Session Settings, untick \"Lock sessions to the IP address from which they originated\", save, then check the connection again."}
	case salesforce.IsRateLimited(err):
		return &crossview.HealthProblem{Code: ProblemAPILimitLow, Title: "Salesforce API allowance used up",
			Message: "The org's daily API allowance is used up; panels show this org as unavailable until it resets.",
			Fix:     "Raise the org's allowance or wait for the daily reset."}
	}
	return &crossview.HealthProblem{Code: ProblemUnreachable, Title: "Salesforce did not answer",
		Message: crossview.ErrorMessage(salesforce.UserError(err)), Fix: "Crossview keeps trying; if this lasts, check Salesforce's status page."}
}

func mentionsPKCE(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "pkce") || strings.Contains(s, "code_verifier") || strings.Contains(s, "code verifier") || strings.Contains(s, "code_challenge")
}

// adminProblem notices that the Zendesk admin who connected the org is no
// longer an admin: like the official integration, the connection then
// stops until another admin reconnects it — but here it is said plainly.
func (s *Service) adminProblem(ctx context.Context, c crossview.Connection) *crossview.HealthProblem {
	if c.ConnectedByZendeskID == 0 {
		return nil
	}
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return nil
	}
	role, active, err := s.o.ZD.UserRole(ctx, t, c.ConnectedByZendeskID)
	if err != nil {
		s.o.Logger.Warn("checking the connecting admin's role", "connection", c.ID, "err", err)
		return nil
	}
	if role == "admin" && active {
		return nil
	}
	who := orDefault(c.ConnectedBy, "The admin who connected this org")
	state := "is now " + orDefault(role, "without a role")
	if !active {
		state = "was deactivated"
	}
	return &crossview.HealthProblem{Code: ProblemAdminDowngraded, Blocking: true,
		Title:   "The connecting Zendesk admin is no longer an admin",
		Message: fmt.Sprintf("%s connected this org and %s in Zendesk, so Crossview has stopped this connection.", who, state),
		Fix:     "Another Zendesk admin signs in to Crossview and reconnects the org (Add connection, same environment); its settings are kept."}
}

// checkAndSave checks a connection and stores what it found.
func (s *Service) checkAndSave(ctx context.Context, c crossview.Connection) crossview.Connection {
	c.Health = s.Check(ctx, c)
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		s.o.Logger.Error("saving a health check", "connection", c.ID, "err", err)
	}
	return c
}

// CheckNow checks one of the admin's connections on demand.
func (s *Service) CheckNow(ctx context.Context, sess Session, id string) (crossview.Connection, error) {
	c, err := s.owned(ctx, sess.Subdomain, id)
	if err != nil {
		return c, err
	}
	c = s.checkAndSave(ctx, c)
	s.audit(ctx, sess.Subdomain, sess.Actor(), "connection.check", &c, healthSummary(c.Health))
	return c, nil
}

// CheckAll checks every active connection of every tenant once.
func (s *Service) CheckAll(ctx context.Context) error {
	ts, err := s.o.Store.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		cs, err := s.o.Store.Connections(ctx, t.Subdomain)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Status == crossview.StatusActive {
				cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				s.checkAndSave(cctx, c)
				cancel()
			}
		}
	}
	return nil
}

// RunHealthChecks checks every connection now and then every interval
// until ctx ends.
func (s *Service) RunHealthChecks(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := s.CheckAll(ctx); err != nil && ctx.Err() == nil {
			s.o.Logger.Warn("health checks", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func healthSummary(h crossview.Health) string {
	if h.OK() {
		return "healthy"
	}
	var codes []string
	for _, p := range h.Problems {
		codes = append(codes, p.Code)
	}
	return strings.Join(codes, ", ")
}
