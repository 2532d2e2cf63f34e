package zendesk

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// normTag writes a tag as Zendesk stores it: lowercase, inner spaces as
// underscores.
func normTag(t string) string { return strings.ToLower(strings.Join(strings.Fields(t), "_")) }

// addTags returns have plus the tags of add it lacks, and whether that is
// more than have: tags are added, never removed.
func addTags(have, add []string) ([]string, bool) {
	return union(have, add, normTag)
}

// addDomains returns have plus the domain names of add it lacks.
func addDomains(have, add []string) ([]string, bool) {
	return union(have, add, lower)
}

// union appends to a copy of have every normalised value of add that
// have lacks (compared normalised), and reports whether it appended any.
func union(have, add []string, norm func(string) string) ([]string, bool) {
	out := slices.Clone(have)
	if out == nil {
		out = []string{}
	}
	known := map[string]bool{}
	for _, h := range have {
		known[norm(h)] = true
	}
	grew := false
	for _, a := range add {
		if n := norm(a); n != "" && !known[n] {
			known[n] = true
			out = append(out, n)
			grew = true
		}
	}
	return out, grew
}

// changedFields returns the custom field values of want that cur does not
// already hold, nil when none.
func changedFields(cur, want map[string]any) map[string]any {
	var out map[string]any
	for k, v := range want {
		if sameValue(cur[k], v) {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = v
	}
	return out
}

// sameValue compares a stored custom field value with one to write, as
// Zendesk would store it: numbers by value ("12" and 12 alike), a date
// by its day (Zendesk keeps "2024-05-01" as "2024-05-01T00:00:00+00:00"),
// lists ignoring order.
func sameValue(stored, want any) bool {
	a, b := canon(stored), canon(want)
	if a == b {
		return true
	}
	if len(a) > 10 && len(b) == 10 && a[4] == '-' && strings.HasPrefix(a, b) {
		return true
	}
	if len(b) > 10 && len(a) == 10 && b[4] == '-' && strings.HasPrefix(b, a) {
		return true
	}
	return false
}

// canon is a value's comparable text.
func canon(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32, int, int32, int64, uint, uint32, uint64:
		return canon(fmt.Sprint(x))
	case bool:
		return strconv.FormatBool(x)
	case []string:
		s := slices.Clone(x)
		slices.Sort(s)
		return strings.Join(s, "\x00")
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = canon(e)
		}
		slices.Sort(s)
		return strings.Join(s, "\x00")
	}
	b, _ := json.Marshal(v) // best effort: anything else compares as JSON
	return string(b)
}
