package salesforcetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// A reference is @{refId.path}, where path is any sequence of .field and
// [index] steps, e.g. @{contacts.records[0].AccountId} or @{newAccount.id}.

// refAt parses a reference starting at s[i] ("@{"); it returns the
// reference id, the path and the index just past "}".
func refAt(s string, i int) (ref, path string, end int, ok bool) {
	if !strings.HasPrefix(s[i:], "@{") {
		return "", "", 0, false
	}
	j := i + 2
	start := j
	for j < len(s) && isWordByte(s[j]) {
		j++
	}
	if j == start {
		return "", "", 0, false
	}
	ref = s[start:j]
	pathStart := j
	for j < len(s) && s[j] != '}' {
		switch s[j] {
		case '.':
			k := j + 1
			for k < len(s) && isWordByte(s[k]) {
				k++
			}
			if k == j+1 {
				return "", "", 0, false
			}
			j = k
		case '[':
			k := j + 1
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			if k == j+1 || k >= len(s) || s[k] != ']' {
				return "", "", 0, false
			}
			j = k + 1
		default:
			return "", "", 0, false
		}
	}
	if j >= len(s) {
		return "", "", 0, false
	}
	return ref, s[pathStart:j], j + 1, true
}

func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// validRefID reports whether id uses only letters, digits and underscores.
func validRefID(id string) bool {
	for i := 0; i < len(id); i++ {
		if !isWordByte(id[i]) {
			return false
		}
	}
	return id != ""
}

func errBadReference(where string) *apiError {
	return newAPIError(http.StatusBadRequest, "PROCESSING_HALTED",
		"Invalid reference specified. No value for a reference in %s found. Provided referenceId might be the reference in a previous request which failed or did not return a value.", where)
}

// resolveRef walks a previous subrequest's body. Null, missing, object and
// array values cannot be substituted.
func resolveRef(refs map[string]any, ref, path string) (any, bool) {
	cur, ok := refs[ref]
	if !ok {
		return nil, false
	}
	for path != "" {
		if path[0] == '.' {
			end := strings.IndexAny(path[1:], ".[")
			if end < 0 {
				end = len(path) - 1
			}
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[path[1:end+1]]; !ok {
				return nil, false
			}
			path = path[end+1:]
			continue
		}
		end := strings.IndexByte(path, ']')
		i, err := strconv.Atoi(path[1:end])
		a, ok := cur.([]any)
		if err != nil || !ok || i >= len(a) {
			return nil, false
		}
		cur, path = a[i], path[end+1:]
	}
	switch cur.(type) {
	case string, json.Number, bool:
		return cur, true
	}
	return nil, false
}

func refText(v any) string {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return v.(string)
}

// substituteText replaces every reference in s with its value's text.
func substituteText(s string, refs map[string]any) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		ref, path, end, ok := refAt(s, i)
		if !ok {
			b.WriteByte(s[i])
			i++
			continue
		}
		v, found := resolveRef(refs, ref, path)
		if !found {
			return "", false
		}
		b.WriteString(refText(v))
		i = end
	}
	return b.String(), true
}

// substituteBody replaces references inside the JSON body's strings; a
// string that is exactly one reference takes the referenced JSON value.
func substituteBody(raw []byte, refs map[string]any) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return raw, true // the resource reports the malformed body
	}
	ok := true
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			if ref, path, end, whole := refAt(x, 0); whole && end == len(x) {
				val, found := resolveRef(refs, ref, path)
				ok = ok && found
				return val
			}
			s, found := substituteText(x, refs)
			ok = ok && found
			return s
		}
		return v
	}
	v = walk(v)
	if !ok {
		return nil, false
	}
	out, err := marshal(v)
	return out, err == nil
}

// generic turns a response body into plain maps and slices for reference
// lookups.
func generic(body any) any {
	b, err := marshal(body)
	if err != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	return v
}

// splitPath splits an escaped path into unescaped segments, so a value
// containing %2F stays one segment.
func splitPath(escaped string) ([]string, bool) {
	parts := strings.Split(escaped, "/")
	for i, p := range parts {
		s, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = s
	}
	return parts, true
}
