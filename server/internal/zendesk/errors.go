package zendesk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is an error answer from the Zendesk API.
type APIError struct {
	Status int
	// Code is Zendesk's error name (RecordNotFound, RecordInvalid,
	// TooManyRequests...) or empty for text/plain answers.
	Code        string
	Description string
	// RetryAfter is set on 429 answers.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("zendesk: HTTP %d", e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsUnauthorized reports whether err means the credential was refused.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsForbidden reports whether err means the credential lacks permission.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsRateLimited reports whether err is a 429 answer (or a call held back
// because of an earlier one).
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// RetryAfter is how long a rate-limited err asks callers to wait (0 when
// err is not a 429 or named no wait).
func RetryAfter(err error) time.Duration {
	var e *APIError
	if errors.As(err, &e) && e.Status == http.StatusTooManyRequests {
		return e.RetryAfter
	}
	return 0
}

func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// parseError reads whichever error shape Zendesk used.
func parseError(status int, contentType string, body []byte) *APIError {
	e := &APIError{Status: status}
	if strings.Contains(contentType, "json") || (len(body) > 0 && (body[0] == '{' || body[0] == '[')) {
		if decodeErrorJSON(body, e) {
			return e
		}
	}
	e.Description = snippet(body)
	if e.Description == "" {
		e.Description = http.StatusText(status)
	}
	return e
}

func decodeErrorJSON(body []byte, e *APIError) bool {
	var raw struct {
		Error       json.RawMessage            `json:"error"`
		Description string                     `json:"description"`
		Details     map[string]json.RawMessage `json:"details"`
		Errors      []struct {
			Code   string `json:"code"`
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return false
	}
	switch {
	case len(raw.Errors) > 0: // {"errors":[{"code","title"}]}
		e.Code, e.Description = raw.Errors[0].Code, raw.Errors[0].Title
		if e.Description == "" {
			e.Description = raw.Errors[0].Detail
		}
		return true
	case len(raw.Error) > 0 && raw.Error[0] == '"': // {"error":"X","description":"Y"}
		var code string
		_ = json.Unmarshal(raw.Error, &code)
		e.Code, e.Description = code, raw.Description
		if d := detailText(raw.Details); d != "" {
			e.Description = strings.TrimSpace(e.Description + " " + d)
		}
		return true
	case len(raw.Error) > 0 && raw.Error[0] == '{': // {"error":{"title","message"}}
		var obj struct{ Title, Message string }
		_ = json.Unmarshal(raw.Error, &obj)
		e.Code, e.Description = obj.Title, obj.Message
		return true
	}
	return false
}

// detailText flattens RecordInvalid details ({"status":[{"description":..}]}).
func detailText(details map[string]json.RawMessage) string {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		var items []struct {
			Description string `json:"description"`
		}
		if json.Unmarshal(details[k], &items) == nil {
			for _, it := range items {
				parts = append(parts, it.Description)
			}
		}
	}
	return strings.Join(parts, "; ")
}

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
