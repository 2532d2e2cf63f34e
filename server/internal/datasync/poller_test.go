package datasync

import (
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// The poll interval stretches to keep a day of polling within the share
// of the org's remaining allowance, and no further: polling a little
// faster than it says would spend more than the share.
func TestIntervalStaysWithinTheBudgetAndNoFurther(t *testing.T) {
	for _, tc := range []struct {
		name        string
		used, limit int
		share       float64
		poll        int
		objects     int
	}{
		{"a 100k org, two objects every 10 s", 15, 100_000, 0.1, 10, 2},
		{"a 100k org, three objects every 30 s", 40_000, 100_000, 0.1, 30, 3},
		{"a small org, one object", 4_000, 15_000, 0.1, 30, 1},
		{"nearly spent", 99_000, 100_000, 0.1, 30, 3},
	} {
		c := crossview.Connection{ID: "c", OrgID: "00D", Status: crossview.StatusActive, Features: map[crossview.Feature]bool{
			crossview.FeatureAccountSync: true, crossview.FeatureContactSync: true}}
		c.DataSync = crossview.DefaultDataSyncSettings()
		c.DataSync.Accounts.On, c.DataSync.Contacts.On, c.DataSync.Leads.On = tc.objects >= 1, tc.objects >= 2, tc.objects >= 3
		c.DataSync.APIShare, c.DataSync.PollSeconds = tc.share, tc.poll
		s := New(Options{Usage: func(string) (int, int, bool) { return tc.used, tc.limit, true }, MinInterval: time.Second})
		iv, reason := s.interval(c)
		budget := float64(tc.limit-tc.used) * tc.share
		n := float64(tc.objects)
		if spent := perDay(n, iv); spent > budget*1.001 {
			t.Errorf("%s: every %s spends %.0f calls a day, over the budget of %.0f", tc.name, iv, spent, budget)
		}
		asked := time.Duration(tc.poll) * time.Second
		if iv == asked {
			if reason != "" {
				t.Errorf("%s: at the asked interval, reason %q", tc.name, reason)
			}
			continue
		}
		if faster := iv - iv/20; perDay(n, faster) <= budget {
			t.Errorf("%s: every %s would also fit the budget, yet polls wait %s", tc.name, faster, iv)
		}
		if !strings.Contains(reason, "remaining API allowance") {
			t.Errorf("%s: the reason %q does not name the budget", tc.name, reason)
		}
	}
}
