package zendesk

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode"
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

// maxRequesterChecks bounds the identity look-ups one fallback search may
// cost. An email belongs to one Zendesk user, so more distinct requesters
// than this means the search matched more than the address.
const maxRequesterChecks = 3

// RequesterSearchQuery returns the search query for tickets requested by
// email: requester:"email". Quoting keeps search syntax in the address
// (-, :, parentheses, OR) a literal, but search has no escape for a quote
// or backslash inside quotes and treats * as a wildcard, so an address
// with those, spaces, control characters or anything an email address
// cannot hold is refused (ok false): no query states it exactly.
func RequesterSearchQuery(email string) (string, bool) {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || len(email) > 254 ||
		!strings.ContainsFunc(domain, func(r rune) bool { return r != '.' }) ||
		strings.ContainsFunc(local, notAddressRune("!#$%&'+-/=?^_`{|}~.")) ||
		strings.ContainsFunc(domain, notAddressRune("-.")) {
		return "", false
	}
	return `requester:"` + email + `"`, true
}

// notAddressRune reports runes outside letters, digits and extra.
func notAddressRune(extra string) func(rune) bool {
	return func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(extra, r)
	}
}

// RequesterTicketsBySearch is the fallback for an email no user has as
// primary: search also knows secondary identities. Only tickets whose
// requester holds exactly this email (any case), as primary address or
// identity, are returned, so whatever search matched beyond the address
// (a user named like it, a wildcard) never widens the list. An address no
// query can state exactly finds nothing.
func (c *Client) RequesterTicketsBySearch(ctx context.Context, sub string, cred Credentials, email string, max int) ([]Ticket, error) {
	query, ok := RequesterSearchQuery(strings.TrimSpace(email))
	if !ok {
		return nil, nil
	}
	found, err := c.SearchTickets(ctx, sub, cred, query, max)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	holder, err := c.emailHolder(ctx, sub, cred, strings.TrimSpace(email), found)
	if err != nil || holder == 0 {
		return nil, err
	}
	out := found[:0]
	for _, t := range found {
		if t.RequesterID == holder {
			out = append(out, t)
		}
	}
	return out, nil
}

// emailHolder returns which requester of tickets holds email: by primary
// address (one show_many call), else by identities, checking at most
// maxRequesterChecks requesters. 0 means none.
func (c *Client) emailHolder(ctx context.Context, sub string, cred Credentials, email string, tickets []Ticket) (int64, error) {
	var ids []int64
	seen := map[int64]bool{}
	for _, t := range tickets {
		if t.RequesterID > 0 && !seen[t.RequesterID] {
			seen[t.RequesterID] = true
			ids = append(ids, t.RequesterID)
		}
	}
	users, err := c.UsersByID(ctx, sub, cred, ids[:min(len(ids), 100)])
	if err != nil {
		return 0, err
	}
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return u.ID, nil
		}
	}
	for _, id := range ids[:min(len(ids), maxRequesterChecks)] {
		var r struct {
			Identities []struct {
				Type  string `json:"type"`
				Value string `json:"value"`
			} `json:"identities"`
		}
		if err := c.get(ctx, sub, &cred, "/api/v2/users/"+strconv.FormatInt(id, 10)+"/identities.json", &r); err != nil {
			return 0, err
		}
		for _, ident := range r.Identities {
			if ident.Type == "email" && strings.EqualFold(ident.Value, email) {
				return id, nil
			}
		}
	}
	return 0, nil
}
