package zendesktest

import (
	"strconv"
	"strings"
)

// showManyKeys reads what a show_many call names: ids, or else
// external_ids, each a comma-separated list of up to 100, as the users
// and organizations show_many endpoints take them. External ids compare
// ignoring case, so they come back lowercased.
func showManyKeys(c *call) (ids []int64, externalIDs []string, err error) {
	q := c.r.URL.Query()
	if q.Get("ids") != "" || q.Get("external_ids") == "" {
		ids, err = parseIDs(c)
		if err != nil && q.Get("ids") == "" {
			err = errBadRequest("ParameterMissing", "param is missing or the value is empty: ids or external_ids")
		}
		return ids, nil, err
	}
	parts := strings.Split(q.Get("external_ids"), ",")
	if len(parts) > 100 {
		return nil, nil, errBadRequest("InvalidValue", "external_ids: at most 100 external ids are allowed")
	}
	seen := map[string]bool{}
	for _, p := range parts {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			return nil, nil, errBadRequest("InvalidValue", "external_ids: "+strconv.Quote(p)+" is not an external id")
		}
		if !seen[p] {
			seen[p] = true
			externalIDs = append(externalIDs, p)
		}
	}
	return nil, externalIDs, nil
}
