package main

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestPerfDataSyncLag measures how long a Contact changed in Salesforce
// takes to reach its Zendesk user at the default poll interval (30 s). It
// measures; it asserts nothing about speed:
//
//	CROSSVIEW_PERF=1 go test -run TestPerfDataSyncLag -v -timeout 20m ./server/
func TestPerfDataSyncLag(t *testing.T) {
	perfOnly(t)
	const contacts, changes, every = 200, 90, 2 * time.Second
	w := newCrashWorld(t, redistest.Start(t).URL)
	w.env = append(w.env, "CROSSVIEW_LOG_LEVEL=info")
	if _, err := w.acct.AddUserField(zendesktest.ObjectField{Key: "title", Type: "text", Title: "Title"}); err != nil {
		t.Fatal(err)
	}
	acct, err := w.org.Insert("Account", map[string]any{"Name": "Acme"})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, contacts)
	for i := range ids {
		if ids[i], err = w.org.Insert("Contact", map[string]any{"LastName": fmt.Sprintf("Person %d", i),
			"Email": fmt.Sprintf("p%d@example.com", i), "Title": "v0", "AccountId": acct}); err != nil {
			t.Fatal(err)
		}
	}
	addr := freeAddr(t)
	pub := "http://" + addr
	w.cli(pub, "admin", "account", "add", "--subdomain", crashSubdomain, "--app-id", "1", "--api-email", w.admin.Email, "--api-token", w.apiToken)
	connID := strings.TrimSpace(w.cli(pub, "admin", "connection", "add", "--subdomain", crashSubdomain, "--environment", "production",
		"--refresh-token", w.refreshToken, "--name", "Acme Corp"))
	w.cli(pub, "admin", "connection", "datasync", "--id", connID, "--objects", "accounts,contacts",
		"--map", "Contact.Name=name", "--map", "Contact.Email=email", "--map", "Contact.Title=user_fields.title")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "account_sync")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "contact_sync")
	rep := w.replica("lag", addr)
	rep.start()
	title := func(id string) string {
		for _, u := range w.acct.Users() {
			if u.ExternalID == id {
				s, _ := u.UserFields["title"].(string)
				return s
			}
		}
		return ""
	}
	waitUntil(t, "the backfill", 5*time.Minute, func() (bool, string) {
		return title(ids[contacts-1]) == "v0", ""
	})

	rng := rand.New(rand.NewPCG(5, 6))
	var (
		mu   sync.Mutex
		lags []time.Duration
		wg   sync.WaitGroup
	)
	for i := range changes {
		id := ids[rng.IntN(contacts)]
		want := fmt.Sprintf("v%d", i+1)
		changed := time.Now()
		if err := w.org.Update("Contact", id, map[string]any{"Title": want}); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for time.Since(changed) < 3*time.Minute {
				got := title(id)
				if got == want {
					mu.Lock()
					lags = append(lags, time.Since(changed))
					mu.Unlock()
					return
				}
				var gotN, wantN int
				_, err1 := fmt.Sscanf(got, "v%d", &gotN)
				_, err2 := fmt.Sscanf(want, "v%d", &wantN)
				if err1 == nil && err2 == nil && gotN > wantN {
					return // overtaken by a later change to the same Contact
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Errorf("Contact %s never showed %q", id, want)
		})
		time.Sleep(every)
	}
	wg.Wait()
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	pct := func(p float64) time.Duration {
		return lags[min(len(lags)-1, int(p*float64(len(lags))))].Round(100 * time.Millisecond)
	}
	t.Logf("%d Contact changes, one every %v, default poll interval: lag Salesforce → Zendesk p50 %v, p90 %v, p99 %v, max %v",
		len(lags), every, pct(.5), pct(.9), pct(.99), pct(1))
}
