package zendesktest

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// term is one part of a search query: a keyword comparison such as
// status<solved, or free text (key "").
type term struct {
	key, op, value string
	// quoted values are exact: a * in them is a character, not a wildcard.
	quoted bool
}

// parseQuery splits a Zendesk search query into terms. Double quotes group
// words, in free text and in values (organization:"MD Photo").
func parseQuery(q string) []term {
	var terms []term
	for _, tok := range tokenize(q) {
		terms = append(terms, parseTerm(tok))
	}
	return terms
}

func tokenize(q string) []string {
	var toks []string
	var b strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			b.WriteRune(r)
		case unicode.IsSpace(r) && !quoted:
			if b.Len() > 0 {
				toks = append(toks, b.String())
				b.Reset()
			}
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() > 0 {
		toks = append(toks, b.String())
	}
	return toks
}

func parseTerm(tok string) term {
	i := strings.IndexAny(tok, ":<>")
	if i <= 0 || strings.Contains(tok[:i], `"`) || !isKeyword(tok[:i]) {
		return term{value: strings.ToLower(strings.Trim(tok, `"`))}
	}
	key, rest := strings.ToLower(tok[:i]), tok[i:]
	op := rest[:1]
	if strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, ">=") {
		op = rest[:2]
	}
	raw := rest[len(op):]
	return term{key: key, op: op, value: strings.Trim(raw, `"`), quoted: strings.HasPrefix(raw, `"`)}
}

func isKeyword(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return false
		}
	}
	return true
}

// compare applies op to the result of a three-way comparison.
func compare(op string, c int) bool {
	switch op {
	case ":":
		return c == 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	case ">=":
		return c >= 0
	}
	return false
}

// compareTime compares at with a date (a whole day) or an RFC 3339 time.
func compareTime(op string, at time.Time, value string) bool {
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return compare(op, at.Compare(t))
	}
	day, err := time.Parse("2006-01-02", value)
	if err != nil {
		return false
	}
	switch {
	case at.Before(day):
		return compare(op, -1)
	case at.Before(day.Add(24 * time.Hour)):
		return compare(op, 0)
	}
	return compare(op, 1)
}

// matchID reports whether value names id (decimal) or, via byName, the
// record with that name or email; "none" matches no record.
func matchID(id int64, value string, byName func(int64) string) bool {
	return matchIDAny(id, term{value: value, quoted: true}, func(id int64) []string { return []string{byName(id)} })
}

// matchIDAny is matchID for a record known by several names: a user by
// name and every email identity, as requester: and assignee: accept. An
// unquoted value's * is a wildcard (photo*), as in Zendesk's search.
func matchIDAny(id int64, tm term, names func(int64) []string) bool {
	if strings.EqualFold(tm.value, "none") {
		return id == 0
	}
	if n, err := strconv.ParseInt(tm.value, 10, 64); err == nil {
		return id == n
	}
	if id == 0 {
		return false
	}
	for _, n := range names(id) {
		if n != "" && (strings.EqualFold(n, tm.value) || !tm.quoted && wildcardMatch(strings.ToLower(tm.value), strings.ToLower(n))) {
			return true
		}
	}
	return false
}

// wildcardMatch matches s against pattern, where * stands for any run of
// characters; a pattern without * never matches here.
func wildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return false
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// containsText reports whether the lowercase phrase occurs in any field.
func containsText(phrase string, fields ...string) bool {
	for _, f := range fields {
		if strings.Contains(strings.ToLower(f), phrase) {
			return true
		}
	}
	return false
}
