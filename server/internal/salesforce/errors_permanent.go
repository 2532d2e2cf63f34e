package salesforce

import (
	"errors"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// transientCode reports whether an error code goes away by itself: the
// org is busy, a row is locked by someone else's transaction, the
// allowance is spent until it refills. PROCESSING_HALTED only says
// another subrequest failed; alone it names no cause worth a dead letter.
func transientCode(code string) bool {
	switch code {
	case "REQUEST_LIMIT_EXCEEDED", "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "UNKNOWN_EXCEPTION",
		"QUERY_TIMEOUT", "PROCESSING_HALTED":
		return true
	}
	return false
}

// permanentCode reports whether an error code is a refusal that repeats
// until someone changes the data, the mapping or the org (the REST API's
// StatusCode values).
func permanentCode(code string) bool {
	switch code {
	case "REQUIRED_FIELD_MISSING", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "FIELD_FILTER_VALIDATION_EXCEPTION",
		"FIELD_INTEGRITY_EXCEPTION", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "STRING_TOO_LONG",
		"NUMBER_OUTSIDE_VALID_RANGE", "INVALID_EMAIL_ADDRESS", "INVALID_FIELD", "INVALID_FIELD_FOR_INSERT_UPDATE",
		"INVALID_TYPE", "INVALID_TYPE_ON_FIELD_IN_RECORD", "INVALID_CROSS_REFERENCE_KEY", "INVALID_ID_FIELD",
		"MALFORMED_ID", "ENTITY_IS_DELETED", "DUPLICATE_VALUE", "DUPLICATE_EXTERNAL_ID", "DUPLICATES_DETECTED",
		"INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
		"CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "STORAGE_LIMIT_EXCEEDED", "JSON_PARSER_ERROR",
		"MALFORMED_QUERY", "INVALID_API_INPUT":
		return true
	}
	return false
}

// IsPermanent reports whether err will come back however often the same
// write is retried: Salesforce refused the data (a validation rule, a
// required field, a restricted picklist, a deleted record...), so the
// write belongs in the dead letters with Salesforce's message until an
// admin fixes the cause. Timeouts, 5xx answers, rate limits, locked rows
// and expired or revoked sessions are not permanent: retry those, or (for
// IsRevoked) stop and wait for a reconnect.
func IsPermanent(err error) bool {
	if err == nil || IsRateLimited(err) || IsRevoked(err) {
		return false
	}
	var ce *crossview.Error
	if errors.As(err, &ce) && ce.Code == crossview.EINVALID {
		return true
	}
	var e *APIError
	if !errors.As(err, &e) {
		return false // the network, a timeout, a cancelled context
	}
	switch {
	case transientCode(e.Code):
		return false
	case permanentCode(e.Code):
		return true
	case e.Status >= 500, e.Status == http.StatusUnauthorized,
		e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests:
		return false
	}
	// Any other refusal (4xx) names a problem with the request itself.
	return e.Status >= 400
}
