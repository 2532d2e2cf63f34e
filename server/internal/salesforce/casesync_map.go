package salesforce

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxCommentBytes is CaseComment.CommentBody's documented limit: 4,000
// bytes (not characters).
const maxCommentBytes = 4000

// cutNote ends text Crossview had to cut, so whoever reads the Case knows
// where the rest is.
const cutNote = " […cut by Crossview: the full text is on the Zendesk ticket]"

// caseBody maps a ticket to the Case fields this connection writes, as
// the org's Case describe allows, with notes on what was cut or left out.
// The key, the marker and the related records are added by the caller.
func caseBody(s crossview.TicketSyncSettings, d *ObjectDescribe, t crossview.SyncTicket) (map[string]any, []string) {
	body := map[string]any{}
	var notes []string
	for _, m := range mappings(s) {
		f, ok := d.Field(m.target)
		if !ok || !f.Writable() {
			if !m.display {
				notes = append(notes, fmt.Sprintf("Case field %s is missing or read-only for the connected user, so %s was not written.", m.target, m.source))
			}
			continue
		}
		v, note, ok := caseValue(f, m, sourceValue(t, m.source))
		if note != "" {
			notes = append(notes, note)
		}
		if ok {
			body[f.Name] = v
		}
	}
	if s.RecordTypeID != "" {
		body["RecordTypeId"] = s.RecordTypeID
	}
	return body, notes
}

// caseValue converts a ticket value to what field f takes. ok is false
// when the field is better left as it is; a nil value with ok clears it.
func caseValue(f *FieldDescribe, m fieldMap, v any) (any, string, bool) {
	if v == nil {
		// An empty status, priority or type keeps Salesforce's value (or
		// its default); other fields mirror the ticket and are cleared.
		return nil, "", sourceDomain(m.source) == nil && f.Nillable
	}
	switch f.Type {
	case "picklist", "combobox":
		raw := asText(v)
		pv, ok := picklistValue(f, m, raw)
		if !ok {
			return nil, fmt.Sprintf("Zendesk %s %q has no %s value in Salesforce; map it under the ticket-sync value map. %s was left as it was.", m.source, raw, f.Name, f.Name), false
		}
		return pv, "", true
	case "boolean":
		b, ok := asBool(v)
		if !ok {
			return nil, fmt.Sprintf("%s: %q is not true or false; left as it was.", f.Name, asText(v)), false
		}
		return b, "", true
	case "int", "double", "currency", "percent":
		n, ok := asNumber(v)
		if !ok || (f.Type == "int" && n != math.Trunc(n)) {
			return nil, fmt.Sprintf("%s: %q is not a number it takes; left as it was.", f.Name, asText(v)), false
		}
		return n, "", true
	case "date", "datetime":
		tm, ok := v.(time.Time)
		if !ok {
			parsed, err := time.Parse(time.RFC3339, asText(v))
			if err != nil {
				return nil, fmt.Sprintf("%s: %q is not a date; left as it was.", f.Name, asText(v)), false
			}
			tm = parsed
		}
		if f.Type == "date" {
			return tm.UTC().Format("2006-01-02"), "", true
		}
		return tm.UTC().Format("2006-01-02T15:04:05.000Z"), "", true
	}
	s := asText(v)
	if f.Length <= 0 {
		return s, "", true
	}
	switch {
	case m.source == "tags":
		if cut, ok := cutWords(s, f.Length); ok {
			return cut, fmt.Sprintf("The tags were cut to %d characters to fit %s.", f.Length, f.Name), true
		}
	case f.Type == "textarea":
		if cut, ok := cutWithNote(s, f.Length); ok {
			return cut, fmt.Sprintf("The %s was cut from %d to %d characters to fit %s.", m.source, utf16Len(s), f.Length, f.Name), true
		}
	default:
		if cut, ok := cutUTF16(s, f.Length); ok {
			return cut, fmt.Sprintf("The %s was cut to %d characters to fit %s.", m.source, f.Length, f.Name), true
		}
	}
	return s, "", true
}

func asText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(x)
		return b, err == nil
	}
	return false, false
}

func asNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return n, err == nil
	}
	return 0, false
}

// utf16Len counts s as Salesforce counts a field's length: in UTF-16
// code units (a character outside the BMP counts twice).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 cuts s to at most max UTF-16 code units, never inside a
// character; ok is false when s already fits.
func cutUTF16(s string, max int) (string, bool) {
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > max {
			return s[:i], true
		}
	}
	return s, false
}

// cutWithNote cuts long text to max code units, ending it with cutNote.
func cutWithNote(s string, max int) (string, bool) {
	if utf16Len(s) <= max {
		return s, false
	}
	head, _ := cutUTF16(s, max-utf16Len(cutNote))
	return head + cutNote, true
}

// cutWords cuts a space-separated list to whole words.
func cutWords(s string, max int) (string, bool) {
	head, cut := cutUTF16(s, max)
	if !cut {
		return s, false
	}
	if i := strings.LastIndexByte(head, ' '); i > 0 && s[len(head)] != ' ' {
		head = head[:i]
	}
	return strings.TrimSpace(head), true
}

// cutBytes cuts s to at most max bytes of UTF-8, ending it with cutNote,
// never inside a character.
func cutBytes(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	end := max - len(cutNote)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + cutNote, true
}
