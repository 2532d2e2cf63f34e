package salesforce

import "strings"

// Quote returns s as a SOQL string literal. Salesforce requires a backslash
// before ' and \ and accepts the escapes \n \r \t \b \f \"; nothing else may
// follow a backslash, so every other character goes through unchanged.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// QuoteLike is Quote for the right side of LIKE, where _ and % are
// wildcards unless escaped.
func QuoteLike(s string) string {
	q := Quote(s)
	inner := q[1 : len(q)-1]
	inner = strings.NewReplacer("_", `\_`, "%", `\%`).Replace(inner)
	return "'" + inner + "'"
}
