package salesforce

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseAPIError: any answer body gives an *APIError with the status
// kept and a message; a documented [{message,errorCode}] body reads back
// exactly; anything else gives a short one-line message that is valid
// UTF-8 when the body is.
func FuzzParseAPIError(f *testing.F) {
	for _, s := range []string{
		`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`,
		`[{"message":"No such column 'Bogus__c'","errorCode":"INVALID_FIELD","fields":["Bogus__c"]}]`,
		`{"error":"invalid_grant","error_description":"expired access/refresh token"}`,
		`{"message":"x","errorCode":"NOT_FOUND"}`,
		`<html><body>502 Bad Gateway</body></html>`,
		strings.Repeat("é", 150),
		"x" + strings.Repeat("é", 150),
		"", "[]", "null", `[{}]`,
	} {
		f.Add(401, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseAPIError(status, body)
		if e == nil || e.Status != status {
			t.Fatalf("parseAPIError(%d) = %+v", status, e)
		}
		var arr []struct {
			Message   string `json:"message"`
			ErrorCode string `json:"errorCode"`
		}
		if json.Unmarshal(body, &arr) == nil && len(arr) > 0 {
			if e.Code != arr[0].ErrorCode || e.Message != arr[0].Message {
				t.Fatalf("documented body read as %+v", e)
			}
			return
		}
		checkSnippet(t, body, e.Message, e.Code != "")
		// What parseAPIError reads, it reads the same from its own form.
		again := parseAPIError(status, mustJSON(t, []map[string]any{{"message": e.Message, "errorCode": e.Code}}))
		if again.Code != e.Code || again.Message != e.Message {
			t.Fatalf("round trip: %+v became %+v", e, again)
		}
	})
}

// FuzzParseOAuthError: the documented {"error","error_description"} body
// reads back exactly; anything else is named by its status with a short
// one-line description. The code never says invalid_grant (a revoked
// grant) unless the body does.
func FuzzParseOAuthError(f *testing.F) {
	for _, s := range []string{
		`{"error":"invalid_grant","error_description":"expired access/refresh token"}`,
		`{"error":"invalid_client","error_description":"app must be installed into org"}`,
		`invalid_grant`, `<html>503</html>`, "", `{"error":""}`, strings.Repeat("ü", 120), "x" + strings.Repeat("ü", 120),
	} {
		f.Add(400, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseOAuthError(status, body)
		if e == nil || e.Status != status || e.Code == "" {
			t.Fatalf("parseOAuthError(%d) = %+v", status, e)
		}
		var obj struct {
			Error string `json:"error"`
			Desc  string `json:"error_description"`
		}
		if json.Unmarshal(body, &obj) == nil && obj.Error != "" {
			if e.Code != obj.Error || e.Description != obj.Desc {
				t.Fatalf("documented body read as %+v", e)
			}
			return
		}
		if e.Code != fmt.Sprintf("http_%d", status) {
			t.Fatalf("undocumented body gave code %q", e.Code)
		}
		checkSnippet(t, body, e.Description, false)
	})
}

// checkSnippet holds a message made from a body that is not the
// documented JSON: one line, at most 200 bytes and an ellipsis, and
// valid UTF-8 whatever the body's bytes.
func checkSnippet(t *testing.T, body []byte, msg string, fromJSON bool) {
	t.Helper()
	if fromJSON {
		return
	}
	if strings.ContainsAny(msg, "\n\r\t") || len(msg) > 200+len("…") {
		t.Fatalf("message %q is not one short line", msg)
	}
	if !utf8.ValidString(msg) {
		t.Fatalf("message %q is not UTF-8", msg)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParseLimitInfo: a header is read only when it has a well-formed
// api-usage=used/limit with used ≥ 0 and limit > 0, and what is read
// reads back the same from its canonical form.
func FuzzParseLimitInfo(f *testing.F) {
	for _, s := range []string{
		"api-usage=10018/100000", "api-usage=5/15000; api-bursts=1/750", "api-bursts=1/750;api-usage=7/15000",
		"", "api-usage=x/1", "api-usage=1/0", "api-usage=5", "api-usage=-1/5", "api-usage=+5/10",
		"api-usage=99999999999999999999/1", "api-usage=1/2;api-usage=3/4", " api-usage = 1/2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		u, ok := parseLimitInfo(h)
		if !ok {
			if u != (Usage{}) {
				t.Fatalf("refused header gave %+v", u)
			}
			return
		}
		if u.Used < 0 || u.Limit <= 0 || !strings.Contains(h, "api-usage=") {
			t.Fatalf("parseLimitInfo(%q) = %+v", h, u)
		}
		back, ok := parseLimitInfo(fmt.Sprintf("api-usage=%d/%d", u.Used, u.Limit))
		if !ok || back != u {
			t.Fatalf("round trip: %+v became %+v", u, back)
		}
		if u.Remaining() != u.Limit-u.Used {
			t.Fatal("Remaining")
		}
	})
}

// Found by FuzzParseAPIError: a long non-JSON error body was cut in the
// middle of a character, and a body that is not UTF-8 kept its broken
// bytes; both reached the page.
func TestErrorMessageCutsWholeCharacters(t *testing.T) {
	body := []byte("x" + strings.Repeat("é", 150))
	for _, msg := range []string{parseAPIError(502, body).Message, parseOAuthError(502, body).Description} {
		if !utf8.ValidString(msg) || !strings.HasSuffix(msg, "é…") {
			t.Errorf("message %q", msg)
		}
	}
	// Found by the fuzzer too: a body that is not UTF-8 at all.
	if msg := parseAPIError(466, []byte("\xe8")).Message; msg != "\uFFFD" {
		t.Errorf("message %q, want U+FFFD", msg)
	}
}
