package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxDescribes is how many objects one composite request may describe.
const maxDescribes = 25

// ObjectDescribe is the part of an sObject describe Crossview uses. It
// lists only the fields the connected user may see (field-level security
// hides the rest from describe, as it does from queries).
type ObjectDescribe struct {
	Name   string          `json:"name"`
	Fields []FieldDescribe `json:"fields"`
}

// FieldDescribe is one field of a describe.
type FieldDescribe struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	// Type is the describe type: string, email, textarea, reference...
	Type string `json:"type"`
	// Filterable fields may appear in a WHERE clause.
	Filterable       bool     `json:"filterable"`
	Sortable         bool     `json:"sortable"`
	ReferenceTo      []string `json:"referenceTo"`
	RelationshipName string   `json:"relationshipName"`
}

// Field finds a field by API name, ignoring case as SOQL does.
func (d ObjectDescribe) Field(name string) (FieldDescribe, bool) {
	for _, f := range d.Fields {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return FieldDescribe{}, false
}

// Relationship finds a parent relationship (Owner in Owner.Name).
func (d ObjectDescribe) Relationship(name string) (FieldDescribe, bool) {
	for _, f := range d.Fields {
		if f.RelationshipName != "" && strings.EqualFold(f.RelationshipName, name) {
			return f, true
		}
	}
	return FieldDescribe{}, false
}

// Describe describes objects in one composite request, which Salesforce
// counts as one API call. An object the org lacks (or hides from the
// user) is absent from the answer rather than an error.
func (c *Client) Describe(ctx context.Context, conn crossview.Connection, objects ...string) (map[string]ObjectDescribe, error) {
	if len(objects) == 0 {
		return map[string]ObjectDescribe{}, nil
	}
	if len(objects) > maxDescribes {
		return nil, fmt.Errorf("salesforce: at most %d objects per describe, not %d", maxDescribes, len(objects))
	}
	req := CompositeRequest{}
	for i, obj := range objects {
		req.Subrequests = append(req.Subrequests, Subrequest{Method: http.MethodGet, ReferenceID: fmt.Sprintf("d%d", i),
			URL: c.DataPath("/sobjects/" + url.PathEscape(obj) + "/describe")})
	}
	resp, err := c.Composite(ctx, conn, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ObjectDescribe, len(objects))
	for i, obj := range objects {
		sub, err := resp.Get(fmt.Sprintf("d%d", i))
		if err != nil {
			return nil, err
		}
		if sub.HTTPStatusCode == http.StatusNotFound {
			continue
		}
		if err := sub.Err(); err != nil {
			return nil, err
		}
		var d ObjectDescribe
		if err := json.Unmarshal(sub.Body, &d); err != nil {
			return nil, fmt.Errorf("salesforce: decoding the %s describe: %w", obj, err)
		}
		out[obj] = d
	}
	return out, nil
}
