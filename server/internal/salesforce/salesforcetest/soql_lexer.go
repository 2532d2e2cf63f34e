package salesforcetest

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// tokKind classifies SOQL tokens.
type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString // text holds the raw content between the quotes
	tokNumber
	tokDate
	tokDateTime
	tokOp // = != <> < <= > >=
	tokLParen
	tokRParen
	tokComma
	tokDot
	tokColon
)

// token is one lexeme with its byte offset in the query.
type token struct {
	kind tokKind
	text string
	pos  int
}

// display is how error messages name the token.
func (t token) display() string {
	switch t.kind {
	case tokEOF:
		return "<EOF>"
	case tokString:
		return "'" + t.text + "'"
	}
	return t.text
}

// is reports whether t is the keyword kw (keywords ignore case).
func (t token) is(kw string) bool { return t.kind == tokIdent && strings.EqualFold(t.text, kw) }

// lex splits a query into tokens, checking string escapes as it goes.
func lex(q string) ([]token, *apiError) {
	if !utf8.ValidString(q) {
		return nil, syntaxError(q, 0, "invalid UTF-8 in query")
	}
	var toks []token
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case isLetter(c):
			j := i + 1
			for j < len(q) && (isLetter(q[j]) || isDigit(q[j]) || q[j] == '_') {
				j++
			}
			toks = append(toks, token{tokIdent, q[i:j], i})
			i = j
		case isDigit(c) || ((c == '-' || c == '+') && i+1 < len(q) && isDigit(q[i+1])):
			t, err := lexNumberOrDate(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += len(t.text)
		case c == '\'':
			t, err := lexString(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = t.pos + len(t.text) + 2
		case c == '(' || c == ')' || c == ',' || c == '.' || c == ':':
			toks = append(toks, token{punctKind(c), string(c), i})
			i++
		case c == '=':
			toks = append(toks, token{tokOp, "=", i})
			i++
		case c == '!' && i+1 < len(q) && q[i+1] == '=':
			toks = append(toks, token{tokOp, "!=", i})
			i += 2
		case c == '<' || c == '>':
			op := string(c)
			if i+1 < len(q) && (q[i+1] == '=' || (c == '<' && q[i+1] == '>')) {
				op += string(q[i+1])
			}
			toks = append(toks, token{tokOp, op, i})
			i += len(op)
		default:
			r, _ := utf8.DecodeRuneInString(q[i:])
			return nil, syntaxError(q, i, fmt.Sprintf("unexpected token: '%c'", r))
		}
	}
	return append(toks, token{tokEOF, "", len(q)}), nil
}

func punctKind(c byte) tokKind {
	switch c {
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	case ',':
		return tokComma
	case '.':
		return tokDot
	}
	return tokColon
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// lexNumberOrDate reads 42, -1.5, 2026-11-25 or 2026-11-25T10:00:00Z.
func lexNumberOrDate(q string, start int) (token, *apiError) {
	if d := matchDigits(q, start, "dddd-dd-dd"); d > 0 {
		end := start + d
		if end < len(q) && q[end] == 'T' {
			n := matchDigits(q, end, "Tdd:dd:dd")
			if n == 0 {
				return token{}, syntaxError(q, start, "unexpected token: '"+q[start:end+1]+"'")
			}
			end += n
			if end < len(q) && q[end] == '.' {
				j := end + 1
				for j < len(q) && isDigit(q[j]) {
					j++
				}
				if j == end+1 {
					return token{}, syntaxError(q, start, "unexpected token: '"+q[start:j]+"'")
				}
				end = j
			}
			switch {
			case end < len(q) && q[end] == 'Z':
				end++
			case end < len(q) && (q[end] == '+' || q[end] == '-') && matchDigits(q, end+1, "dd:dd") > 0:
				end += 6
			default:
				return token{}, syntaxError(q, start, "unexpected token: '"+q[start:end]+"'")
			}
			return token{tokDateTime, q[start:end], start}, nil
		}
		return token{tokDate, q[start:end], start}, nil
	}
	j := start + 1
	for j < len(q) && isDigit(q[j]) {
		j++
	}
	if j+1 < len(q) && q[j] == '.' && isDigit(q[j+1]) {
		j += 2
		for j < len(q) && isDigit(q[j]) {
			j++
		}
	}
	return token{tokNumber, q[start:j], start}, nil
}

// matchDigits matches pattern at q[i:], where 'd' is any digit and every
// other byte stands for itself; it returns the length or 0.
func matchDigits(q string, i int, pattern string) int {
	if i+len(pattern) > len(q) {
		return 0
	}
	for k := 0; k < len(pattern); k++ {
		c := q[i+k]
		if pattern[k] == 'd' && !isDigit(c) || pattern[k] != 'd' && c != pattern[k] {
			return 0
		}
	}
	return len(pattern)
}

// lexString reads a quoted literal. Only the documented escapes are legal:
// \n \r \t \b \f \" \' \\ \uXXXX, and \_ \% (which only LIKE accepts).
func lexString(q string, start int) (token, *apiError) {
	i := start + 1
	for i < len(q) {
		switch q[i] {
		case '\'':
			return token{tokString, q[start+1 : i], start}, nil
		case '\\':
			if i+1 >= len(q) {
				i++
				continue
			}
			n := escapeLen(q[i:])
			if n == 0 {
				end := i + 2
				if end > len(q) {
					end = len(q)
				}
				return token{}, syntaxError(q, start, fmt.Sprintf(
					"Invalid string literal '%s'. Illegal character sequence '%s' in string literal.",
					literalExcerpt(q, start), q[i:end]))
			}
			i += n
		default:
			i++
		}
	}
	return token{}, syntaxError(q, start, "mismatched character '<EOF>' expecting '''")
}

// escapeLen is the length of the escape sequence at s (s[0] == '\\'), or 0.
func escapeLen(s string) int {
	switch s[1] {
	case 'n', 'r', 't', 'b', 'f', '"', '\'', '\\', '_', '%':
		return 2
	case 'u':
		if len(s) >= 6 && isHex(s[2:6]) {
			return 6
		}
	}
	return 0
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// literalExcerpt is the literal's text up to its closing quote, for messages.
func literalExcerpt(q string, start int) string {
	rest := q[start+1:]
	for i := 0; i < len(rest); i++ {
		if rest[i] == '\\' {
			i++
			continue
		}
		if rest[i] == '\'' {
			return rest[:i]
		}
	}
	return rest
}

// syntaxError is a MALFORMED_QUERY error pointing at pos.
func syntaxError(q string, pos int, text string) *apiError {
	return queryError(q, pos, "MALFORMED_QUERY", text)
}

// queryError formats an error the way Salesforce does for SOQL: the line,
// a caret under the offending column, the row and column, then the text.
func queryError(q string, pos int, code, text string) *apiError {
	if pos > len(q) {
		pos = len(q)
	}
	lineStart := strings.LastIndexByte(q[:pos], '\n') + 1
	lineEnd := strings.IndexByte(q[pos:], '\n')
	if lineEnd < 0 {
		lineEnd = len(q)
	} else {
		lineEnd += pos
	}
	row := strings.Count(q[:pos], "\n") + 1
	col := utf8.RuneCountInString(q[lineStart:pos]) + 1
	msg := fmt.Sprintf("\n%s\n%s^\nERROR at Row:%d:Column:%d\n%s",
		q[lineStart:lineEnd], strings.Repeat(" ", col-1), row, col, text)
	return newAPIError(http.StatusBadRequest, code, "%s", msg)
}
