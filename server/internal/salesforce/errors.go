package salesforce

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is an error answer from the REST API. Salesforce sends a JSON
// array of {message, errorCode, fields}; the first entry names the problem.
type APIError struct {
	Status  int
	Code    string // e.g. INVALID_SESSION_ID, REQUEST_LIMIT_EXCEEDED, MALFORMED_QUERY
	Message string
	Fields  []string
	// Subrequest names the composite subrequest or collection record that
	// failed ("case", "comment3", "Case acme:101"); empty for a plain call.
	Subrequest string
}

func (e *APIError) Error() string {
	where := ""
	if e.Subrequest != "" {
		where = " (" + e.Subrequest + ")"
	}
	if e.Code == "" {
		return fmt.Sprintf("salesforce: HTTP %d%s: %s", e.Status, where, e.Message)
	}
	return fmt.Sprintf("salesforce: HTTP %d %s%s: %s", e.Status, e.Code, where, e.Message)
}

// OAuthError is an error answer from the OAuth token or revoke endpoint.
type OAuthError struct {
	Status      int
	Code        string // e.g. invalid_grant, invalid_client_id
	Description string
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("salesforce oauth: HTTP %d %s: %s", e.Status, e.Code, e.Description)
}

// TimeoutError is a call Salesforce did not answer within its time limit.
type TimeoutError struct {
	// After is the time the call was given.
	After time.Duration
	Err   error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("salesforce: no answer within %s: %v", e.After, e.Err)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// ErrLimitReserve is returned without calling Salesforce when the org's
// last reported API usage has reached its daily allowance.
var ErrLimitReserve = errors.New("salesforce: the org's daily API allowance is used up")

// IsSessionExpired reports whether err means the access token is no longer
// accepted.
func IsSessionExpired(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusUnauthorized
}

// IsRevoked reports whether err means the refresh token no longer works, so
// only a new sign-in can restore the connection.
func IsRevoked(err error) bool {
	var e *OAuthError
	return errors.As(err, &e) && e.Code == "invalid_grant"
}

// IsRateLimited reports whether err means the org's API allowance is used up.
func IsRateLimited(err error) bool {
	if errors.Is(err, ErrLimitReserve) {
		return true
	}
	var e *APIError
	return errors.As(err, &e) && e.Code == "REQUEST_LIMIT_EXCEEDED"
}

// parseAPIError builds an APIError from a non-2xx response body. Bodies that
// are not the documented JSON array (a proxy's HTML page, plain text) still
// give a useful, bounded message.
func parseAPIError(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var arr []struct {
		Message   string   `json:"message"`
		ErrorCode string   `json:"errorCode"`
		Fields    []string `json:"fields"`
	}
	if json.Unmarshal(body, &arr) == nil && len(arr) > 0 {
		e.Code, e.Message, e.Fields = arr[0].ErrorCode, arr[0].Message, arr[0].Fields
		return e
	}
	// Some endpoints (identity, auth failures) answer a single object.
	var obj struct {
		Message   string `json:"message"`
		ErrorCode string `json:"errorCode"`
		Error     string `json:"error"`
		Desc      string `json:"error_description"`
	}
	if json.Unmarshal(body, &obj) == nil && (obj.ErrorCode != "" || obj.Error != "") {
		e.Code, e.Message = obj.ErrorCode, obj.Message
		if e.Code == "" {
			e.Code, e.Message = obj.Error, obj.Desc
		}
		return e
	}
	e.Message = snippet(body)
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

func parseOAuthError(status int, body []byte) *OAuthError {
	e := &OAuthError{Status: status}
	var obj struct {
		Error string `json:"error"`
		Desc  string `json:"error_description"`
	}
	if json.Unmarshal(body, &obj) == nil && obj.Error != "" {
		e.Code, e.Description = obj.Error, obj.Desc
		return e
	}
	e.Code, e.Description = "http_"+fmt.Sprint(status), snippet(body)
	return e
}

// snippet keeps error messages short and on one line.
func snippet(b []byte) string {
	// Pages show it: broken bytes become U+FFFD, runs of space one space.
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if len(s) > 200 {
		cut := 200
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut-- // never split a character
		}
		s = s[:cut] + "…"
	}
	return s
}
