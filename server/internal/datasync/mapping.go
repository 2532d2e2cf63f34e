package datasync

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// fieldTypes is the Zendesk custom fields a mapping may write, by key.
type fieldTypes map[string]crossview.ZendeskField

// value reads a field from a record: a plain field, or one relationship
// deep (Owner.Name), which Salesforce nests in the record.
func value(r crossview.SFRecord, name string) any {
	if v, ok := r.Fields[name]; ok {
		return v
	}
	head, tail, ok := strings.Cut(name, ".")
	if !ok {
		return nil
	}
	for k, v := range r.Fields {
		if strings.EqualFold(k, head) {
			if m, ok := v.(map[string]any); ok {
				for k2, v2 := range m {
					if strings.EqualFold(k2, tail) {
						return v2
					}
				}
			}
		}
	}
	return nil
}

// text renders a Salesforce value as Zendesk text.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

// list splits a multi-value text (a multi-picklist's "a;b", domains or
// tags separated by commas or spaces).
func list(v any) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text(v), func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// tags makes Zendesk tags of a value's items (a multi-picklist's "a;b",
// or text separated by commas), each through the mapping's value map
// first; an item of several words is one tag ("North America" is
// north_america).
func tags(m crossview.DataMapping, v any) []string {
	var out []string
	for _, item := range strings.FieldsFunc(text(v), func(r rune) bool { return r == ';' || r == ',' }) {
		item = strings.TrimSpace(item)
		if mapped, ok := m.Values[item]; ok {
			item = mapped
		}
		if t := tag(item); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// tag makes a Zendesk tag of a value: lower case, no spaces.
func tag(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), "_"))
}

// setCustom puts a mapped value into a custom field of a user or an
// organization, or says why it does not fit.
func setCustom(fields *map[string]any, types fieldTypes, key, kind string, m crossview.DataMapping, v any) string {
	cv, ok := custom(types[key], m, v)
	if !ok {
		return fmt.Sprintf("%s %q does not fit the %s field %s", m.Salesforce, text(v), kind, key)
	}
	if *fields == nil {
		*fields = map[string]any{}
	}
	(*fields)[key] = cv
	return ""
}

// custom converts a value for a custom field of the given type; ok is
// false when the value cannot go there (left out, not sent wrong).
func custom(f crossview.ZendeskField, m crossview.DataMapping, v any) (any, bool) {
	if v == nil {
		return nil, true // clears the field, as Salesforce is the truth
	}
	s := text(v)
	if mapped, ok := m.Values[s]; ok {
		s = mapped
	}
	switch f.Type {
	case "checkbox":
		b, err := strconv.ParseBool(s)
		return b, err == nil
	case "integer":
		n, err := strconv.ParseFloat(s, 64)
		return int64(n), err == nil && n == float64(int64(n))
	case "decimal":
		n, err := strconv.ParseFloat(s, 64)
		return n, err == nil
	case "date":
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05.000Z0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t.UTC().Format("2006-01-02"), true
			}
		}
		return nil, false
	case "dropdown":
		for _, o := range f.Options {
			if o == s {
				return s, true
			}
		}
		if t := tag(s); t != s {
			for _, o := range f.Options {
				if o == t {
					return t, true
				}
			}
		}
		return nil, false
	}
	return s, true
}

// orgWrite maps an Account to an organization.
func orgWrite(ds crossview.DataSyncSettings, ob objectSync, r crossview.SFRecord, types fieldTypes) (crossview.OrgWrite, []string) {
	w := crossview.OrgWrite{ExternalID: r.ID, Match: tail(ds.OrgMatch)}
	var notes []string
	for _, m := range ob.sync.Mappings {
		v := value(r, m.Salesforce)
		switch target := m.Zendesk; {
		case target == "name":
			w.Name = text(v)
		case target == "domain_names":
			w.DomainNames = append(w.DomainNames, domains(v)...)
		case target == "tags":
			w.Tags = append(w.Tags, tags(m, v)...)
		case target == "notes":
			s := text(v)
			w.Notes = &s
		case target == "details":
			s := text(v)
			w.Details = &s
		case strings.HasPrefix(target, "organization_fields."):
			if note := setCustom(&w.Fields, types, strings.TrimPrefix(target, "organization_fields."), "organization", m, v); note != "" {
				notes = append(notes, note)
			}
		}
	}
	if w.Name == "" {
		w.Name = text(value(r, "Name"))
	}
	return w, notes
}

// domains reads domain names from a website or a list of domains:
// "https://www.acme.com/about" is acme.com.
func domains(v any) []string {
	var out []string
	for _, d := range list(v) {
		d = strings.ToLower(d)
		d = strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
		d, _, _ = strings.Cut(d, "/")
		d = strings.TrimPrefix(d, "www.")
		if strings.Contains(d, ".") {
			out = append(out, d)
		}
	}
	return out
}

// userWrite maps a Contact or Lead to an end user.
func userWrite(ds crossview.DataSyncSettings, ob objectSync, r crossview.SFRecord, types fieldTypes) (crossview.UserWrite, []string) {
	w := crossview.UserWrite{ExternalID: r.ID, Match: tail(ds.UserMatch), OrgExternalID: r.AccountID}
	var notes []string
	for _, m := range ob.sync.Mappings {
		v := value(r, m.Salesforce)
		switch target := m.Zendesk; {
		case target == "name":
			w.Name = text(v)
		case target == "email":
			w.Email = strings.ToLower(strings.TrimSpace(text(v)))
		case target == "phone":
			w.Phone = text(v)
		case target == "tags":
			w.Tags = append(w.Tags, tags(m, v)...)
		case target == "notes":
			s := text(v)
			w.Notes = &s
		case target == "details":
			s := text(v)
			w.Details = &s
		case strings.HasPrefix(target, "user_fields."):
			if note := setCustom(&w.Fields, types, strings.TrimPrefix(target, "user_fields."), "user", m, v); note != "" {
				notes = append(notes, note)
			}
		}
	}
	if w.Email == "" {
		w.Email = strings.ToLower(strings.TrimSpace(text(value(r, "Email"))))
	}
	if w.Name == "" {
		w.Name = strings.TrimSpace(text(value(r, "Name")))
		if w.Name == "" {
			w.Name = w.Email
		}
	}
	return w, notes
}

// tail drops the leading "external_id": the writer always tries it first.
func tail(match []string) []string {
	var out []string
	for _, m := range match {
		if m != "external_id" {
			out = append(out, m)
		}
	}
	return out
}
