package admin

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// fixRecheck is the fix for failures that are Salesforce's or the
// network's and pass by themselves.
const fixRecheck = "Nothing to change in Crossview: it checks again within minutes and recovers by itself. If this lasts, see status.salesforce.com for the org's instance."

// salesforceProblem names why a check's call failed by what happened —
// what Salesforce answered, or how the call got no answer — with the fix.
func salesforceProblem(err error) *crossview.HealthProblem {
	var oe *salesforce.OAuthError
	if errors.As(err, &oe) {
		return refreshProblem(oe)
	}
	var ae *salesforce.APIError
	switch {
	case salesforce.IsSessionExpired(err):
		return &crossview.HealthProblem{Code: ProblemSessionIPLocked, Blocking: true,
			Title:   "Sessions are locked to an IP address",
			Message: "Salesforce answered 401 INVALID_SESSION_ID to a freshly refreshed session. This happens when the org locks sessions to the IP address they started from, and Crossview calls from another address.",
			Fix:     "In Salesforce Setup › Session Settings, untick \"Lock sessions to the IP address from which they originated\", save, then check the connection again."}
	case errors.Is(err, salesforce.ErrLimitReserve):
		return &crossview.HealthProblem{Code: ProblemAPILimitLow, Title: "Salesforce API allowance used up",
			Message: "Salesforce last reported the org's daily API allowance as used up, so Crossview holds its calls until it resets; panels show this org as unavailable meanwhile.",
			Fix:     "Raise the org's allowance or wait for the daily reset (a rolling 24 hours)."}
	case salesforce.IsRateLimited(err):
		return &crossview.HealthProblem{Code: ProblemAPILimitLow, Title: "Salesforce API allowance used up",
			Message: "Salesforce answered 403 REQUEST_LIMIT_EXCEEDED: the org's daily API allowance is used up; panels show this org as unavailable until it resets.",
			Fix:     "Raise the org's allowance or wait for the daily reset (a rolling 24 hours)."}
	case errors.As(err, &ae) && ae.Status >= 500:
		return &crossview.HealthProblem{Code: ProblemUnavailable, Title: "Salesforce is unavailable",
			Message: "Salesforce answered " + statusWords(ae.Status, ae.Code) + ".", Fix: fixRecheck}
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return &crossview.HealthProblem{Code: ProblemAccessDenied, Blocking: true, Title: "Salesforce refuses the connected user",
			Message: "Salesforce answered " + statusWords(ae.Status, ae.Code) + ": " + ae.Message,
			Fix:     "Give the connected Salesforce user the API Enabled permission (or the org API access), or reconnect the org as an administrator who has it."}
	case errors.As(err, &ae):
		return &crossview.HealthProblem{Code: ProblemRefused, Title: "Salesforce refused Crossview's check",
			Message: "Salesforce answered " + statusWords(ae.Status, ae.Code) + ".",
			Fix:     "Check the org's recent errors below; if it lasts, reconnect the org."}
	}
	return noAnswerProblem(err)
}

