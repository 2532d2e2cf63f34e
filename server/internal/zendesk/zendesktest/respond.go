package zendesktest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// apiError is an error answer in Zendesk's {"error","description",
// "details"} shape.
type apiError struct {
	status      int
	Code        string                  `json:"error"`
	Description string                  `json:"description,omitempty"`
	Details     map[string][]fieldError `json:"details,omitempty"`
}

type fieldError struct {
	Description string `json:"description"`
	// Error is a code such as DuplicateValue, sent where Zendesk sends one.
	Error string `json:"error,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Description }

// errorList is an error answer in the newer APIs' shape (webhooks):
// {"errors":[{"code","title","detail","source"}]}.
type errorList struct {
	status int
	Errors []listedError `json:"errors"`
}

type listedError struct {
	Code   string            `json:"code"`
	Title  string            `json:"title"`
	Detail string            `json:"detail,omitempty"`
	Source map[string]string `json:"source,omitempty"`
}

func (e *errorList) Error() string { return e.Errors[0].Code + ": " + e.Errors[0].Title }

func errNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, Code: "RecordNotFound", Description: "Not found"}
}

func errInvalidEndpoint() *apiError {
	return &apiError{status: http.StatusNotFound, Code: "InvalidEndpoint", Description: "Not found"}
}

// errUnauthenticated is Zendesk's 401; it has no description.
func errUnauthenticated() *apiError {
	return &apiError{status: http.StatusUnauthorized, Code: "Couldn't authenticate you"}
}

func errForbidden() *apiError {
	return &apiError{status: http.StatusForbidden, Code: "Forbidden",
		Description: "You do not have access to this page. Please contact the account owner of this help desk for further help."}
}

func errBadRequest(code, description string) *apiError {
	return &apiError{status: http.StatusBadRequest, Code: code, Description: description}
}

func errPagination(description string) *apiError {
	return errBadRequest("InvalidPaginationParameter", description)
}

// errRecordInvalid is the 422 for field validation; details maps a field to
// its messages.
func errRecordInvalid(details map[string][]fieldError) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, Code: "RecordInvalid",
		Description: "Record validation errors", Details: details}
}

func invalidField(field, msg string) *apiError {
	return errRecordInvalid(map[string][]fieldError{field: {{Description: msg}}})
}

// writeJSON writes v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "zendesktest: encoding answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError writes err as Zendesk would: an *apiError in its own shape,
// anything else as a 500.
func writeError(w http.ResponseWriter, err error) {
	var el *errorList
	if errors.As(err, &el) {
		writeJSON(w, el.status, el)
		return
	}
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, Code: "InternalServerError",
			Description: "Something went wrong"}
	}
	writeJSON(w, ae.status, ae)
}

// writeFailure writes the answer of a SetFailure knob: JSON for 500,
// text/plain for the gateway errors, as Zendesk's edge sends them.
func writeFailure(w http.ResponseWriter, status int) {
	if status == http.StatusInternalServerError {
		writeJSON(w, status, &apiError{Code: "InternalServerError",
			Description: "Something went wrong. Please try again later."})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	msg := http.StatusText(status)
	if status == http.StatusServiceUnavailable {
		msg = "Service Unavailable: Zendesk is temporarily unavailable. Please try again later."
	}
	_, _ = io.WriteString(w, msg+"\n")
}
