package salesforce

import (
	"errors"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// transientCodes are error codes that go away by themselves: the org is
// busy, a row is locked by someone else's transaction, the allowance is
// spent until it refills.
var transientCodes = map[string]bool{
	"REQUEST_LIMIT_EXCEEDED": true,
	"UNABLE_TO_LOCK_ROW":     true,
	"SERVER_UNAVAILABLE":     true,
	"UNKNOWN_EXCEPTION":      true,
	"QUERY_TIMEOUT":          true,
	// PROCESSING_HALTED only says another subrequest failed; alone it
	// names no cause, so it is not worth a dead letter.
	"PROCESSING_HALTED": true,
}

// permanentCodes are the refusals that repeat until someone changes the
// data, the mapping or the org (the REST API's StatusCode values).
var permanentCodes = map[string]bool{
	"REQUIRED_FIELD_MISSING":                        true,
	"FIELD_CUSTOM_VALIDATION_EXCEPTION":             true,
	"FIELD_FILTER_VALIDATION_EXCEPTION":             true,
	"FIELD_INTEGRITY_EXCEPTION":                     true,
	"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST":       true,
	"STRING_TOO_LONG":                               true,
	"NUMBER_OUTSIDE_VALID_RANGE":                    true,
	"INVALID_EMAIL_ADDRESS":                         true,
	"INVALID_FIELD":                                 true,
	"INVALID_FIELD_FOR_INSERT_UPDATE":               true,
	"INVALID_TYPE":                                  true,
	"INVALID_TYPE_ON_FIELD_IN_RECORD":               true,
	"INVALID_CROSS_REFERENCE_KEY":                   true,
	"INVALID_ID_FIELD":                              true,
	"MALFORMED_ID":                                  true,
	"ENTITY_IS_DELETED":                             true,
	"DUPLICATE_VALUE":                               true,
	"DUPLICATE_EXTERNAL_ID":                         true,
	"DUPLICATES_DETECTED":                           true,
	"INSUFFICIENT_ACCESS_OR_READONLY":               true,
	"INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": true,
	"CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY":          true,
	"STORAGE_LIMIT_EXCEEDED":                        true,
	"JSON_PARSER_ERROR":                             true,
	"MALFORMED_QUERY":                               true,
	"INVALID_API_INPUT":                             true,
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
	case transientCodes[e.Code]:
		return false
	case permanentCodes[e.Code]:
		return true
	case e.Status >= 500, e.Status == http.StatusUnauthorized,
		e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooManyRequests:
		return false
	}
	// Any other refusal (4xx) names a problem with the request itself.
	return e.Status >= 400
}
