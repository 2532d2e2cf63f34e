package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/redistest"
)

// syncAll syncs Accounts, Contacts (their title into a user field) and
// Leads, polling every poll seconds.
func syncAll(poll int) func(*crossview.DataSyncSettings) {
	return func(s *crossview.DataSyncSettings) {
		s.Accounts.On, s.Contacts.On, s.Leads.On = true, true, true
		s.Contacts.Mappings = append(s.Contacts.Mappings, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
		s.Leads.Mappings = append(s.Leads.Mappings, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
		s.PollSeconds = poll
	}
}

// Turning account and contact sync on brings every Account, Contact and
// Lead across: each Account one organization, each Contact and Lead one
// user, a Contact in its Account's organization, with its title; the
// progress says so. In one process and on Redis.
func TestDataSyncBackfillsEveryRecordInScope(t *testing.T) {
	for _, mode := range []string{"embedded", "redis"} {
		t.Run(mode, func(t *testing.T) {
			redisURL := ""
			if mode == "redis" {
				redisURL = redistest.URL(t)
			}
			w := newDataWorld(t, redisURL)
			accounts := map[string]string{} // id → name
			contactAccount := map[string]string{}
			contactTitle := map[string]string{}
			for i := range 12 {
				name := fmt.Sprintf("Account %02d", i)
				acct := w.insert("Account", map[string]any{"Name": name})
				accounts[acct] = name
				for j := range 3 {
					title := fmt.Sprintf("Title %d-%d", i, j)
					id := w.insert("Contact", map[string]any{"LastName": fmt.Sprintf("Person %d-%d", i, j), "Email": fmt.Sprintf("p%d-%d@acme.example", i, j),
						"Title": title, "AccountId": acct})
					contactAccount[id], contactTitle[id] = acct, title
				}
			}
			loner := w.insert("Contact", map[string]any{"LastName": "Loner", "Email": "loner@acme.example", "Title": "Freelancer"})
			contactAccount[loner], contactTitle[loner] = "", "Freelancer"
			leads := map[string]bool{}
			for i := range 8 {
				leads[w.insert("Lead", map[string]any{"LastName": fmt.Sprintf("Lead %d", i), "Company": "Prospect Inc", "Email": fmt.Sprintf("lead%d@prospect.example", i)})] = true
			}

			w.configure(syncAll(2))
			w.enable(crossview.FeatureAccountSync)
			w.enable(crossview.FeatureContactSync)
			st := w.backfilled(60 * time.Second)
			for _, o := range st.Objects {
				want := map[string]int{"Account": 12, "Contact": 37, "Lead": 8}[o.Object]
				if b := o.Backfill; b.Done != want || b.Total != want || b.Percent != 100 || b.Failed != 0 {
					t.Errorf("%s backfill: %+v, want %d of %d", o.Object, *b, want, want)
				}
			}

			orgs := w.orgs()
			if len(orgs) != len(accounts) {
				t.Errorf("%d organizations with an Account id, want %d", len(orgs), len(accounts))
			}
			for id, name := range accounts {
				if o, ok := orgs[id]; !ok || o.Name != name {
					t.Errorf("Account %s (%s) as an organization: %+v %v", id, name, o, ok)
				}
			}
			users := w.users()
			if len(users) != len(contactAccount)+len(leads) {
				t.Errorf("%d users with a Salesforce id, want %d", len(users), len(contactAccount)+len(leads))
			}
			for id, acct := range contactAccount {
				u, ok := users[id]
				switch {
				case !ok:
					t.Errorf("Contact %s is no Zendesk user", id)
				case acct == "" && u.OrganizationID != 0:
					t.Errorf("Contact %s without an Account is in organization %d", id, u.OrganizationID)
				case acct != "" && u.OrganizationID != orgs[acct].ID:
					t.Errorf("Contact %s is in organization %d, want %d (%s)", id, u.OrganizationID, orgs[acct].ID, accounts[acct])
				case title(u) != contactTitle[id]:
					t.Errorf("Contact %s's title is %q, want %q", id, title(u), contactTitle[id])
				}
			}
			for id := range leads {
				if u, ok := users[id]; !ok || u.OrganizationID != 0 || !strings.HasPrefix(u.Email, "lead") {
					t.Errorf("Lead %s as a user: %+v %v", id, u, ok)
				}
			}
		})
	}
}

// A Contact changed in the org is in Zendesk within one poll interval
// (plus the write): a new title, and a move to another Account moves the
// user to that organization.
func TestDataSyncChangeWithinOnePollInterval(t *testing.T) {
	w := newDataWorld(t, "")
	globex := w.insert("Account", map[string]any{"Name": "Globex"})
	initech := w.insert("Account", map[string]any{"Name": "Initech"})
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@globex.example", "Title": "Clerk", "AccountId": globex})
	const poll = 5 * time.Second
	w.configure(syncAll(int(poll / time.Second)))
	w.enable(crossview.FeatureAccountSync)
	w.enable(crossview.FeatureContactSync)
	w.backfilled(30 * time.Second)
	time.Sleep(time.Second) // after the poll that finished the backfill

	w.update("Contact", ann, map[string]any{"Title": "Controller", "AccountId": initech})
	changed := time.Now()
	within := poll + 2500*time.Millisecond // a poll interval, and the write's job in Zendesk
	waitUntil(t, "the change in Zendesk", within, func() (bool, string) {
		u := w.users()[ann]
		return title(u) == "Controller" && u.OrganizationID == w.orgs()[initech].ID, zendeskUserString(u)
	})
	t.Logf("the change reached Zendesk in %s (polling every %s)", time.Since(changed).Round(100*time.Millisecond), poll)
	// The log says what the poll wrote, and how long after the change.
	waitUntil(t, "the change in the data-sync log", 2*time.Second, func() (bool, string) {
		log := w.details().Log
		for _, e := range log {
			if e.Object == "Contact" && e.Why == "change" && e.Updated == 1 && e.LagMS > 0 {
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", log)
	})
}

// Salesforce keeps SystemModstamp to the second. A Contact changed twice
// within one second — a poll reading the first change in between — with
// another Contact changed in that same second, loses neither change.
func TestDataSyncSameSecondChangesLoseNothing(t *testing.T) {
	w := newDataWorld(t, "")
	ann := w.insert("Contact", map[string]any{"LastName": "Ames", "Email": "ann@acme.example", "Title": "Clerk"})
	bob := w.insert("Contact", map[string]any{"LastName": "Bell", "Email": "bob@acme.example", "Title": "Buyer"})
	w.configure(func(s *crossview.DataSyncSettings) {
		syncAll(1)(s)
		s.Accounts.On, s.Leads.On = false, false
	})
	w.enable(crossview.FeatureContactSync)
	w.backfilled(30 * time.Second)

	second := time.Now().Truncate(time.Second).Add(2 * time.Second)
	w.orgClock.Hold(second.Add(100 * time.Millisecond))
	defer w.orgClock.Release()
	w.update("Contact", ann, map[string]any{"Title": "Analyst"})
	w.update("Contact", bob, map[string]any{"Title": "Head Buyer"})
	waitUntil(t, "the first changes in Zendesk", 10*time.Second, func() (bool, string) {
		us := w.users()
		return title(us[ann]) == "Analyst" && title(us[bob]) == "Head Buyer", zendeskUserString(us[ann]) + " / " + zendeskUserString(us[bob])
	})
	// Still the same SystemModstamp second.
	w.orgClock.Hold(second.Add(700 * time.Millisecond))
	w.update("Contact", ann, map[string]any{"Title": "Senior Analyst"})
	if rec, _ := w.org.Get("Contact", ann); fmt.Sprint(rec["SystemModstamp"]) != fmt.Sprint(second.UTC()) {
		t.Fatalf("the second change is stamped %v, not the first's second %v", rec["SystemModstamp"], second.UTC())
	}
	waitUntil(t, "the second change in Zendesk", 10*time.Second, func() (bool, string) {
		us := w.users()
		return title(us[ann]) == "Senior Analyst" && title(us[bob]) == "Head Buyer", zendeskUserString(us[ann]) + " / " + zendeskUserString(us[bob])
	})
}
