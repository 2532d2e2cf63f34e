package salesforcetest

import (
	"net/http"
	"strings"
	"testing"
)

// TestStringEscapes runs literals through the whole engine, because what
// matters is which records a query built by a client finds.
func TestStringEscapes(t *testing.T) {
	e := newEnv(t, Options{})
	for _, last := range []string{"O'Brien", `back\slash`, "Zoë", "100%", "1000", "a_b", "axb", "tab\there"} {
		email := strings.NewReplacer("'", "", `\`, "", "%", "pct", "\t", "").Replace(strings.ToLower(last)) + "@example.com"
		if last == "O'Brien" {
			email = "o'brien@example.com"
		}
		e.mustInsert(t, "Contact", map[string]any{"LastName": last, "Email": email})
	}
	tests := []struct {
		name  string
		where string
		want  []string // LastNames found; nil when an error is expected
		code  string
		msg   string
	}{
		{name: "escaped quote", where: `Email = 'o\'brien@example.com'`, want: []string{"O'Brien"}},
		{name: "case-insensitive text", where: `Email = 'O\'BRIEN@EXAMPLE.COM'`, want: []string{"O'Brien"}},
		{name: "escaped backslash", where: `LastName = 'back\\slash'`, want: []string{`back\slash`}},
		{name: "tab escape", where: `LastName = 'tab\there'`, want: []string{"tab\there"}},
		{name: "unicode escape", where: `LastName = 'Zo\u00EB'`, want: []string{"Zoë"}},
		{name: "raw unicode", where: `LastName = 'zoë'`, want: []string{"Zoë"}},
		{name: "injection stays inside the literal", where: `Email = 'x\' OR Email != \''`, want: []string{}},
		{name: "like percent wildcard", where: `LastName LIKE '100%'`, want: []string{"100%", "1000"}},
		{name: "like escaped percent", where: `LastName LIKE '100\%'`, want: []string{"100%"}},
		{name: "like underscore wildcard", where: `LastName LIKE 'a_b'`, want: []string{"a_b", "axb"}},
		{name: "like escaped underscore", where: `LastName LIKE 'a\_b'`, want: []string{"a_b"}},
		{name: "like is case-insensitive", where: `LastName LIKE 'o\'b%'`, want: []string{"O'Brien"}},
		{name: "undocumented escape", where: `LastName = 'bad\q'`, code: "MALFORMED_QUERY",
			msg: `Illegal character sequence '\q'`},
		{name: "lone backslash before s", where: `LastName = 'back\slash'`, code: "MALFORMED_QUERY"},
		{name: "short unicode escape", where: `LastName = 'Zo\u00E'`, code: "MALFORMED_QUERY"},
		{name: "like escape outside like", where: `LastName = '100\%'`, code: "MALFORMED_QUERY"},
		{name: "unterminated", where: `LastName = 'abc`, code: "MALFORMED_QUERY", msg: "<EOF>"},
		{name: "unterminated after escaped quote", where: `LastName = 'abc\'`, code: "MALFORMED_QUERY"},
		{name: "double quotes are not strings", where: `LastName = "abc"`, code: "MALFORMED_QUERY",
			msg: `unexpected token: '"'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.soql(t, e.adminToken, "SELECT LastName FROM Contact WHERE "+tt.where+" ORDER BY LastName")
			if tt.code != "" {
				if resp.status != http.StatusBadRequest || resp.errorCode(t) != tt.code {
					t.Fatalf("got %d %s, want 400 %s", resp.status, resp.body, tt.code)
				}
				if !strings.Contains(resp.errorMessage(t), tt.msg) {
					t.Errorf("message %q does not contain %q", resp.errorMessage(t), tt.msg)
				}
				return
			}
			if resp.status != http.StatusOK {
				t.Fatalf("got %d %s", resp.status, resp.body)
			}
			got := []string{}
			for _, r := range records(t, resp.obj(t)) {
				got = append(got, r["LastName"].(string))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("found %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLexTokens(t *testing.T) {
	toks, err := lex("SELECT Id FROM Opportunity WHERE Amount >= -1.5 AND CloseDate < 2026-11-25 AND CreatedDate <> 2026-11-25T10:00:00.000+01:00")
	if err != nil {
		t.Fatalf("lex: %v", err)
	}
	var kinds []tokKind
	var texts []string
	for _, tk := range toks {
		kinds = append(kinds, tk.kind)
		texts = append(texts, tk.text)
	}
	want := "SELECT Id FROM Opportunity WHERE Amount >= -1.5 AND CloseDate < 2026-11-25 AND CreatedDate <> 2026-11-25T10:00:00.000+01:00 "
	if got := strings.Join(texts, " "); got != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if kinds[7] != tokNumber || kinds[11] != tokDate || kinds[15] != tokDateTime || kinds[16] != tokEOF {
		t.Errorf("kinds = %v", kinds)
	}
}
