package salesforcetest

import (
	"fmt"
	"net/http"
)

// apiError is one REST error: the HTTP status and the single entry of the
// error array Salesforce sends as the body.
type apiError struct {
	status  int
	code    string
	message string
	// fields is rendered only when non-nil, as Salesforce omits it for
	// errors that do not concern fields.
	fields []string
}

// Error makes apiError usable as an error in Go-facing APIs such as Insert.
func (e *apiError) Error() string { return e.code + ": " + e.message }

// body is the JSON array Salesforce sends for an error.
func (e *apiError) body() []object {
	item := object{{"message", e.message}, {"errorCode", e.code}}
	if e.fields != nil {
		item = append(item, member{"fields", e.fields})
	}
	return []object{item}
}

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// withFields returns e naming the offending fields.
func (e *apiError) withFields(fields ...string) *apiError {
	e.fields = append([]string{}, fields...)
	return e
}

func errNotFound() *apiError {
	return newAPIError(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

func errInvalidSession() *apiError {
	return newAPIError(http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
}

func errLimitExceeded() *apiError {
	return newAPIError(http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
}

func errMethodNotAllowed(method, allowed string) *apiError {
	return newAPIError(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
		"HTTP Method '%s' not allowed. Allowed are %s", method, allowed)
}

func errBadBody(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "JSON_PARSER_ERROR", format, args...)
}

// errNoSuchColumn is the DML wording for an unknown field in a body.
func errNoSuchColumn(field, object string) *apiError {
	return newAPIError(http.StatusBadRequest, "INVALID_FIELD",
		"No such column '%s' on sobject of type %s", field, object).withFields()
}

// oauthError is an OAuth endpoint error: {"error":...,"error_description":...}.
type oauthError struct {
	status      int
	code        string
	description string
}

// Error describes the OAuth error.
func (e *oauthError) Error() string { return e.code + ": " + e.description }

func newOAuthError(code, description string) *oauthError {
	return &oauthError{status: http.StatusBadRequest, code: code, description: description}
}

func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	writeJSON(w, e.status, object{{"error", e.code}, {"error_description", e.description}})
}
