package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// polls reports whether a replica's logs say it took the connection's
// data-sync poller.
func (r *replica) polls(connID string) bool { return pollerLines(logsOf(r), connID) > 0 }

// pollerLines counts the log lines saying a poller was taken.
func pollerLines(logs []string, connID string) int {
	n := 0
	for _, l := range logs {
		for _, line := range strings.Split(l, "\n") {
			if strings.Contains(line, `msg="data sync: polling"`) && strings.Contains(line, "connection="+connID) {
				n++
			}
		}
	}
	return n
}

// Two `crossview serve` replicas on one Redis: exactly one polls the
// org; killed with SIGKILL, the other takes the poller over within 10
// seconds, from the cursor, and a change made meanwhile reaches Zendesk.
func TestDataSyncTwoReplicasOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	w := newCrashWorld(t, redistest.Start(t).URL)
	w.env = append(w.env, "CROSSVIEW_DATA_SYNC_MIN_INTERVAL=1s")
	if _, err := w.acct.AddUserField(zendesktest.ObjectField{Key: "title", Type: "text", Title: "Title"}); err != nil {
		t.Fatal(err)
	}
	var contacts []string
	for i := range 5 {
		acct, err := w.org.Insert("Account", map[string]any{"Name": fmt.Sprintf("Account %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		for j := range 4 {
			id, err := w.org.Insert("Contact", map[string]any{"LastName": fmt.Sprintf("Person %d-%d", i, j),
				"Email": fmt.Sprintf("p%d-%d@acme.example", i, j), "Title": "Clerk", "AccountId": acct})
			if err != nil {
				t.Fatal(err)
			}
			contacts = append(contacts, id)
		}
	}
	addrs := []string{freeAddr(t), freeAddr(t)}
	pub := "http://" + addrs[0]
	w.cli(pub, "admin", "account", "add", "--subdomain", crashSubdomain, "--app-id", "1", "--api-email", w.admin.Email, "--api-token", w.apiToken)
	connID := strings.TrimSpace(w.cli(pub, "admin", "connection", "add", "--subdomain", crashSubdomain, "--environment", "production",
		"--refresh-token", w.refreshToken, "--name", "Acme Corp"))
	w.cli(pub, "admin", "connection", "datasync", "--id", connID, "--objects", "accounts,contacts", "--poll", "2s",
		"--map", "Contact.Name=name", "--map", "Contact.Email=email", "--map", "Contact.Title=user_fields.title")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "account_sync")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "contact_sync")

	reps := []*replica{w.replica("r0", addrs[0]), w.replica("r1", addrs[1])}
	for _, r := range reps {
		r.start()
	}
	titles := func() map[string]string {
		out := map[string]string{}
		for _, u := range w.acct.Users() {
			if u.ExternalID != "" {
				out[u.ExternalID], _ = u.UserFields["title"].(string)
			}
		}
		return out
	}
	waitUntil(t, "the backfill in Zendesk", 60*time.Second, func() (bool, string) {
		n := len(titles())
		return n == len(contacts), fmt.Sprintf("%d of %d Contacts", n, len(contacts))
	})
	// One poller per org, however long both run.
	time.Sleep(4 * time.Second)
	var holder, other *replica
	switch a, b := reps[0].polls(connID), reps[1].polls(connID); {
	case a && !b:
		holder, other = reps[0], reps[1]
	case b && !a:
		holder, other = reps[1], reps[0]
	default:
		t.Fatalf("replicas polling the org: r0 %v, r1 %v", a, b)
	}

	holder.kill()
	killed := time.Now()
	changed := contacts[7]
	if err := w.org.Update("Contact", changed, map[string]any{"Title": "Controller"}); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the other replica taking the poller over", 10*time.Second, func() (bool, string) {
		return other.polls(connID), ""
	})
	t.Logf("%s took the poller over %s after %s was killed", other.name, time.Since(killed).Round(100*time.Millisecond), holder.name)
	waitUntil(t, "the change made after the kill in Zendesk", 10*time.Second, func() (bool, string) {
		got := titles()[changed]
		return got == "Controller", got
	})
	if n := pollerLines(logsOf(holder), connID); n != 1 {
		t.Errorf("the killed replica took the poller %d times", n)
	}
	if n := pollerLines(logsOf(other), connID); n != 1 {
		t.Errorf("the surviving replica took the poller %d times", n)
	}
	if n := len(titles()); n != len(contacts) {
		t.Errorf("%d Contacts in Zendesk after the takeover, want %d (nothing doubled)", n, len(contacts))
	}
}

func logsOf(r *replica) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.all))
	for i, l := range r.all {
		out[i] = l.String()
	}
	return out
}
