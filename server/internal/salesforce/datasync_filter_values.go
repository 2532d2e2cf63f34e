package salesforce

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crossview/crossview/server/internal/crossview"
)

// fieldKind groups describe types by how SOQL compares them.
type fieldKind int

const (
	fkOther fieldKind = iota // time, base64, address, location...: not filtered here
	fkText
	fkPicklist
	fkMultiPicklist
	fkID
	fkInteger
	fkNumber
	fkBoolean
	fkDate
	fkDateTime
)

func kindOf(f *FieldDescribe) fieldKind {
	switch f.Type {
	case "string", "textarea", "email", "phone", "url", "combobox", "encryptedstring":
		return fkText
	case "picklist":
		return fkPicklist
	case "multipicklist":
		return fkMultiPicklist
	case "id", "reference":
		return fkID
	case "int", "long":
		return fkInteger
	case "double", "currency", "percent":
		return fkNumber
	case "boolean":
		return fkBoolean
	case "date":
		return fkDate
	case "datetime":
		return fkDateTime
	}
	return fkOther
}

// typeName names a field's type for messages.
func typeName(f *FieldDescribe) string {
	switch f.Type {
	case "datetime":
		return "a date/time"
	case "int", "long", "double":
		return "a number"
	case "id", "reference", "currency", "email", "encryptedstring":
		return "an " + map[string]string{"id": "id", "reference": "id (a lookup)", "currency": "amount",
			"email": "email", "encryptedstring": "encrypted text"}[f.Type]
	case "multipicklist":
		return "a multi-select picklist"
	case "textarea":
		return "a text area"
	}
	return "a " + f.Type
}

// operatorMisfit says why op does not fit a field of kind, or "".
func operatorMisfit(kind fieldKind, op string) string {
	ordered := op == "<" || op == "<=" || op == ">" || op == ">="
	like := op == "like" || op == "not like"
	list := op == "in" || op == "not in"
	switch kind {
	case fkOther:
		return "Crossview cannot filter on this type"
	case fkText:
		return ""
	case fkPicklist:
		if ordered || like {
			return "compare it with =, !=, in or not in"
		}
	case fkMultiPicklist:
		if ordered || like || list {
			return "compare it with = or != (values joined with ;)"
		}
	case fkID:
		if ordered || like {
			return "compare it with =, !=, in or not in"
		}
	case fkBoolean:
		if ordered || like || list {
			return "compare it with = or !="
		}
	default: // numbers, dates, date-times
		if like {
			return "like works on text only"
		}
	}
	return ""
}

var (
	integerRE = regexp.MustCompile(`^[+-]?[0-9]{1,18}$`)
	numberRE  = regexp.MustCompile(`^[+-]?[0-9]{1,18}(\.[0-9]{1,18})?$`)
	// dateLiteralRE is a SOQL date literal: TODAY, LAST_N_DAYS:30.
	dateLiteralRE = regexp.MustCompile(`^([A-Z_]+)(:[0-9]{1,4})?$`)
)

// dateLiterals are the SOQL date literals a filter may use; true for the
// ones that take ":n".
var dateLiterals = map[string]bool{
	"YESTERDAY": false, "TODAY": false, "TOMORROW": false,
	"LAST_WEEK": false, "THIS_WEEK": false, "NEXT_WEEK": false,
	"LAST_MONTH": false, "THIS_MONTH": false, "NEXT_MONTH": false,
	"LAST_QUARTER": false, "THIS_QUARTER": false, "NEXT_QUARTER": false,
	"LAST_YEAR": false, "THIS_YEAR": false, "NEXT_YEAR": false,
	"LAST_90_DAYS": false, "NEXT_90_DAYS": false,
	"LAST_N_DAYS": true, "NEXT_N_DAYS": true, "N_DAYS_AGO": true,
	"LAST_N_WEEKS": true, "NEXT_N_WEEKS": true, "N_WEEKS_AGO": true,
	"LAST_N_MONTHS": true, "NEXT_N_MONTHS": true, "N_MONTHS_AGO": true,
	"LAST_N_YEARS": true, "NEXT_N_YEARS": true, "N_YEARS_AGO": true,
}

// literal types one value for field f; false means a problem was noted.
func (k *filterCompiler) literal(f *FieldDescribe, kind fieldKind, c crossview.FilterCondition, v string) (string, bool) {
	bad := func(format string, args ...any) (string, bool) {
		c.Value = v
		k.fail(FilterValue, c, format, args...)
		return "", false
	}
	if strings.TrimSpace(v) == "" {
		return bad("give a value, or use is null")
	}
	if !utf8.ValidString(v) {
		return bad("the value is not valid UTF-8 text")
	}
	switch kind {
	case fkText:
		return Quote(v), true
	case fkPicklist, fkMultiPicklist:
		for _, part := range strings.Split(v, ";") {
			if !picklistHas(f, part) {
				c.Value = v
				k.fail(FilterPicklistValue, c, "%q is not a value of the %s picklist", part, f.Name)
				return "", false
			}
		}
		return Quote(v), true
	case fkID:
		id, err := crossview.ID18(v)
		if err != nil {
			return bad("%q is not a Salesforce id (15 or 18 letters and digits, the last 3 a checksum)", v)
		}
		return Quote(id), true
	case fkInteger:
		if !integerRE.MatchString(v) {
			return bad("%q is not a whole number", v)
		}
		return strings.TrimPrefix(v, "+"), true
	case fkNumber:
		if !numberRE.MatchString(v) {
			return bad("%q is not a number (digits, an optional point and decimals)", v)
		}
		return strings.TrimPrefix(v, "+"), true
	case fkBoolean:
		if b := strings.ToLower(v); b == "true" || b == "false" {
			return b, true
		}
		return bad("%q is not true or false", v)
	}
	return k.temporal(kind, v, bad)
}

// temporal types a date (2026-03-02) or date-time (2026-03-02T09:30:00Z,
// any offset, whole seconds) value, or a date literal.
func (k *filterCompiler) temporal(kind fieldKind, v string, bad func(string, ...any) (string, bool)) (string, bool) {
	if lit, ok := dateLiteral(v); ok {
		return lit, true
	}
	if kind == fkDate {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return bad("%q is not a date (YYYY-MM-DD) or a date literal such as LAST_N_DAYS:30", v)
		}
		return t.Format("2006-01-02"), true
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	switch {
	case err != nil:
		return bad("%q is not a date and time (YYYY-MM-DDThh:mm:ssZ) or a date literal such as LAST_N_DAYS:30", v)
	case t.Nanosecond() != 0:
		return bad("%q has fractions of a second; Salesforce compares whole seconds", v)
	}
	return soqlDateTime(t), true
}

// dateLiteral recognises TODAY or LAST_N_DAYS:30 in any case.
func dateLiteral(v string) (string, bool) {
	up := strings.ToUpper(strings.TrimSpace(v))
	m := dateLiteralRE.FindStringSubmatch(up)
	if m == nil {
		return "", false
	}
	takesN, known := dateLiterals[m[1]]
	if !known || takesN != (m[2] != "") {
		return "", false
	}
	return up, true
}

// picklistHas reports whether v is one of the picklist's values, active or
// not (records may still hold an inactive one); SOQL compares them
// without case.
func picklistHas(f *FieldDescribe, v string) bool {
	if f.Type == "combobox" {
		return true
	}
	for _, p := range f.PicklistValues {
		if strings.EqualFold(p.Value, v) {
			return true
		}
	}
	return false
}
