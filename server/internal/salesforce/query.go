package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// QueryResult is one page of a SOQL query answer.
type QueryResult struct {
	TotalSize      int               `json:"totalSize"`
	Done           bool              `json:"done"`
	NextRecordsURL string            `json:"nextRecordsUrl"`
	Records        []json.RawMessage `json:"records"`
}

// Query runs soql and returns the first page.
func (c *Client) Query(ctx context.Context, conn crossview.Connection, soql string) (*QueryResult, error) {
	var r QueryResult
	if err := c.Do(ctx, conn, http.MethodGet, c.QueryPath(soql), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// QueryMore fetches the page at a nextRecordsUrl.
func (c *Client) QueryMore(ctx context.Context, conn crossview.Connection, next string) (*QueryResult, error) {
	// The locator must stay on the org's own REST API.
	if !strings.HasPrefix(next, "/services/data/") {
		return nil, fmt.Errorf("salesforce: unexpected nextRecordsUrl %q", next)
	}
	var r QueryResult
	if err := c.Do(ctx, conn, http.MethodGet, next, nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// QueryAll runs soql and follows nextRecordsUrl until the answer is done or
// max records were read (max <= 0: no cap).
func (c *Client) QueryAll(ctx context.Context, conn crossview.Connection, soql string, max int) ([]json.RawMessage, error) {
	page, err := c.Query(ctx, conn, soql)
	if err != nil {
		return nil, err
	}
	records := page.Records
	for !page.Done && page.NextRecordsURL != "" && (max <= 0 || len(records) < max) {
		if page, err = c.QueryMore(ctx, conn, page.NextRecordsURL); err != nil {
			return nil, err
		}
		records = append(records, page.Records...)
	}
	if max > 0 && len(records) > max {
		records = records[:max]
	}
	return records, nil
}
