package zendesktest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ObjectField is a custom user or organization field. Users and
// organizations hold their values by Key (user_fields,
// organization_fields).
type ObjectField struct {
	ID          int64
	Key         string
	Type        string // text, textarea, checkbox, date, integer, decimal, regexp, dropdown or multiselect
	Title       string
	Description string
	// RegexpForValidation is the pattern of a regexp field.
	RegexpForValidation string
	// Options are the choices of a dropdown or multiselect field.
	Options   []FieldOption
	Inactive  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FieldOption is one choice of a dropdown or multiselect field.
type FieldOption struct {
	ID          int64
	Name, Value string
}

// AddUserField defines a custom user field, validated as the API does.
func (a *Account) AddUserField(f ObjectField) (ObjectField, error) {
	return a.addObjectField(&a.userFields, f)
}

// AddOrganizationField defines a custom organization field.
func (a *Account) AddOrganizationField(f ObjectField) (ObjectField, error) {
	return a.addObjectField(&a.orgFields, f)
}

func (a *Account) addObjectField(list *[]*ObjectField, f ObjectField) (ObjectField, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := checkObjectField(*list, f); err != nil {
		return ObjectField{}, err
	}
	f.ID = a.eventID()
	f.Options = slices.Clone(f.Options)
	for i := range f.Options {
		if f.Options[i].ID == 0 {
			f.Options[i].ID = a.eventID()
		}
	}
	f.CreatedAt, f.UpdatedAt = a.stamps(time.Time{}, time.Time{})
	*list = append(*list, &f)
	return f, nil
}

// checkObjectField refuses what Zendesk refuses: a missing or taken key,
// an unknown type, no title, a dropdown without options, a bad pattern.
func checkObjectField(existing []*ObjectField, f ObjectField) error {
	details := map[string][]fieldError{}
	bad := func(k, msg string) { details[k] = append(details[k], fieldError{Description: msg}) }
	switch {
	case f.Key == "":
		bad("key", "Key: cannot be blank")
	case !validFieldKey(f.Key):
		bad("key", "Key: is invalid")
	case slices.ContainsFunc(existing, func(e *ObjectField) bool { return e.Key == f.Key }):
		bad("key", "Key: has already been taken")
	}
	switch f.Type {
	case "text", "textarea", "checkbox", "date", "integer", "decimal":
	case "regexp":
		if _, err := regexp.Compile(f.RegexpForValidation); err != nil || f.RegexpForValidation == "" {
			bad("regexp_for_validation", "Regexp for validation: is invalid")
		}
	case "dropdown", "multiselect":
		if len(f.Options) == 0 {
			bad("custom_field_options", "Field options: cannot be blank")
		}
		for _, o := range f.Options {
			if o.Name == "" || o.Value == "" {
				bad("custom_field_options", "Field options: name and value cannot be blank")
			}
		}
	default:
		bad("type", "Type: is invalid")
	}
	if strings.TrimSpace(f.Title) == "" {
		bad("title", "Title: cannot be blank")
	}
	if len(details) > 0 {
		return errRecordInvalid(details)
	}
	return nil
}

func validFieldKey(k string) bool {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return k != ""
}

// fieldValues reads the custom field values under name (user_fields,
// organization_fields), checks them against defs and merges them over cur
// into a new map; nil when the body has none. Unknown keys are ignored,
// null clears a value. A wrong value is reported under its key.
func (f *fields) fieldValues(name string, defs []*ObjectField, cur map[string]any) map[string]any {
	if !f.has(name) || f.isNull(name) {
		return nil
	}
	bad := f.bad
	var in map[string]any
	if json.Unmarshal(f.raw[name], &in) != nil {
		bad(name, "Fields: is invalid")
		return nil
	}
	out := make(map[string]any, len(cur)+len(in))
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range in {
		i := slices.IndexFunc(defs, func(d *ObjectField) bool { return d.Key == k })
		if i < 0 {
			continue
		}
		if v == nil {
			delete(out, k)
			continue
		}
		val, ok := defs[i].accept(v)
		if !ok {
			bad(k, fmt.Sprintf("%s: %v is not a valid value", defs[i].Title, v))
			continue
		}
		out[k] = val
	}
	return out
}

// accept checks a value for the field's type and returns it as stored.
func (d *ObjectField) accept(v any) (any, bool) {
	str, isStr := v.(string)
	num, isNum := v.(float64)
	switch d.Type {
	case "text", "textarea":
		return str, isStr
	case "checkbox":
		b, ok := v.(bool)
		return b, ok
	case "integer":
		if isStr {
			n, err := strconv.ParseInt(str, 10, 64)
			return n, err == nil
		}
		return int64(num), isNum && num == float64(int64(num))
	case "decimal":
		if isStr {
			f, err := strconv.ParseFloat(str, 64)
			return f, err == nil
		}
		return num, isNum
	case "date":
		t, err := time.Parse("2006-01-02", str)
		return t.Format("2006-01-02T15:04:05+00:00"), isStr && err == nil
	case "regexp":
		re, err := regexp.Compile(d.RegexpForValidation)
		return str, isStr && err == nil && re.MatchString(str)
	case "dropdown":
		return str, isStr && d.hasOption(str)
	case "multiselect":
		list, ok := v.([]any)
		var vals []string
		for _, x := range list {
			s, isS := x.(string)
			if !isS || !d.hasOption(s) {
				return nil, false
			}
			vals = append(vals, s)
		}
		return vals, ok
	}
	return nil, false
}

func (d *ObjectField) hasOption(v string) bool {
	return slices.ContainsFunc(d.Options, func(o FieldOption) bool { return o.Value == v })
}

// objectFieldJSON renders a field definition; kind is "user_fields" or
// "organization_fields".
func (a *Account) objectFieldJSON(kind string, d *ObjectField) map[string]any {
	m := map[string]any{"id": d.ID, "url": fmt.Sprintf("%s/api/v2/%s/%d.json", a.base, kind, d.ID), "key": d.Key,
		"type": d.Type, "title": d.Title, "raw_title": d.Title, "description": d.Description,
		"raw_description": d.Description, "position": 0, "active": !d.Inactive, "system": false,
		"regexp_for_validation": optString(d.RegexpForValidation),
		"created_at":            stamp(d.CreatedAt), "updated_at": stamp(d.UpdatedAt)}
	if d.Type == "dropdown" || d.Type == "multiselect" {
		opts := make([]map[string]any, len(d.Options))
		for i, o := range d.Options {
			opts[i] = map[string]any{"id": o.ID, "name": o.Name, "raw_name": o.Name, "value": o.Value, "default": false}
		}
		m["custom_field_options"] = opts
	}
	return m
}

// fieldList picks the user or organization field list of a path.
func (c *call) fieldList() (string, *[]*ObjectField) {
	if strings.Contains(c.r.URL.Path, "/organization_fields") {
		return "organization_fields", &c.a.orgFields
	}
	return "user_fields", &c.a.userFields
}

// handleListObjectFields serves GET /api/v2/user_fields.json and
// /api/v2/organization_fields.json.
func handleListObjectFields(c *call) error {
	kind, list := c.fieldList()
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]map[string]any, 0, len(*list))
	for _, d := range *list {
		out = append(out, a.objectFieldJSON(kind, d))
	}
	writeJSON(c.w, http.StatusOK, map[string]any{kind: out, "next_page": nil, "previous_page": nil, "count": len(out)})
	return nil
}

