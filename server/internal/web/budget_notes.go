package web

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/budget"
)

// heldNote says why a forced refresh served the cached answer.
func heldNote(h *budget.Hold, now time.Time) string {
	wait := max(1, int(math.Ceil(h.Until.Sub(now).Seconds())))
	return fmt.Sprintf("Not refreshed again: you refreshed this panel %s, so this is the data as last fetched. You can refresh again in %d seconds.",
		ago(now.Sub(h.Since)), wait)
}

// salesforceReserveNote says an org's daily allowance is nearly used.
func salesforceReserveNote(u *budget.Use) string {
	return fmt.Sprintf("This org has used %d%% of its daily Salesforce API allowance (%s of %s calls), so Crossview keeps the rest for new lookups: this data is not refreshed until the allowance frees up, and may be older than usual.",
		percent(u), thousands(u.Used), thousands(u.Limit))
}

// zendeskReserveNote says a Zendesk account is near its rate limit.
func zendeskReserveNote(tenant string, u *budget.Use) string {
	return fmt.Sprintf("%s is near its Zendesk API rate limit (%s of %s calls this minute), so its tickets are not refreshed until the next minute and may be older than usual.",
		tenant, thousands(u.Used), thousands(u.Limit))
}

func percent(u *budget.Use) int {
	if u.Limit <= 0 {
		return 0
	}
	return int(math.Floor(100 * float64(u.Used) / float64(u.Limit)))
}

// thousands writes n with comma separators, as the panels' English does.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
