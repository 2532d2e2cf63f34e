package zendesk

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// maxSearchResults is how deep Zendesk lets search pagination go; page 11
// at 100 a page is refused with a 422.
const maxSearchResults = 1000

// searchPage is one offset page of GET /api/v2/search.
type searchPage struct {
	Results []struct {
		Ticket
		ResultType string `json:"result_type"`
	} `json:"results"`
	NextPage *string `json:"next_page"`
}

// SearchTickets finds tickets with Zendesk search (query syntax such as
// "requester:ann@example.com status<solved"; type:ticket is added),
// newest update first, reading offset pages until max tickets (at most
// 1,000, search's own limit). max < 1 finds nothing. It is the fallback
// when the direct lookups find nothing: the search index lags minutes
// behind Zendesk, so a fresh ticket or change may be missing.
func (c *Client) SearchTickets(ctx context.Context, sub string, cred Credentials, query string, max int) ([]Ticket, error) {
	max = min(max, maxSearchResults)
	query = strings.TrimSpace(query)
	if max <= 0 || query == "" {
		return nil, nil
	}
	if !hasTicketType(query) {
		query = "type:ticket " + query
	}
	size := min(pageSize, max)
	have := map[int64]bool{}
	var out []Ticket
	for page := 1; (page-1)*size < maxSearchResults; page++ {
		q := url.Values{
			"query":      {query},
			"page":       {strconv.Itoa(page)},
			"per_page":   {strconv.Itoa(size)},
			"sort_by":    {"updated_at"},
			"sort_order": {"desc"},
		}
		var p searchPage
		if err := c.get(ctx, sub, &cred, "/api/v2/search.json?"+q.Encode(), &p); err != nil {
			return nil, err
		}
		for _, r := range p.Results {
			// Offset pages can repeat a result when the index moves under us.
			if r.ResultType != "ticket" || have[r.ID] {
				continue
			}
			have[r.ID] = true
			out = append(out, r.Ticket)
			if len(out) == max {
				return out, nil
			}
		}
		if p.NextPage == nil || len(p.Results) == 0 {
			break
		}
	}
	return out, nil
}

// hasTicketType reports whether the query already asks for tickets only.
func hasTicketType(query string) bool {
	for _, f := range strings.Fields(query) {
		if strings.EqualFold(f, "type:ticket") {
			return true
		}
	}
	return false
}
