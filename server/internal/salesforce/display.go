package salesforce

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
)

// text renders a JSON scalar as plain text.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "Yes"
		}
		return "No"
	}
	return ""
}

// display renders a field value for people: numbers get digit grouping
// (except identifiers such as CaseNumber, which are strings anyway).
func display(v any) string {
	if n, ok := v.(json.Number); ok {
		return groupDigits(n.String())
	}
	return text(v)
}

func groupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	if strings.ContainsAny(s, "eE") {
		// Salesforce writes large doubles Java-style: 1.5E7.
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return sign + s
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	// Salesforce sends currency as 9600.0; trailing zeros say nothing.
	if frac = strings.TrimRight(frac, "0"); hasFrac && frac != "" {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// Label turns a field API name into a display label: StageName → Stage,
// CloseDate → Close Date, Account.Name → Account Name, Tier__c → Tier.
func Label(field string) string {
	switch field {
	case "StageName":
		return "Stage"
	case "Type":
		return "Type"
	}
	field = strings.TrimSuffix(field, "__c")
	field = strings.ReplaceAll(field, ".", " ")
	field = strings.ReplaceAll(field, "_", " ")
	var b strings.Builder
	rs := []rune(field)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && rs[i-1] != ' ' && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
