package config

import (
	"strconv"
	"strings"
	"time"
)

// loadBudget reads how panels spend API allowances: how long one user's
// forced refresh of a panel holds off the next (CROSSVIEW_REFRESH_COOLDOWN,
// default 1m, 0 for none; off in the sandbox, whose demo forces a refresh
// each time an org is made to fail or recover), how often an open sidebar
// fetches its panel again (CROSSVIEW_SIDEBAR_POLL, 30s), and the share of
// Salesforce's daily and Zendesk's per-minute allowance past which
// optional calls stop (CROSSVIEW_SALESFORCE_RESERVE,
// CROSSVIEW_ZENDESK_RESERVE, default 90%).
func (c *Config) loadBudget(getenv func(string) string, mode Mode, bad func(string, ...any)) {
	c.RefreshCooldown = time.Minute
	if mode == ModeSandbox {
		c.RefreshCooldown = 0
	}
	if v := strings.TrimSpace(getenv("CROSSVIEW_REFRESH_COOLDOWN")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > time.Hour {
			bad("CROSSVIEW_REFRESH_COOLDOWN %q is not a duration from 0s to 1h, like 1m", v)
		}
		c.RefreshCooldown = d
	}
	c.SidebarPoll = 30 * time.Second
	if v := strings.TrimSpace(getenv("CROSSVIEW_SIDEBAR_POLL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second || d > time.Hour {
			bad("CROSSVIEW_SIDEBAR_POLL %q is not a duration from 1s to 1h, like 30s", v)
		}
		c.SidebarPoll = d
	}
	c.SalesforceReserve = share(getenv, "CROSSVIEW_SALESFORCE_RESERVE", bad)
	c.ZendeskReserve = share(getenv, "CROSSVIEW_ZENDESK_RESERVE", bad)
}

// share reads a share of an allowance as a percentage ("90%") or a
// fraction ("0.9"), above 0 and at most all of it; default 90%.
func share(getenv func(string) string, name string, bad func(string, ...any)) float64 {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return 0.9
	}
	pct, isPct := strings.CutSuffix(v, "%")
	f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
	if isPct {
		f /= 100
	}
	if err != nil || !(f > 0 && f <= 1) {
		bad("%s %q is not a share of the allowance above 0 and at most 100%%, like 90%% or 0.9", name, v)
		return 0.9
	}
	return f
}
