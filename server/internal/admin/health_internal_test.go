package admin

import (
	"errors"
	"testing"

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
