package salesforcetest

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// cval is a literal resolved against the field it is compared with.
type cval struct {
	null bool
	s    string // text (lower-cased) or 18-character id (lower-cased)
	b    bool
	n    float64
	t    time.Time
	rng  *dateRange // date literals stand for a span of time
}

// dateRange is [start, end).
type dateRange struct{ start, end time.Time }

func fixedDateLiteral(s string) bool {
	switch s {
	case "TODAY", "YESTERDAY", "TOMORROW", "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK",
		"THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR":
		return true
	}
	return false
}

func nDateLiteral(s string) bool {
	switch s {
	case "LAST_N_DAYS", "NEXT_N_DAYS", "N_DAYS_AGO":
		return true
	}
	return false
}

// dateLiteralRange computes the span a date literal covers at now, in the
// org's time zone (UTC here). Weeks start on Sunday (en_US).
func dateLiteralRange(name string, n int, now time.Time) dateRange {
	now = now.UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	day := func(offset int) time.Time { return today.AddDate(0, 0, offset) }
	week := today.AddDate(0, 0, -int(today.Weekday()))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	switch name {
	case "YESTERDAY":
		return dateRange{day(-1), today}
	case "TOMORROW":
		return dateRange{day(1), day(2)}
	case "THIS_WEEK":
		return dateRange{week, week.AddDate(0, 0, 7)}
	case "LAST_WEEK":
		return dateRange{week.AddDate(0, 0, -7), week}
	case "NEXT_WEEK":
		return dateRange{week.AddDate(0, 0, 7), week.AddDate(0, 0, 14)}
	case "THIS_MONTH":
		return dateRange{month, month.AddDate(0, 1, 0)}
	case "LAST_MONTH":
		return dateRange{month.AddDate(0, -1, 0), month}
	case "NEXT_MONTH":
		return dateRange{month.AddDate(0, 1, 0), month.AddDate(0, 2, 0)}
	case "THIS_YEAR":
		return dateRange{year, year.AddDate(1, 0, 0)}
	case "LAST_YEAR":
		return dateRange{year.AddDate(-1, 0, 0), year}
	case "NEXT_YEAR":
		return dateRange{year.AddDate(1, 0, 0), year.AddDate(2, 0, 0)}
	case "LAST_N_DAYS":
		// The n days before today, and today.
		return dateRange{day(-n), day(1)}
	case "NEXT_N_DAYS":
		// The n days after today, not today.
		return dateRange{day(1), day(n + 1)}
	case "N_DAYS_AGO":
		return dateRange{day(-n), day(-n + 1)}
	}
	return dateRange{today, day(1)} // TODAY
}

// decodeString resolves the escapes of a string literal's raw text. Outside
// LIKE, \_ and \% are illegal; ok is false then.
func decodeString(raw string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		switch raw[i+1] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case '"', '\'', '\\':
			b.WriteByte(raw[i+1])
		case 'u':
			r, _ := strconv.ParseUint(raw[i+2:i+6], 16, 32)
			b.WriteRune(rune(r))
			i += 4
		default: // \_ and \% belong to LIKE only
			return "", false
		}
		i++
	}
	return b.String(), true
}

// likeRegexp compiles a LIKE pattern: % is any run, _ one character, \%
// and \_ are literal; matching ignores case.
func likeRegexp(raw string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`(?is)\A`)
	lit := func(s string) { b.WriteString(regexp.QuoteMeta(s)) }
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '%':
			b.WriteString(".*")
		case c == '_':
			b.WriteString(".")
		case c == '\\' && (raw[i+1] == '%' || raw[i+1] == '_'):
			lit(raw[i+1 : i+2])
			i++
		case c == '\\':
			n := escapeLen(raw[i:])
			s, _ := decodeString(raw[i : i+n])
			lit(s)
			i += n - 1
		default: // a whole character: string(c) of one byte of ë would be Ã
			_, n := utf8.DecodeRuneInString(raw[i:])
			lit(raw[i : i+n])
			i += n - 1
		}
	}
	b.WriteString(`\z`)
	return regexp.Compile(b.String())
}
