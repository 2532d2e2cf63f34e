package crossview

import (
	"errors"
	"fmt"
)

// Error codes a handler can surface to a user. Anything else is internal.
const (
	EINVALID      = "invalid"      // the request is malformed; 400
	EUNAUTHORIZED = "unauthorized" // identity could not be established; 401
	EFORBIDDEN    = "forbidden"    // identity is known but may not do this; 403
	ENOTFOUND     = "not_found"    // 404
	ECONFLICT     = "conflict"     // 409
	ETOOLARGE     = "too_large"    // 413
	ERATELIMITED  = "rate_limited" // an upstream or we are out of allowance; 429
	EUNAVAILABLE  = "unavailable"  // an upstream is down or timed out; 503
	EINTERNAL     = "internal"     // everything else; 500, message hidden
)

// Error is an error whose Code and Message are safe to show to a user.
// Err, when set, carries the cause for logs only.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with a user-safe message and a private cause.
func Wrap(code, message string, cause error) *Error {
	return &Error{Code: code, Message: message, Err: cause}
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; internal errors get a
// generic message so nothing private leaks to a page.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Internal error."
}

// ErrNotFound is returned by stores when a record does not exist.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "Not found."}
