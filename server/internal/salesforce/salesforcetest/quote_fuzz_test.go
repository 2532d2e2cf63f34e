package salesforcetest

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/crossview/crossview/server/internal/salesforce"
)

// FuzzQuote checks salesforce.Quote and QuoteLike against this emulator's
// SOQL lexer, which takes only the escapes Salesforce documents: the
// quoted literal is one string token that decodes to exactly the input,
// and the query around it keeps its shape, so no input can end the
// literal and add SOQL of its own. A LIKE pattern from QuoteLike matches
// the input literally, as if it had no wildcards.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{
		"", "o'brien@example.com", `back\slash`, `\'`, `' OR Name != '`, "two\nlines\t\"q\"\r\b\f",
		"100%_off", `\u0041`, "zoë", "\x00", "'", `\`, `\\'`, "a' AND Id != null AND Name = 'b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // SOQL is UTF-8; such input cannot be asked for
		}
		q := "SELECT Id FROM Contact WHERE LastName = " + salesforce.Quote(s) + " AND FirstName LIKE " + salesforce.QuoteLike(s) + " LIMIT 1"
		toks, err := lex(q)
		if err != nil {
			t.Fatalf("lex(%q): %v", q, err)
		}
		var shape []string
		for _, tk := range toks {
			if tk.kind == tokString {
				shape = append(shape, "'…'")
			} else {
				shape = append(shape, tk.text)
			}
		}
		want := "SELECT Id FROM Contact WHERE LastName = '…' AND FirstName LIKE '…' LIMIT 1 "
		if got := strings.Join(shape, " "); got != want {
			t.Fatalf("query %q lexes as %q, want %q", q, got, want)
		}
		lit, str, like := toks[7], toks[7].text, toks[11].text
		if decoded, ok := decodeString(str); !ok || decoded != s {
			t.Fatalf("Quote(%q) decodes to %q (ok %v)", s, decoded, ok)
		}
		if lit.pos != strings.Index(q, "'") {
			t.Fatalf("the literal starts at %d", lit.pos)
		}
		re, rerr := likeRegexp(like)
		if rerr != nil {
			t.Fatalf("QuoteLike(%q) pattern %q does not compile: %v", s, like, rerr)
		}
		if !re.MatchString(s) {
			t.Fatalf("QuoteLike(%q) does not match the input", s)
		}
		_, last := utf8.DecodeLastRuneInString(s)
		if re.MatchString(s+"x") || s != "" && re.MatchString(s[:len(s)-last]) {
			t.Fatalf("QuoteLike(%q) matches more than the input", s)
		}
	})
}

// Found by FuzzQuote: LIKE compared non-ASCII text byte by byte, each
// byte turned into a rune of its own, so it never matched.
func TestLikeMatchesNonASCII(t *testing.T) {
	c := newCRM(t)
	c.mustInsert(t, "Account", map[string]any{"Name": "Zoë Ltd"})
	for _, q := range []string{
		"SELECT Name FROM Account WHERE Name LIKE 'Zoë%'",
		"SELECT Name FROM Account WHERE Name LIKE 'zo_ ltd'",
		"SELECT Name FROM Account WHERE Name LIKE " + salesforce.QuoteLike("Zoë Ltd"),
	} {
		if got := c.names(t, q, "Name"); len(got) != 1 || got[0] != "Zoë Ltd" {
			t.Errorf("%s = %v, want [Zoë Ltd]", q, got)
		}
	}
}
