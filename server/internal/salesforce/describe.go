package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// ObjectDescribe is what GET /sobjects/{Object}/describe says about an
// object, as the connected user sees it: field-level security hides
// fields and clears createable/updateable on read-only ones.
type ObjectDescribe struct {
	Name       string          `json:"name"`
	Createable bool            `json:"createable"`
	Updateable bool            `json:"updateable"`
	Fields     []FieldDescribe `json:"fields"`
	// RecordTypeInfos lists the object's record types; orgs without any
	// have none (and no RecordTypeId field).
	RecordTypeInfos []RecordTypeInfo `json:"recordTypeInfos"`

	byName map[string]int
}

// FieldDescribe is one field of a describe.
type FieldDescribe struct {
	Name               string          `json:"name"`
	Label              string          `json:"label"`
	Type               string          `json:"type"`
	Length             int             `json:"length"`
	Nillable           bool            `json:"nillable"`
	Createable         bool            `json:"createable"`
	Updateable         bool            `json:"updateable"`
	DefaultedOnCreate  bool            `json:"defaultedOnCreate"`
	Calculated         bool            `json:"calculated"`
	ExternalID         bool            `json:"externalId"`
	Unique             bool            `json:"unique"`
	CaseSensitive      bool            `json:"caseSensitive"`
	RestrictedPicklist bool            `json:"restrictedPicklist"`
	PicklistValues     []PicklistValue `json:"picklistValues"`
	ReferenceTo        []string        `json:"referenceTo"`
	RelationshipName   string          `json:"relationshipName"`
	// Filterable fields may appear in a WHERE clause; Sortable in ORDER BY.
	Filterable bool `json:"filterable"`
	Sortable   bool `json:"sortable"`
}

// PicklistValue is one value of a picklist field.
type PicklistValue struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Active bool   `json:"active"`
}

// RecordTypeInfo is one record type of an object.
type RecordTypeInfo struct {
	RecordTypeID string `json:"recordTypeId"`
	Name         string `json:"name"`
	Available    bool   `json:"available"`
	Active       bool   `json:"active"`
}

// Field returns the named field, matched without regard to case as
// Salesforce matches API names.
func (d *ObjectDescribe) Field(name string) (*FieldDescribe, bool) {
	if d == nil {
		return nil, false
	}
	if d.byName == nil {
		d.byName = make(map[string]int, len(d.Fields))
		for i, f := range d.Fields {
			d.byName[strings.ToLower(f.Name)] = i
		}
	}
	i, ok := d.byName[strings.ToLower(name)]
	if !ok {
		return nil, false
	}
	return &d.Fields[i], true
}

// Required reports whether a create must set the field: Salesforce's own
// rule is nillable=false, createable and not defaulted on create.
func (f *FieldDescribe) Required() bool {
	return !f.Nillable && f.Createable && !f.DefaultedOnCreate
}

// Writable reports whether the user may both create and update the field.
func (f *FieldDescribe) Writable() bool { return f.Createable && f.Updateable }

// Textual reports whether the field holds text with a length.
func (f *FieldDescribe) Textual() bool {
	switch f.Type {
	case "string", "textarea", "email", "phone", "url", "picklist", "combobox", "encryptedstring":
		return true
	}
	return false
}

// Relationship finds a parent relationship (Owner in Owner.Name).
func (d *ObjectDescribe) Relationship(name string) (*FieldDescribe, bool) {
	if d == nil {
		return nil, false
	}
	for i := range d.Fields {
		if f := &d.Fields[i]; f.RelationshipName != "" && strings.EqualFold(f.RelationshipName, name) {
			return f, true
		}
	}
	return nil, false
}

// HasValue reports whether v is one of the picklist's active values.
func (f *FieldDescribe) HasValue(v string) bool {
	for _, p := range f.PicklistValues {
		if p.Active && p.Value == v {
			return true
		}
	}
	return false
}

// maxDescribes is how many objects one composite request may describe.
const maxDescribes = 25

// Describe describes objects in one composite request, which Salesforce
// counts as one API call. An object the org lacks (or hides from the
// user) is absent from the answer rather than an error; DescribeMany is
// the strict form.
func (c *Client) Describe(ctx context.Context, conn crossview.Connection, objects ...string) (map[string]*ObjectDescribe, error) {
	if len(objects) > maxDescribes {
		return nil, fmt.Errorf("salesforce: at most %d objects per describe, not %d", maxDescribes, len(objects))
	}
	out := make(map[string]*ObjectDescribe, len(objects))
	if len(objects) == 0 {
		return out, nil
	}
	resp, err := c.Composite(ctx, conn, describeRequest(c, objects, nil))
	if err != nil {
		return nil, err
	}
	for _, o := range objects {
		if sub, err := resp.Get(describeRef(o)); err == nil && sub.HTTPStatusCode == http.StatusNotFound {
			continue
		}
		d, err := decodeDescribe(resp, o)
		if err != nil {
			return nil, err
		}
		out[o] = d
	}
	return out, nil
}

// DescribeMany reads several objects' describes in one composite call. An
// object the user may not see fails the whole answer with its error.
func (c *Client) DescribeMany(ctx context.Context, conn crossview.Connection, objects []string) (map[string]*ObjectDescribe, error) {
	resp, err := c.Composite(ctx, conn, describeRequest(c, objects, nil))
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ObjectDescribe, len(objects))
	for _, o := range objects {
		d, err := decodeDescribe(resp, o)
		if err != nil {
			return nil, err
		}
		out[o] = d
	}
	return out, nil
}

// describeRequest reads the objects' describes, plus any extra
// subrequests, in one composite request.
func describeRequest(c *Client, objects []string, extra []Subrequest) CompositeRequest {
	req := CompositeRequest{}
	for _, o := range objects {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodGet,
			URL: c.DataPath("/sobjects/" + url.PathEscape(o) + "/describe"), ReferenceID: describeRef(o)})
	}
	req.Subrequests = append(req.Subrequests, extra...)
	return req
}

func describeRef(object string) string { return "describe" + object }

// decodeDescribe reads one object's describe from a composite answer.
func decodeDescribe(resp *CompositeResponse, object string) (*ObjectDescribe, error) {
	sub, err := resp.Get(describeRef(object))
	if err != nil {
		return nil, err
	}
	if err := subError(sub); err != nil {
		return nil, err
	}
	var d ObjectDescribe
	if err := json.Unmarshal(sub.Body, &d); err != nil {
		return nil, fmt.Errorf("salesforce: decoding the %s describe: %w", object, err)
	}
	return &d, nil
}

// subError is a subrequest's failure as an *APIError naming the
// subrequest, or nil.
func subError(sub SubResponse) error {
	err := sub.Err()
	var e *APIError
	if errors.As(err, &e) {
		e.Subrequest = sub.ReferenceID
	}
	return err
}
