package zendesk

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseError: every answer gives an *APIError with its status; the
// documented shapes read back exactly; anything else gives a short
// one-line description, valid UTF-8 whatever the body's bytes.
func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`{"error":"RecordNotFound","description":"Not found"}`,
		`{"error":"RecordInvalid","description":"Record validation errors","details":{"base":[{"description":"Status: closed is not valid"}]}}`,
		`{"errors":[{"code":"TooManyRequests","title":"Too many requests to update"}]}`,
		`{"error":{"title":"Forbidden","message":"You do not have access"}}`,
		`{"error":"unavailable","description":"Sorry, we could not complete your search query."}`,
		"Couldn't authenticate you", "<html>502</html>", "", "{", "[1]", `{"error":5}`,
		"x" + strings.Repeat("ß", 120),
	} {
		f.Add(404, "application/json; charset=utf-8", []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		e := parseError(status, contentType, body)
		if e == nil || e.Status != status || e.RetryAfter != 0 {
			t.Fatalf("parseError(%d) = %+v", status, e)
		}
		var doc struct {
			Error       *string          `json:"error"`
			Description string           `json:"description"`
			Details     *json.RawMessage `json:"details"`
			Errors      []struct{ Code, Title, Detail string }
		}
		if json.Unmarshal(body, &doc) == nil {
			switch {
			case len(doc.Errors) > 0 && doc.Errors[0].Title != "":
				if e.Code != doc.Errors[0].Code || e.Description != doc.Errors[0].Title {
					t.Fatalf("errors[] body read as %+v", e)
				}
				return
			case doc.Error != nil && doc.Details == nil && len(doc.Errors) == 0:
				if e.Code != *doc.Error || e.Description != doc.Description {
					t.Fatalf("error/description body read as %+v", e)
				}
				return
			}
		}
		if e.Code == "" {
			if strings.ContainsAny(e.Description, "\n\r\t") || len(e.Description) > 200+len("…") {
				t.Fatalf("description %q is not one short line", e.Description)
			}
			if !utf8.ValidString(e.Description) {
				t.Fatalf("description %q is not UTF-8", e.Description)
			}
		}
	})
}

// FuzzRetryAfter: a wait is never negative or longer than maxRetryAfter;
// whole seconds and HTTP dates mean what they say within that.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, s := range []string{"493", "0", "60", " 7 ", "-5", "1.5", "99999999999999", "9223372036854775807",
		"Mon, 02 Mar 2026 10:01:00 GMT", "Mon, 02 Mar 2026 09:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "soon", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := retryAfter(v, now)
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("retryAfter(%q) = %v", v, d)
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
			if want := min(time.Duration(n), maxRetryAfter/time.Second) * time.Second; d != want {
				t.Fatalf("retryAfter(%q) = %v, want %v", v, d, want)
			}
		}
		if at, err := http.ParseTime(strings.TrimSpace(v)); err == nil {
			if want := min(max(at.Sub(now), 0), maxRetryAfter); d != want {
				t.Fatalf("retryAfter(%q) = %v, want %v", v, d, want)
			}
		}
	})
}

// FuzzRateLimitRemaining: a header is read only as a whole non-negative
// count, and a count reads back from its decimal form.
func FuzzRateLimitRemaining(f *testing.F) {
	for _, s := range []string{"699", "0", "-1", "+5", " 7", "1e3", "99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, ok := rateLimitRemaining(v)
		if !ok {
			return
		}
		if n < 0 || strings.TrimLeft(strings.TrimSpace(v), "0") != strings.TrimLeft(strconv.Itoa(n), "0") {
			t.Fatalf("rateLimitRemaining(%q) = %d", v, n)
		}
		if back, ok := rateLimitRemaining(strconv.Itoa(n)); !ok || back != n {
			t.Fatalf("round trip %d → %d", n, back)
		}
	})
}

// Found by FuzzRetryAfter and FuzzRateLimitRemaining (and, for the cut
// character, FuzzParseAPIError in the Salesforce client): huge Retry-After
// values overflowed into a negative or years-long hold, past dates gave a
// negative wait, signed counts were taken as readings, and error bodies
// passed broken bytes on (or cut a long one inside a character).
func TestHeaderAndErrorEdges(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"9223372036854775807":           maxRetryAfter,
		"99999999999999":                maxRetryAfter,
		"Mon, 02 Mar 2026 09:00:00 GMT": 0,
		"Fri, 31 Dec 9999 23:59:59 GMT": maxRetryAfter,
		"493":                           493 * time.Second,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
	for _, v := range []string{"-1", "+5", "1e3"} {
		if n, ok := rateLimitRemaining(v); ok {
			t.Errorf("rateLimitRemaining(%q) = %d", v, n)
		}
	}
	for _, body := range []string{"x" + strings.Repeat("ß", 120), "\xe8 broken"} {
		if d := parseError(502, "text/html", []byte(body)).Description; !utf8.ValidString(d) {
			t.Errorf("description %q is not UTF-8", d)
		}
	}
}
