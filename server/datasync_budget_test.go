package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// An org that has spent most of its daily API allowance (as Salesforce
// reports in Sforce-Limit-Info on every answer) is polled less often than
// the settings ask, so data sync spends at most its share of what is
// left; the connection's page shows the stretched interval and why, and a
// change waits for it.
func TestDataSyncAPIBudgetStretchesThePoll(t *testing.T) {
	w := newDataWorld(t, "")
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@globex.example", "Title": "Clerk"})
	w.configure(func(s *crossview.DataSyncSettings) {
		s.Accounts.On, s.Leads.On, s.PollSeconds, s.APIShare = false, false, 2, 0.1
		s.Contacts.Mappings = append(s.Contacts.Mappings, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
	})
	const limit = 100_000
	w.org.SetAPIUsage(limit-1_000, limit)
	w.enable(crossview.FeatureContactSync)
	w.backfilled(30 * time.Second)

	// A tenth of the ~1,000 calls left is ~100 a day; one object polled
	// costs two calls a poll (a query and getDeleted) while polls are two
	// minutes or more apart: ~2*86,400/100 s, about 29 minutes.
	p := w.pages()
	page := "/admin/connections/" + w.conn.ID
	budgetRE := regexp.MustCompile(`every (\S+) to stay within 10% of the org's remaining API allowance \((\d+) of 100000 used\)`)
	var m []string
	waitUntil(t, "the page showing the stretched interval", 10*time.Second, func() (bool, string) {
		doc := p.get(page)
		m = budgetRE.FindStringSubmatch(text(doc, `[data-testid="ds-budget"]`))
		return m != nil, text(doc, `[data-testid="ds-interval"]`) + " | " + text(doc, `[data-testid="ds-budget"]`)
	})
	doc := p.get(page)
	iv, err := time.ParseDuration(m[1])
	if err != nil {
		t.Fatalf("the stretched interval %q: %v", m[1], err)
	}
	used, _ := strconv.Atoi(m[2])
	if used < limit-1_000 || used >= limit {
		t.Errorf("the page says %d of %d calls used", used, limit)
	}
	want := 2 * 24 * time.Hour / time.Duration(limit-used) * 10 // 2 calls a poll, 10 % of what is left
	if iv < want-time.Minute || iv > want+time.Minute {
		t.Errorf("stretched to %v, want about %v", iv, want)
	}
	if shown := text(doc, `[data-testid="ds-interval"]`); !strings.Contains(shown, "Polls every "+iv.String()) {
		t.Errorf("the interval line says %q, want every %v", shown, iv)
	}
	if !strings.Contains(text(doc, `[data-testid="ds-budget"]`), "Slower than the settings ask") {
		t.Errorf("the budget note: %q", text(doc, `[data-testid="ds-budget"]`))
	}
	if st := w.status(); st.Interval != iv || st.NextPoll.Before(time.Now().Add(iv-2*time.Minute)) {
		t.Errorf("status: every %v, next poll %v; want every %v, the next one that far off", st.Interval, st.NextPoll, iv)
	}

	// The stretch is real: a change waits for the next poll, not 2 s.
	w.update("Contact", ann, map[string]any{"Title": "Manager"})
	time.Sleep(6 * time.Second)
	if u := w.users()[ann]; title(u) != "Clerk" {
		t.Errorf("a change reached Zendesk within 6 s of a %v interval: %s", iv, zendeskUserString(u))
	}
}