// refreshProblem words a refused token refresh.
func refreshProblem(oe *salesforce.OAuthError) *crossview.HealthProblem {
	answered := "Salesforce answered " + statusWords(oe.Status, oe.Code)
	switch {
	case mentionsPKCE(oe.Description):
		return &crossview.HealthProblem{Code: ProblemPKCERefresh, Blocking: true,
			Title:   "Salesforce refuses to refresh the session (PKCE)",
			Message: "Salesforce refused the refresh token because of a PKCE setting: " + oe.Description,
			Fix:     "In Salesforce Setup › OAuth and OpenID Connect Settings, check the PKCE requirement for the Crossview connected app, then reconnect the org from Crossview."}
	case oe.Code == "invalid_grant":
		return &crossview.HealthProblem{Code: ProblemRefreshRevoked, Blocking: true,
			Title:   "Salesforce access revoked or expired",
			Message: answered + " to a refresh: Salesforce no longer accepts this connection's refresh token. It was revoked, expired under the connected app's policy, or the user was deactivated.",
			Fix:     "Reconnect the org: Reconnect below (or Add connection, same environment) and sign in as an administrator. Settings are kept."}
	case oe.Status >= 500:
		return &crossview.HealthProblem{Code: ProblemUnavailable, Title: "Salesforce's sign-in service is unavailable",
			Message: answered + " when Crossview refreshed the session.", Fix: fixRecheck}
	case oe.Code == "invalid_client_id" || oe.Code == "invalid_client":
		return &crossview.HealthProblem{Code: ProblemRefreshRefused, Blocking: true,
			Title:   "Salesforce does not accept Crossview's connected app",
			Message: answered + ": " + oe.Description,
			Fix:     "Check CROSSVIEW_SALESFORCE_CLIENT_ID and CROSSVIEW_SALESFORCE_CLIENT_SECRET against the connected app (or external client app) in Salesforce Setup."}
	}
	return &crossview.HealthProblem{Code: ProblemRefreshRefused, Blocking: true, Title: "Salesforce refuses to refresh the session",
		Message: answered + ": " + oe.Description,
		Fix:     "Check the Crossview connected app's OAuth policies in Salesforce Setup, then reconnect the org."}
}

// noAnswerProblem words a call that got no answer: it ran out of time,
// the name did not resolve, the host refused, or TLS failed.
func noAnswerProblem(err error) *crossview.HealthProblem {
	var te *salesforce.TimeoutError
	var dns *net.DNSError
	var op *net.OpError
	var cert *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	p := &crossview.HealthProblem{Code: ProblemUnreachable, Title: "Salesforce cannot be reached", Fix: fixRecheck}
	switch {
	case errors.As(err, &te):
		p.Code, p.Title = ProblemTimeout, "Salesforce did not answer in time"
		p.Message = fmt.Sprintf("Salesforce did not answer within %s.", te.After)
		p.Fix = "Crossview checks again within minutes. If this lasts, see status.salesforce.com and any proxy or firewall between Crossview and Salesforce."
	case errors.Is(err, context.DeadlineExceeded):
		p.Code, p.Title = ProblemTimeout, "Salesforce did not answer in time"
		p.Message = "Salesforce did not answer in time."
	case errors.As(err, &dns):
		p.Message = fmt.Sprintf("The name %s does not resolve (DNS: %s).", dns.Name, dns.Err)
		p.Fix = "If the org's My Domain changed, reconnect the org; otherwise check the DNS of the machine Crossview runs on."
	case errors.Is(err, syscall.ECONNREFUSED):
		p.Message = "The connection to Salesforce was refused" + at(addrOf(op, err)) + ": nothing accepts connections there."
		p.Fix = "If Crossview reaches Salesforce through a proxy or firewall, check it lets Crossview through. Crossview checks again within minutes and recovers by itself."
	case errors.As(err, &cert) || errors.As(err, &unknownCA) || errors.As(err, &hostname):
		p.Message = "Salesforce's TLS certificate was not accepted" + at(addrOf(op, err)) + "."
		p.Fix = "A proxy that intercepts TLS must be trusted by the machine Crossview runs on; otherwise check the system's certificate store."
	case errors.As(err, &op):
		p.Message = "Crossview could not reach Salesforce" + at(addrOf(op, err)) + ": " + op.Err.Error() + "."
	default:
		p.Message = "Crossview could not reach Salesforce."
	}
	return p
}

// addrOf is the address a network error was about, when it says.
func addrOf(op *net.OpError, err error) string {
	if errors.As(err, &op) && op.Addr != nil {
		return op.Addr.String()
	}
	return ""
}

func at(addr string) string {
	if addr == "" {
		return ""
	}
	return " at " + addr
}

// statusWords says an HTTP status with its name and Salesforce's code:
// "503 Service Unavailable (maintenance or an outage)".
func statusWords(status int, code string) string {
	s := fmt.Sprintf("%d %s", status, http.StatusText(status))
	switch {
	case status == http.StatusServiceUnavailable:
		s += " (maintenance or an outage)"
	case code != "" && code != fmt.Sprintf("http_%d", status):
		s += " " + code
	}
	return s
}
