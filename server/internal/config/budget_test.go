package config

import (
	"strings"
	"testing"
	"time"
)

func TestBudgetSettings(t *testing.T) {
	c, err := Load(env(map[string]string{"CROSSVIEW_ENCRYPTION_KEY": goodKey}), ModeAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if c.RefreshCooldown != time.Minute || c.SidebarPoll != 30*time.Second || c.SalesforceReserve != 0.9 || c.ZendeskReserve != 0.9 {
		t.Fatalf("defaults: cooldown %v, reserves %v %v", c.RefreshCooldown, c.SalesforceReserve, c.ZendeskReserve)
	}
	if c, _ := Load(env(nil), ModeSandbox); c.RefreshCooldown != 0 {
		t.Errorf("sandbox cooldown %v, want 0 (the demo's failure switches press Refresh)", c.RefreshCooldown)
	}
	c, err = Load(env(map[string]string{
		"CROSSVIEW_REFRESH_COOLDOWN":   "0s",
		"CROSSVIEW_SALESFORCE_RESERVE": "80%",
		"CROSSVIEW_ZENDESK_RESERVE":    "0.75",
	}), ModeSandbox)
	if err != nil {
		t.Fatal(err)
	}
	if c.RefreshCooldown != 0 || c.SalesforceReserve != 0.8 || c.ZendeskReserve != 0.75 {
		t.Fatalf("set: cooldown %v, reserves %v %v", c.RefreshCooldown, c.SalesforceReserve, c.ZendeskReserve)
	}
	for name, v := range map[string]string{
		"CROSSVIEW_REFRESH_COOLDOWN":   "soon",
		"CROSSVIEW_SIDEBAR_POLL":       "10ms",
		"CROSSVIEW_SALESFORCE_RESERVE": "120%",
		"CROSSVIEW_ZENDESK_RESERVE":    "0",
	} {
		_, err := Load(env(map[string]string{name: v}), ModeSandbox)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v", name, v, err)
		}
	}
}
