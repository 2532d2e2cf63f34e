package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The data-sync backfill survives SIGKILL: Accounts, Contacts and Leads go
// to Zendesk while the process is killed at 30 % and 70 % and restarted,
// and at the end every record is in Zendesk exactly once, with the right
// organization. CI runs a small org; the full size (10,000
// Accounts, 40,000 Contacts, 10,000 Leads) with
//
//	CROSSVIEW_DS_ACCOUNTS=10000 go test -run TestDataSyncBackfillSurvivesKill9 -v -timeout 60m ./server/
//
// which also prints the calls and the rate (docs/performance.md).

func TestDataSyncBackfillSurvivesKill9Embedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	runDataSyncCrash(t, "")
}

func TestDataSyncBackfillSurvivesKill9Redis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	runDataSyncCrash(t, redistest.Start(t).URL)
}

func runDataSyncCrash(t *testing.T, redisURL string) {
	accounts := envInt("CROSSVIEW_DS_ACCOUNTS", 150)
	contacts, leads := 4*accounts, accounts
	w := newCrashWorld(t, redisURL)
	w.env = append(w.env, "CROSSVIEW_DATA_SYNC_MIN_INTERVAL=1s", "CROSSVIEW_LOG_LEVEL=info")

	seedStart := time.Now()
	rng := rand.New(rand.NewPCG(7, 8))
	acctIDs := make([]string, accounts)
	for i := range acctIDs {
		id, err := w.org.Insert("Account", map[string]any{"Name": fmt.Sprintf("Account %05d", i), "Website": fmt.Sprintf("https://a%05d.example", i)})
		if err != nil {
			t.Fatal(err)
		}
		acctIDs[i] = id
	}
	contactAccount := map[string]string{} // Contact id → its Account id
	for i := range contacts {
		acct := acctIDs[rng.IntN(accounts)]
		id, err := w.org.Insert("Contact", map[string]any{"FirstName": "Pat", "LastName": fmt.Sprintf("Contact %06d", i),
			"Email": fmt.Sprintf("contact%06d@example.com", i), "AccountId": acct})
		if err != nil {
			t.Fatal(err)
		}
		contactAccount[id] = acct
	}
	leadIDs := map[string]bool{}
	for i := range leads {
		id, err := w.org.Insert("Lead", map[string]any{"LastName": fmt.Sprintf("Lead %06d", i), "Company": "Prospect Inc",
			"Email": fmt.Sprintf("lead%06d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		leadIDs[id] = true
	}
	total := accounts + contacts + leads
	t.Logf("seeded %d Accounts, %d Contacts, %d Leads in %v", accounts, contacts, leads, time.Since(seedStart).Round(time.Millisecond))

	addr := freeAddr(t)
	pub := "http://" + addr
	w.cli(pub, "admin", "account", "add", "--subdomain", crashSubdomain, "--app-id", "1", "--api-email", w.admin.Email, "--api-token", w.apiToken)
	connID := strings.TrimSpace(w.cli(pub, "admin", "connection", "add", "--subdomain", crashSubdomain, "--environment", "production",
		"--refresh-token", w.refreshToken, "--name", "Acme Corp"))
	w.cli(pub, "admin", "connection", "datasync", "--id", connID, "--objects", "accounts,contacts,leads", "--poll", "2s")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "account_sync")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "contact_sync")

	sf0, zd0, zdBy0 := w.org.Stats().APICalls, w.acct.Stats().Requests, w.acct.Stats().ByEndpoint
	rep := w.replica("ds", addr)
	start := time.Now()
	rep.start()
	inZendesk := func() int {
		n := 0
		for _, o := range w.acct.Organizations() {
			if o.ExternalID != "" {
				n++
			}
		}
		for _, u := range w.acct.Users() {
			if u.ExternalID != "" {
				n++
			}
		}
		return n
	}
	for _, share := range []float64{0.3, 0.7} {
		waitEvery(t, time.Second, fmt.Sprintf("%.0f%% of the records in Zendesk", share*100), 20*time.Minute, func() (bool, string) {
			n := inZendesk()
			return n >= int(share*float64(total)), fmt.Sprintf("%d of %d", n, total)
		})
		t.Logf("killing the process with SIGKILL at %d of %d records", inZendesk(), total)
		rep.kill()
		rep.start()
	}
	waitEvery(t, time.Second, "every record in Zendesk", 30*time.Minute, func() (bool, string) {
		n := inZendesk()
		return n >= total, fmt.Sprintf("%d of %d", n, total)
	})
	took := time.Since(start)
	time.Sleep(3 * time.Second) // anything still under way lands
	sfCalls, zdCalls := w.org.Stats().APICalls-sf0, w.acct.Stats().Requests-zd0
	zdBy := w.acct.Stats().ByEndpoint
	rep.stop()

	orgByAccount := map[string][]zendesktest.Organization{}
	for _, o := range w.acct.Organizations() {
		if o.ExternalID != "" {
			orgByAccount[o.ExternalID] = append(orgByAccount[o.ExternalID], o)
		}
	}
	for _, a := range acctIDs {
		if n := len(orgByAccount[a]); n != 1 {
			t.Fatalf("Account %s is %d organizations in Zendesk, want exactly 1", a, n)
		}
	}
	if len(orgByAccount) != accounts {
		t.Errorf("%d organizations with an external id, want %d", len(orgByAccount), accounts)
	}
	users := map[string][]zendesktest.User{}
	emails := map[string]int{}
	for _, u := range w.acct.Users() {
		if u.ExternalID != "" {
			users[u.ExternalID] = append(users[u.ExternalID], u)
			emails[strings.ToLower(u.Email)]++
		}
	}
	var bad []string
	for id, acct := range contactAccount {
		us := users[id]
		if len(us) != 1 {
			t.Fatalf("Contact %s is %d users in Zendesk, want exactly 1", id, len(us))
		}
		if want := orgByAccount[acct][0].ID; us[0].OrganizationID != want {
			bad = append(bad, id)
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("%d Contacts are not in their Account's organization, e.g. %v", len(bad), bad[:min(5, len(bad))])
	}
	for id := range leadIDs {
		if n := len(users[id]); n != 1 {
			t.Fatalf("Lead %s is %d users in Zendesk, want exactly 1", id, n)
		}
	}
	for e, n := range emails {
		if n != 1 {
			t.Errorf("email %s on %d users", e, n)
		}
	}
	if len(users) != contacts+leads {
		t.Errorf("%d users with an external id, want %d", len(users), contacts+leads)
	}
	t.Logf("%d records in %v (%.0f records/s, two SIGKILLs included)", total, took.Round(time.Second), float64(total)/took.Seconds())
	t.Logf("Salesforce calls %d (records/2,000 = %d); Zendesk calls %d (records/100 = %d)", sfCalls, total/2000, zdCalls, total/100)
	checkCrashCalls(t, crashCounts{accounts: accounts, contacts: contacts, leads: leads, starts: 3},
		sfCalls, zdCalls, endpointDelta(zdBy, zdBy0))
	if os.Getenv("CROSSVIEW_DS_CALLS") != "" {
		t.Logf("Zendesk calls by endpoint: %v", w.acct.Stats().ByEndpoint)
		t.Logf("Salesforce calls by kind: %v", w.org.Stats().Calls)
	}
}

// waitEvery is waitUntil looking every d: counting 60,000 emulated
// records ten times a second would slow the emulator it watches.
func waitEvery(t *testing.T, d time.Duration, what string, within time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %s", what, within, last)
		}
		time.Sleep(d)
	}
}
