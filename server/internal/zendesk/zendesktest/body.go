package zendesktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
)

// maxRequestBody caps request bodies; Zendesk refuses huge payloads too.
const maxRequestBody = 1 << 20

// readObject reads a JSON request body {"<key>": {...}} and returns the
// inner object's fields. Zendesk needs Content-Type: application/json on
// writes; without it the body is not parsed and the request fails.
func readObject(c *call, key string) (*fields, error) {
	outer, err := readBody(c)
	if err != nil {
		return nil, err
	}
	inner, ok := outer[key]
	var f map[string]json.RawMessage
	if !ok || bytes.Equal(bytes.TrimSpace(inner), []byte("null")) || json.Unmarshal(inner, &f) != nil || len(f) == 0 {
		return nil, errBadRequest("ParameterMissing", "param is missing or the value is empty: "+key)
	}
	return &fields{raw: f}, nil
}

// readBody checks the Content-Type and decodes a JSON object body.
func readBody(c *call) (map[string]json.RawMessage, error) {
	mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && (c.r.Method != http.MethodPatch || mt != "application/merge-patch+json")) {
		return nil, errBadRequest("InvalidContentType", "Content-Type must be application/json")
	}
	var outer map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, maxRequestBody))
	if err := dec.Decode(&outer); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge",
				Description: "The request body is too large"}
		}
		return nil, errBadRequest("InvalidJSON", "The request body is not valid JSON")
	}
	return outer, nil
}

// fields reads typed values out of a JSON object and collects
// RecordInvalid details for wrong types and values.
type fields struct {
	raw     map[string]json.RawMessage
	details map[string][]fieldError
}

func (f *fields) has(name string) bool {
	_, ok := f.raw[name]
	return ok
}

func (f *fields) isNull(name string) bool {
	return bytes.Equal(bytes.TrimSpace(f.raw[name]), []byte("null"))
}

// str reads a string field; null reads as "". ok is false when absent or
// invalid.
func (f *fields) str(name, label string) (string, bool) {
	if !f.has(name) {
		return "", false
	}
	if f.isNull(name) {
		return "", true
	}
	var s string
	if json.Unmarshal(f.raw[name], &s) != nil {
		f.bad(name, label+": is invalid")
		return "", false
	}
	return s, true
}

// id reads an id field; null reads as 0.
func (f *fields) id(name, label string) (int64, bool) {
	if !f.has(name) {
		return 0, false
	}
	if f.isNull(name) {
		return 0, true
	}
	var n int64
	if json.Unmarshal(f.raw[name], &n) != nil || n <= 0 {
		f.bad(name, label+": is invalid")
		return 0, false
	}
	return n, true
}

// strs reads an array of strings; null reads as empty.
func (f *fields) strs(name, label string) ([]string, bool) {
	if !f.has(name) {
		return nil, false
	}
	if f.isNull(name) {
		return []string{}, true
	}
	var s []string
	if json.Unmarshal(f.raw[name], &s) != nil {
		f.bad(name, label+": is invalid")
		return nil, false
	}
	return s, true
}

// customFields reads [{"id":N,"value":V}]; a value is a string, number,
// bool, list of strings or null.
func (f *fields) customFields(name string) ([]CustomField, bool) {
	if !f.has(name) || f.isNull(name) {
		return nil, false
	}
	var raw []struct {
		ID    int64           `json:"id"`
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(f.raw[name], &raw) != nil {
		f.bad(name, "Custom fields: is invalid")
		return nil, false
	}
	out := make([]CustomField, 0, len(raw))
	for _, r := range raw {
		var v any
		if r.ID <= 0 || (len(r.Value) > 0 && json.Unmarshal(r.Value, &v) != nil) {
			f.bad(name, "Custom fields: is invalid")
			return nil, false
		}
		switch val := v.(type) {
		case []any:
			list := make([]string, 0, len(val))
			for _, x := range val {
				s, ok := x.(string)
				if !ok {
					f.bad(name, "Custom fields: is invalid")
					return nil, false
				}
				list = append(list, s)
			}
			v = list
		case map[string]any:
			f.bad(name, "Custom fields: is invalid")
			return nil, false
		}
		out = append(out, CustomField{ID: r.ID, Value: v})
	}
	return out, true
}

func (f *fields) bad(name, msg string) { f.badCode(name, msg, "") }

// badCode records a refusal with Zendesk's error code for it, such as
// DuplicateValue.
func (f *fields) badCode(name, msg, code string) {
	if f.details == nil {
		f.details = map[string][]fieldError{}
	}
	f.details[name] = append(f.details[name], fieldError{Description: msg, Error: code})
}

// err is the 422 for everything collected, or nil.
func (f *fields) err() error {
	if len(f.details) == 0 {
		return nil
	}
	return errRecordInvalid(f.details)
}
