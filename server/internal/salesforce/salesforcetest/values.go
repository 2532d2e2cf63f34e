package salesforcetest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// writeSource says where field values come from: Go seed code or a JSON body.
type writeSource int

const (
	fromSeed writeSource = iota
	fromJSON
)

// coerce turns an input value into the stored form of f: string, bool,
// int64, float64 or time.Time (UTC; dates at midnight). nil means null.
func coerce(f *field, v any, src writeSource) (any, *apiError) {
	if v == nil {
		return nil, nil
	}
	bad := func() *apiError { return typeMismatch(f, v) }
	switch {
	case f.typ.textual() || f.typ.idLike():
		s, ok := v.(string)
		if !ok {
			return nil, bad()
		}
		return coerceText(f, s)
	case f.typ == typeBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, bad()
		}
		return b, nil
	case f.typ.numeric():
		n, ok := number(v)
		if !ok {
			return nil, bad()
		}
		if f.typ == typeInt {
			if n != math.Trunc(n) || math.Abs(n) > math.MaxInt32 {
				return nil, bad()
			}
			return int64(n), nil
		}
		return n, nil
	case f.typ.temporal():
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			if src == fromJSON {
				return nil, bad()
			}
			t = x
		case string:
			var ok bool
			if t, ok = parseTemporal(f.typ, x); !ok {
				return nil, bad()
			}
		default:
			return nil, bad()
		}
		t = t.UTC()
		if f.typ == typeDate {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
		}
		return t.Truncate(time.Millisecond), nil
	}
	return nil, bad()
}

func coerceText(f *field, s string) (any, *apiError) {
	if f.typ.idLike() {
		if s == "" {
			return nil, nil
		}
		id := normalizeID(s)
		if id == "" {
			return nil, newAPIError(http.StatusBadRequest, "MALFORMED_ID",
				"%s: id value of incorrect type: %s", f.label, s).withFields(f.name)
		}
		return id, nil
	}
	if s == "" {
		return nil, nil // Salesforce stores empty text as null
	}
	if n := utf8.RuneCountInString(s); n > f.maxLen() {
		return nil, newAPIError(http.StatusBadRequest, "STRING_TOO_LONG",
			"%s: data value too large: %s (max length=%d)", f.label, truncate(s, 40), f.maxLen()).withFields(f.name)
	}
	if f.typ == typeEmail && !plausibleEmail(s) {
		return nil, newAPIError(http.StatusBadRequest, "INVALID_EMAIL_ADDRESS",
			"%s: invalid email address: %s", f.label, s).withFields(f.name)
	}
	return s, nil
}

// number accepts JSON numbers and Go numeric seeds.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int32:
		return float64(x), true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// parseTemporal reads the date and date-time forms Salesforce accepts.
func parseTemporal(t fieldType, s string) (time.Time, bool) {
	if t == typeDate {
		d, err := time.Parse(dateLayout, s)
		return d, err == nil
	}
	for _, layout := range []string{dateTimeLayout, "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if d, err := time.Parse(layout, s); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// typeMismatch is the error Salesforce's JSON reader gives for a value of
// the wrong JSON type.
func typeMismatch(f *field, v any) *apiError {
	token, text := "VALUE_STRING", fmt.Sprint(v)
	switch x := v.(type) {
	case bool:
		token = "VALUE_FALSE"
		if x {
			token = "VALUE_TRUE"
		}
	case json.Number:
		token = "VALUE_NUMBER_INT"
		if strings.ContainsAny(x.String(), ".eE") {
			token = "VALUE_NUMBER_FLOAT"
		}
	case float64, float32, int, int32, int64:
		token = "VALUE_NUMBER_FLOAT"
	case map[string]any:
		token, text = "START_OBJECT", "{"
	case []any:
		token, text = "START_ARRAY", "["
	}
	name := string(f.typ)
	switch {
	case f.typ.textual() || f.typ.idLike():
		name = "string"
	case f.typ == typeCurrency:
		name = "double"
	}
	return errBadBody("Cannot deserialize instance of %s from %s value %s or request may be missing a required field", name, token, text)
}

func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.ContainsAny(s, " \t\r\n,;<>") &&
		!strings.Contains(domain, "@") && strings.Contains(domain, ".") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "..."
}