// handleShowObjectField serves GET /api/v2/{user,organization}_fields/{id}.json.
func handleShowObjectField(c *call) error {
	kind, list := c.fieldList()
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, d := range *list {
		if d.ID == c.id("id") {
			writeJSON(c.w, http.StatusOK, map[string]any{strings.TrimSuffix(kind, "s"): a.objectFieldJSON(kind, d)})
			return nil
		}
	}
	return errNotFound()
}

// handleCreateObjectField serves POST /api/v2/{user,organization}_fields.json: 201.
func handleCreateObjectField(c *call) error {
	kind, list := c.fieldList()
	one := strings.TrimSuffix(kind, "s")
	f, err := readObject(c, one)
	if err != nil {
		return err
	}
	var raw struct {
		Key, Type, Title, Description string
		RegexpForValidation           string `json:"regexp_for_validation"`
		Options                       []struct {
			Name, Value string
		} `json:"custom_field_options"`
	}
	b, _ := json.Marshal(f.raw) // raw JSON values always marshal
	if json.Unmarshal(b, &raw) != nil {
		return invalidField("base", "Field: is invalid")
	}
	d := ObjectField{Key: raw.Key, Type: raw.Type, Title: raw.Title, Description: raw.Description,
		RegexpForValidation: raw.RegexpForValidation}
	for _, o := range raw.Options {
		d.Options = append(d.Options, FieldOption{Name: o.Name, Value: o.Value})
	}
	created, err := c.a.addObjectField(list, d)
	if err != nil {
		return err
	}
	c.a.mu.Lock()
	body := map[string]any{one: c.a.objectFieldJSON(kind, &created)}
	c.a.mu.Unlock()
	writeJSON(c.w, http.StatusCreated, body)
	return nil
}
