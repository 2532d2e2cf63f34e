package admin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// The emulator cannot make Salesforce refuse a refresh over PKCE, so the
// wording of that refusal is checked here on the error Salesforce sends.
func TestPKCERefreshFailureIsNamed(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&salesforce.OAuthError{Status: 400, Code: "invalid_request", Description: "PKCE is required for this connected app"}, ProblemPKCERefresh},
		{&salesforce.OAuthError{Status: 400, Code: "invalid_grant", Description: "invalid code verifier"}, ProblemPKCERefresh},
		{&salesforce.OAuthError{Status: 400, Code: "invalid_grant", Description: "expired access/refresh token"}, ProblemRefreshRevoked},
		{&salesforce.APIError{Status: 401, Code: "INVALID_SESSION_ID", Message: "Session expired or invalid"}, ProblemSessionIPLocked},
		{&salesforce.APIError{Status: 403, Code: "REQUEST_LIMIT_EXCEEDED"}, ProblemAPILimitLow},
		{errors.New("dial tcp: connection refused"), ProblemUnreachable},
	}
	for _, tc := range cases {
		p := salesforceProblem(tc.err)
		if p == nil || p.Code != tc.want || p.Fix == "" {
			t.Errorf("%v → %+v, want %s with a fix", tc.err, p, tc.want)
		}
	}
	if p := salesforceProblem(&salesforce.OAuthError{Code: "invalid_request", Description: "PKCE required"}); !p.Blocking {
		t.Error("a PKCE refusal must stop the connection")
	}
}

// asTheClientWraps wraps a transport error the way the Salesforce client
// returns it.
func asTheClientWraps(err error) error {
	return fmt.Errorf("salesforce: GET /services/data/v66.0/query?…: %w", &url.Error{Op: "Get", URL: "https://x.my.salesforce.com/services/data/v66.0/query?q=SELECT", Err: err})
}

// Each way a check can fail is worded by what happened, distinctly, with
// a fix: an answered 503 is not "did not answer".
func TestEachFailureWordedByWhatHappened(t *testing.T) {
	// A real refused connection and a real DNS failure, not hand-made ones.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	_ = ln.Close()
	_, refused := (&net.Dialer{}).Dial("tcp", closed)
	_, dnsErr := (&net.Resolver{}).LookupHost(context.Background(), "no-such-org.invalid")
	if refused == nil || dnsErr == nil {
		t.Fatalf("dialing a closed port: %v; resolving .invalid: %v", refused, dnsErr)
	}
	cases := []struct {
		name string
		err  error
		code string
		says []string
	}{
		{"503", &salesforce.APIError{Status: 503, Code: "SERVER_UNAVAILABLE", Message: "Server temporarily unavailable."}, ProblemUnavailable,
			[]string{"Salesforce answered 503 Service Unavailable (maintenance or an outage)"}},
		{"500", &salesforce.APIError{Status: 500, Code: "UNKNOWN_EXCEPTION"}, ProblemUnavailable, []string{"500 Internal Server Error UNKNOWN_EXCEPTION"}},
		{"timeout", asTheClientWraps(&salesforce.TimeoutError{After: 10 * time.Second, Err: context.DeadlineExceeded}), ProblemTimeout,
			[]string{"did not answer within 10s"}},
		{"refused", asTheClientWraps(refused), ProblemUnreachable, []string{"refused", closed}},
		{"dns", asTheClientWraps(dnsErr), ProblemUnreachable, []string{"no-such-org.invalid", "does not resolve"}},
		{"revoked", &salesforce.OAuthError{Status: 400, Code: "invalid_grant", Description: "expired access/refresh token"}, ProblemRefreshRevoked,
			[]string{"400 Bad Request invalid_grant", "revoked"}},
		{"daily limit", &salesforce.APIError{Status: 403, Code: "REQUEST_LIMIT_EXCEEDED", Message: "TotalRequests Limit exceeded."}, ProblemAPILimitLow,
			[]string{"403 REQUEST_LIMIT_EXCEEDED", "daily API allowance"}},
		{"api disabled", &salesforce.APIError{Status: 403, Code: "API_DISABLED_FOR_ORG", Message: "API is not enabled for this Organization or Partner"}, ProblemAccessDenied,
			[]string{"403 Forbidden API_DISABLED_FOR_ORG"}},
		{"ip lock", &salesforce.APIError{Status: 401, Code: "INVALID_SESSION_ID"}, ProblemSessionIPLocked, []string{"401 INVALID_SESSION_ID"}},
		{"sign-in down", &salesforce.OAuthError{Status: 503, Code: "http_503", Description: "<html>"}, ProblemUnavailable,
			[]string{"503 Service Unavailable (maintenance or an outage)", "refreshed the session"}},
		{"bad client", &salesforce.OAuthError{Status: 400, Code: "invalid_client_id", Description: "client identifier invalid"}, ProblemRefreshRefused,
			[]string{"CROSSVIEW_SALESFORCE_CLIENT_ID"}},
	}
	seen := map[string]string{}
	for _, tc := range cases {
		p := salesforceProblem(tc.err)
		if p.Code != tc.code || p.Fix == "" || p.Title == "" {
			t.Errorf("%s: %+v, want code %s with a title and a fix", tc.name, p, tc.code)
		}
		text := p.Title + " " + p.Message + " " + p.Fix
		for _, s := range tc.says {
			if !strings.Contains(text, s) {
				t.Errorf("%s: %q does not say %q", tc.name, text, s)
			}
		}
		if tc.name != "timeout" && strings.Contains(text, "did not answer") {
			t.Errorf("%s is worded as no answer: %q", tc.name, text)
		}
		if other, dup := seen[p.Message]; dup {
			t.Errorf("%s and %s read the same: %q", tc.name, other, p.Message)
		}
		seen[p.Message] = tc.name
	}
}

func TestRecheckBackoff(t *testing.T) {
	every := time.Hour
	for streak, want := range map[int]time.Duration{0: time.Minute, 1: time.Minute, 2: 2 * time.Minute, 3: 5 * time.Minute, 9: 5 * time.Minute} {
		if got := recheckDelay(streak, every); got != want {
			t.Errorf("after %d failed checks: %s, want %s", streak, got, want)
		}
	}
	if got := recheckDelay(3, 90*time.Second); got != 90*time.Second {
		t.Errorf("a recheck waits longer than the regular interval: %s", got)
	}
}

// Problems only an admin's action fixes wait for the regular check; a
// Salesforce outage is looked at again soon.
func TestWhatIsRecheckedSoon(t *testing.T) {
	for _, tc := range []struct {
		p    crossview.HealthProblem
		soon bool
	}{
		{crossview.HealthProblem{Code: ProblemUnavailable}, true},
		{crossview.HealthProblem{Code: ProblemSidebarFields}, false},
		{crossview.HealthProblem{Code: ProblemAPILimitLow}, false},
		{crossview.HealthProblem{Code: "ticket_sync_display_fields_missing", Feature: crossview.FeatureTicketSync}, false},
		{crossview.HealthProblem{Code: "sync_trigger_deleted", Feature: crossview.FeatureTicketSync}, false},
	} {
		if got := soonAgain(crossview.Health{Problems: []crossview.HealthProblem{tc.p}}); got != tc.soon {
			t.Errorf("%s: rechecked soon = %v, want %v", tc.p.Code, got, tc.soon)
		}
	}
}
