package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

func TestIsPermanent(t *testing.T) {
	api := func(status int, code string) error {
		return fmt.Errorf("writing: %w", &salesforce.APIError{Status: status, Code: code, Message: "m", Subrequest: "case"})
	}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{api(400, "REQUIRED_FIELD_MISSING"), true},
		{api(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION"), true},
		{api(400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"), true},
		{api(400, "STRING_TOO_LONG"), true},
		{api(400, "INVALID_FIELD"), true},
		{api(400, "INVALID_CROSS_REFERENCE_KEY"), true},
		{api(400, "ENTITY_IS_DELETED"), true},
		{api(400, "DUPLICATE_VALUE"), true},
		{api(400, "MALFORMED_ID"), true},
		{api(400, "INVALID_TYPE"), true},
		{api(400, "SOME_FUTURE_REFUSAL"), true},
		{api(403, "INSUFFICIENT_ACCESS_OR_READONLY"), true},
		{api(403, "REQUEST_LIMIT_EXCEEDED"), false},
		{salesforce.ErrLimitReserve, false},
		{api(400, "UNABLE_TO_LOCK_ROW"), false},
		{api(400, "PROCESSING_HALTED"), false},
		{api(500, "UNKNOWN_EXCEPTION"), false},
		{api(503, "SERVER_UNAVAILABLE"), false},
		{api(502, ""), false},
		{api(401, "INVALID_SESSION_ID"), false},
		{&salesforce.OAuthError{Status: 400, Code: "invalid_grant"}, false},
		{context.DeadlineExceeded, false},
		{errors.New("connection reset by peer"), false},
		{crossview.Errorf(crossview.EINVALID, "the marker is not a number"), true},
	} {
		if got := salesforce.IsPermanent(tc.err); got != tc.want {
			t.Errorf("IsPermanent(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestWriteTransientFailuresAreNotPermanent(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusBadGateway} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			f := newSyncFixture(t, syncSpec{})
			f.org.SetFailure(status)
			_, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: ticket(1)})
			if err == nil || salesforce.IsPermanent(err) {
				t.Errorf("Write during a %d = %v; want a transient error", status, err)
			}
		})
	}
	f := newSyncFixture(t, syncSpec{})
	f.org.SetAPIUsage(15000, 15000)
	_, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: ticket(1)})
	if !salesforce.IsRateLimited(err) || salesforce.IsPermanent(err) {
		t.Errorf("Write with the allowance spent = %v; want rate limited, not permanent", err)
	}
}
