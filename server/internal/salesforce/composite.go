package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// CompositeRequest is a series of subrequests that counts as one API call.
type CompositeRequest struct {
	AllOrNone          bool         `json:"allOrNone"`
	CollateSubrequests bool         `json:"collateSubrequests"`
	Subrequests        []Subrequest `json:"compositeRequest"`
}

// Subrequest is one step of a composite request.
type Subrequest struct {
	Method      string `json:"method"`
	URL         string `json:"url"`
	ReferenceID string `json:"referenceId"`
	Body        any    `json:"body,omitempty"`
}

// CompositeResponse holds one answer per subrequest, in order.
type CompositeResponse struct {
	Responses []SubResponse `json:"compositeResponse"`
}

// SubResponse is one subrequest's answer.
type SubResponse struct {
	Body           json.RawMessage   `json:"body"`
	HTTPHeaders    map[string]string `json:"httpHeaders"`
	HTTPStatusCode int               `json:"httpStatusCode"`
	ReferenceID    string            `json:"referenceId"`
}

// Err returns the subrequest's failure as an *APIError, or nil.
func (r SubResponse) Err() error {
	if r.HTTPStatusCode >= 200 && r.HTTPStatusCode < 300 {
		return nil
	}
	return parseAPIError(r.HTTPStatusCode, r.Body)
}

// Get returns the answer with the given reference id.
func (r *CompositeResponse) Get(ref string) (SubResponse, error) {
	for _, s := range r.Responses {
		if s.ReferenceID == ref {
			return s, nil
		}
	}
	return SubResponse{}, fmt.Errorf("salesforce: composite answer has no %q", ref)
}

// Composite sends req to /composite.
func (c *Client) Composite(ctx context.Context, conn crossview.Connection, req CompositeRequest) (*CompositeResponse, error) {
	var r CompositeResponse
	if err := c.Do(ctx, conn, http.MethodPost, c.DataPath("/composite"), req, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
