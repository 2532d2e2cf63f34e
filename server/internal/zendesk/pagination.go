package zendesk

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
)

const (
	// maxListed caps every list call: a panel never shows more, and a
	// caller's typo must not turn into thousands of API calls.
	maxListed = 1000
	// pageSize is Zendesk's largest page.
	pageSize = 100
)

// PaginationError means a paginated answer could not be followed safely:
// its next link leaves the account, repeats a cursor, or is missing while
// the answer says there is more.
type PaginationError struct {
	Reason string
}

func (e *PaginationError) Error() string { return "zendesk: pagination: " + e.Reason }

// cursorTickets is one page of a cursor-paginated ticket list.
type cursorTickets struct {
	Tickets []Ticket `json:"tickets"`
	Meta    struct {
		HasMore     bool   `json:"has_more"`
		AfterCursor string `json:"after_cursor"`
	} `json:"meta"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

// listTickets reads a cursor-paginated ticket list at apiPath, newest
// update first, until max tickets or the end of the list. API errors come
// back as they are: a 429 on a later page is an error, never a short list.
func (c *Client) listTickets(ctx context.Context, sub string, cred Credentials, apiPath string, max int) ([]Ticket, error) {
	max = min(max, maxListed)
	if max <= 0 {
		return nil, nil
	}
	size := min(pageSize, max)
	q := url.Values{"page[size]": {strconv.Itoa(size)}, "sort": {"-updated_at"}}
	next := apiPath + "?" + q.Encode()
	// A well-behaved server needs ceil(max/size) pages; allow short pages,
	// but not a server that never ends.
	pageBudget := 2*((max+size-1)/size) + 1
	seenLinks, seenCursors := map[string]bool{}, map[string]bool{}
	have := map[int64]bool{}
	var out []Ticket
	for page := 1; ; page++ {
		if page > pageBudget {
			return nil, &PaginationError{Reason: fmt.Sprintf("no end after %d pages", pageBudget)}
		}
		var p cursorTickets
		if err := c.get(ctx, sub, &cred, next, &p); err != nil {
			return nil, err
		}
		added := 0
		for _, t := range p.Tickets {
			if have[t.ID] {
				continue
			}
			have[t.ID] = true
			out = append(out, t)
			added++
			if len(out) == max {
				return out, nil
			}
		}
		if !p.Meta.HasMore {
			return out, nil
		}
		if added == 0 {
			return nil, &PaginationError{Reason: "has_more on a page with no new tickets"}
		}
		n, err := c.nextPath(sub, p.Links.Next)
		if err != nil {
			return nil, err
		}
		if seenLinks[n] || (p.Meta.AfterCursor != "" && seenCursors[p.Meta.AfterCursor]) {
			return nil, &PaginationError{Reason: "the server repeated a cursor"}
		}
		seenLinks[n], seenCursors[p.Meta.AfterCursor] = true, true
		next = n
	}
}

// nextPath checks that a links.next URL stays inside this account's API
// and returns its path and query relative to the base URL. Anything else
// is refused: following it would send the account's credential to
// whoever wrote the link.
func (c *Client) nextPath(sub, link string) (string, error) {
	if link == "" {
		return "", &PaginationError{Reason: "has_more without links.next"}
	}
	baseURL := c.BaseURL(sub)
	base, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("zendesk: parsing base URL: %w", err)
	}
	outside := &PaginationError{Reason: "links.next leaves " + baseURL}
	u, err := url.Parse(link)
	if err != nil || u.Opaque != "" || u.User != nil || u.Fragment != "" ||
		!strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return "", outside
	}
	// Check the decoded path (no dot segments, no doubled slashes) and
	// forward the escaped one, so "%2e%2e" cannot climb out either.
	rest, ok := strings.CutPrefix(u.Path, base.Path)
	if !ok || !strings.HasPrefix(rest, "/api/v2/") || path.Clean(rest) != rest {
		return "", outside
	}
	escRest, ok := strings.CutPrefix(u.EscapedPath(), base.EscapedPath())
	if !ok {
		return "", outside
	}
	if u.RawQuery == "" {
		return escRest, nil
	}
	return escRest + "?" + u.RawQuery, nil
}
