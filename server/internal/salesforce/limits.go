package salesforce

import (
	"strconv"
	"strings"
	"time"
)

// Usage is an org's daily API consumption as last reported by Salesforce.
type Usage struct {
	Used, Limit int
}

// Remaining is the number of calls left today.
func (u Usage) Remaining() int { return u.Limit - u.Used }

// parseLimitInfo reads "api-usage=10018/100000" (optionally followed by
// "; api-bursts=1/750") from the Sforce-Limit-Info header.
func parseLimitInfo(h string) (Usage, bool) {
	for _, part := range strings.Split(h, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || k != "api-usage" {
			continue
		}
		used, limit, ok := strings.Cut(v, "/")
		if !ok {
			return Usage{}, false
		}
		u, err1 := strconv.Atoi(used)
		l, err2 := strconv.Atoi(limit)
		if err1 != nil || err2 != nil || l <= 0 || u < 0 {
			return Usage{}, false
		}
		return Usage{Used: u, Limit: l}, true
	}
	return Usage{}, false
}

// usageMaxAge is how long a reported usage is believed: the allowance is
// a rolling 24 hours.
const usageMaxAge = 24 * time.Hour

// APIUsage returns the org's daily API use and allowance as Salesforce
// last reported them in Sforce-Limit-Info; ok is false when no report
// from the last day has been seen.
func (c *Client) APIUsage(orgID string) (used, limit int, ok bool) {
	u, at, ok := c.Usage(orgID)
	if !ok || c.now().Sub(at) > usageMaxAge {
		return 0, 0, false
	}
	return u.Used, u.Limit, true
}
