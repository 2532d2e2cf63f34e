package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// Each failure from Zendesk or Salesforce means what the sync does next,
// and keeps the system's own words for the admin.
func TestClassifySyncError(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("salesforce: POST /composite: %w", err) }
	for _, tc := range []struct {
		name    string
		err     error
		kind    ticketsync.FailureKind
		message string
		wait    time.Duration
	}{
		{"validation rule", wrap(&salesforce.APIError{Status: 400, Code: "FIELD_CUSTOM_VALIDATION_EXCEPTION", Message: "Subjects may not shout.", Fields: []string{"Subject"}}),
			ticketsync.Permanent, "FIELD_CUSTOM_VALIDATION_EXCEPTION on [Subject]: Subjects may not shout.", 0},
		{"restricted picklist", &salesforce.APIError{Status: 400, Code: "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", Message: "Status: bad value for restricted picklist field: Gone"},
			ticketsync.Permanent, "bad value for restricted picklist field: Gone", 0},
		{"locked row", &salesforce.APIError{Status: 400, Code: "UNABLE_TO_LOCK_ROW", Message: "unable to obtain exclusive access to this record"},
			ticketsync.Transient, "UNABLE_TO_LOCK_ROW", 0},
		{"Salesforce 503", &salesforce.APIError{Status: 503, Message: "Service Unavailable"}, ticketsync.Transient, "HTTP 503", 0},
		{"daily limit", &salesforce.APIError{Status: 403, Code: "REQUEST_LIMIT_EXCEEDED", Message: "TotalRequests Limit exceeded."},
			ticketsync.RateLimited, "REQUEST_LIMIT_EXCEEDED", 5 * time.Minute},
		{"revoked grant", wrap(&salesforce.OAuthError{Status: 400, Code: "invalid_grant", Description: "expired access/refresh token"}),
			ticketsync.Unauthorized, "reconnect the org", 0},
		{"token endpoint down", &salesforce.OAuthError{Status: 503, Code: "http_503"}, ticketsync.Transient, "", 0},
		{"Salesforce timeout", &salesforce.TimeoutError{After: 10 * time.Second, Err: context.DeadlineExceeded}, ticketsync.Transient, "did not answer in time", 0},
		{"ticket deleted", zendesk.UserError(&zendesk.APIError{Status: 404, Code: "RecordNotFound", Description: "Not found"}), ticketsync.Gone, "HTTP 404", 0},
		{"Zendesk 429", zendesk.UserError(&zendesk.APIError{Status: 429, RetryAfter: 42 * time.Second}), ticketsync.RateLimited, "HTTP 429", 42 * time.Second},
		{"Zendesk credential refused", zendesk.UserError(&zendesk.APIError{Status: 401, Description: "Couldn't authenticate you"}), ticketsync.Unauthorized, "credential", 0},
		{"Zendesk 502", zendesk.UserError(&zendesk.APIError{Status: 502}), ticketsync.Transient, "HTTP 502", 0},
		{"Zendesk timeout", zendesk.UserError(fmt.Errorf("zendesk: GET: %w", context.DeadlineExceeded)), ticketsync.Transient, "Zendesk did not answer in time", 0},
		{"network", errors.New("dial tcp 10.0.0.1:443: connect: connection refused"), ticketsync.Transient, "connection refused", 0},
	} {
		f := classifySyncError(tc.err)
		if f.Kind != tc.kind || !strings.Contains(f.Message, tc.message) || f.RetryAfter != tc.wait {
			t.Errorf("%s: %+v, want kind %d with %q and wait %s", tc.name, f, tc.kind, tc.message, tc.wait)
		}
	}
}
