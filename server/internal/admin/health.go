package admin

import (
	"context"
	"fmt"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Health problem codes.
const (
	ProblemRefreshRevoked  = "refresh_revoked"
	ProblemSessionIPLocked = "session_ip_locked"
	ProblemAdminDowngraded = "admin_downgraded"
	ProblemAPILimitLow     = "api_limit_low"
	ProblemPKCERefresh     = "pkce_refresh"
	ProblemRefreshRefused  = "refresh_refused"
	ProblemUnreachable     = "unreachable"
	ProblemUnavailable     = "salesforce_unavailable"
	ProblemTimeout         = "timeout"
	ProblemAccessDenied    = "access_denied"
	ProblemRefused         = "salesforce_refused"
	ProblemSidebarFields   = "sidebar_fields"
)

// Check asks Salesforce and Zendesk whether a connection still works and
// names each problem with its fix. It makes one Salesforce API call (which
// refreshes the session when needed), one more to describe the objects the
// sidebar reads while the sidebar is on, and, when the connecting admin is
// known, one Zendesk call. While ticket sync is on it also reads the Case
// describe (one composite call) and the Zendesk trigger and webhook; while
// account or contact sync is on, the Account, Contact and Lead describes
// and the Zendesk user and organization fields.
func (s *Service) Check(ctx context.Context, c crossview.Connection) crossview.Health {
	h := crossview.Health{CheckedAt: s.o.Now()}
	if c.Status != crossview.StatusActive {
		return h
	}
	_, err := s.o.SF.Query(ctx, c, "SELECT Id FROM Organization LIMIT 1")
	if err != nil {
		if p := salesforceProblem(err); p != nil {
			h.Problems = append(h.Problems, *p)
		}
	} else if p := s.fieldsProblem(ctx, c); p != nil {
		h.Problems = append(h.Problems, *p)
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
	if err == nil {
		// Only an org that answers can be asked about its Case fields.
		h.Problems = append(h.Problems, s.ticketSyncProblems(ctx, c)...)
		h.Problems = append(h.Problems, s.dataSyncProblems(ctx, c)...)
	}
	return h
}

// fieldsProblem checks the saved sidebar fields against a fresh describe,
// so a field deleted in Salesforce after it was saved is named here rather
// than only failing in front of agents.
func (s *Service) fieldsProblem(ctx context.Context, c crossview.Connection) *crossview.HealthProblem {
	if !c.Active(crossview.FeatureSidebar) {
		return nil
	}
	err := s.checkFields(ctx, c, c.Sidebar, true)
	switch {
	case err == nil:
		return nil
	case crossview.ErrorCode(err) != crossview.EINVALID:
		// The org answered a moment ago; a describe failing now is a blip
		// the next check sees again if it lasts.
		s.o.Logger.Warn("describing objects to check sidebar fields", "connection", c.ID, "err", err)
		return nil
	}
	return &crossview.HealthProblem{Code: ProblemSidebarFields, Title: "The sidebar settings name fields the org does not have",
		Message: crossview.ErrorMessage(err) + " Until this is fixed, agents see a note asking them to contact an admin instead of this org's data.",
		Fix:     "Correct the fields in the Zendesk sidebar settings below (or restore the field in Salesforce Setup › Object Manager) and save."}
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
