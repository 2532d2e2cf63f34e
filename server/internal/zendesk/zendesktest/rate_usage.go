package zendesktest

// SetOtherUsage makes n requests of every minute's rate limit count as
// used by other API clients of the account (another integration, a
// script), as happens on a busy account: X-Rate-Limit-Remaining starts
// each minute n lower, and the current minute is raised to at least n.
// 0 clears it.
func (a *Account) SetOtherUsage(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.otherUsage = max(0, n)
	a.window.count = max(a.window.count, a.otherUsage)
}
