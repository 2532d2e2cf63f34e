package zendesk

import "time"

// rateWindow is Zendesk's rate-limit window: a report older than this
// says nothing about the current minute.
const rateWindow = time.Minute

// RateUsage returns how much of the account's per-minute API allowance
// was used, from the last X-Rate-Limit and X-Rate-Limit-Remaining seen
// within the current window; ok is false without such a report.
func (c *Client) RateUsage(subdomain string) (used, limit int, ok bool) {
	c.mu.Lock()
	r, seen := c.remain[subdomain]
	c.mu.Unlock()
	if !seen || r.limit <= 0 || c.now().Sub(r.at) >= rateWindow {
		return 0, 0, false
	}
	return max(0, r.limit-r.remaining), r.limit, true
}
