package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The ticket-sync measurements behind docs/performance.md. They measure,
// they assert nothing about speed; run them with
//
//	CROSSVIEW_PERF=1 go test -run 'TestPerfTicketSync' -v -timeout 30m ./server/
//
// CROSSVIEW_PERF_SECONDS sets the sustained run's length (default 60).

func perfOnly(t *testing.T) {
	if os.Getenv("CROSSVIEW_PERF") == "" {
		t.Skip("a measurement: set CROSSVIEW_PERF=1 to run it")
	}
}

// perfSetup starts a world on a real Redis with one replica syncing
// tickets, every upstream slowed by latency.
func perfSetup(t *testing.T, backfillDays int) (*crashWorld, *replica, string, *redistest.Server) {
	rds := redistest.Start(t)
	w := newCrashWorld(t, rds.URL)
	w.acct.SetDeliveryFaults(zendesktest.DeliveryFaults{Drop: 1}) // the test delivers
	addr := freeAddr(t)
	pub := "http://" + addr
	w.cli(pub, "admin", "account", "add", "--subdomain", crashSubdomain, "--app-id", "1", "--api-email", w.admin.Email, "--api-token", w.apiToken)
	connID := strings.TrimSpace(w.cli(pub, "admin", "connection", "add", "--subdomain", crashSubdomain, "--environment", "production",
		"--refresh-token", w.refreshToken, "--name", "Acme Corp"))
	w.cli(pub, "admin", "connection", "ticketsync", "--id", connID, "--backfill-days", strconv.Itoa(backfillDays), "--comments", "public")
	return w, w.replica("perf", addr), connID, rds
}

func (w *crashWorld) secretFor(t *testing.T, connID string) string {
	t.Helper()
	for _, h := range w.acct.Webhooks() {
		if strings.Contains(h.Endpoint, connID) {
			return h.Secret
		}
	}
	t.Fatalf("no webhook for %s", connID)
	return ""
}

func TestPerfTicketSyncLag(t *testing.T) {
	perfOnly(t)
	const rate, latency = 20, 50 * time.Millisecond
	seconds := 60
	if v, err := strconv.Atoi(os.Getenv("CROSSVIEW_PERF_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	w, rep, connID, rds := perfSetup(t, 0)
	req := w.acct.AddUser(zendesktest.User{Name: "Pat Customer", Email: "pat@example.com", Role: "end-user"})
	var ids []int64
	for i := range 400 {
		ids = append(ids, w.acct.AddTicket(zendesktest.Ticket{Subject: fmt.Sprintf("Order %d", i), Description: "hello", RequesterID: req.ID}).ID)
	}
	w.cli(rep.url(), "admin", "connection", "enable", "--id", connID, "--feature", "ticket_sync")
	secret := w.secretFor(t, connID)
	rep.start()
	ctx := t.Context()
	// First syncs create the Cases (and find the Contact); measure after.
	for _, id := range ids {
		tk, _ := w.acct.Ticket(id)
		if _, err := w.deliver(ctx, rep.url(), connID, secret, id, tk.UpdatedAt); err != nil {
			t.Fatal(err)
		}
	}
	waitQuiet(t, rds, connID)
	w.acct.SetLatency(latency)
	w.org.SetLatency(latency)
	sf0, zd0 := w.org.Stats().APICalls, w.acct.Stats().Requests
	start := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / rate)
	changes := 0
	for time.Since(start) < time.Duration(seconds)*time.Second {
		<-tick.C
		id := ids[rng.IntN(len(ids))]
		var tk zendesktest.Ticket
		if rng.IntN(2) == 0 {
			if _, err := w.acct.AddComment(id, zendesktest.Comment{AuthorID: w.admin.ID, Body: fmt.Sprintf("reply %d", changes), Public: true}); err != nil {
				t.Fatal(err)
			}
			tk, _ = w.acct.Ticket(id)
		} else {
			var err error
			if tk, err = w.acct.UpdateTicket(id, func(tk *zendesktest.Ticket) { tk.Priority = []string{"low", "normal", "high"}[rng.IntN(3)] }); err != nil {
				t.Fatal(err)
			}
		}
		changes++
		wg.Go(func() {
			if _, err := w.deliver(ctx, rep.url(), connID, secret, id, tk.UpdatedAt); err != nil {
				t.Error(err)
			}
		})
	}
	tick.Stop()
	wg.Wait()
	waitQuiet(t, rds, connID)
	sfCalls, zdCalls := w.org.Stats().APICalls-sf0, w.acct.Stats().Requests-zd0

	entries, err := redisstore.NewLog(rds.Client(t), "cv").Recent(ctx, connID, time.Time{}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var lags []time.Duration
	for _, e := range entries {
		var en ticketsync.Entry
		if json.Unmarshal(e.Entry, &en) != nil || e.At.Before(start) || (en.Outcome != "created" && en.Outcome != "updated") {
			continue
		}
		lags = append(lags, time.Duration(en.LagMS)*time.Millisecond)
	}
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	pct := func(p float64) time.Duration {
		if len(lags) == 0 {
			return 0
		}
		return lags[min(len(lags)-1, int(p*float64(len(lags))))]
	}
	t.Logf("sustained %d changes/s for %ds, every upstream %v slow: %d changes, %d Case writes", rate, seconds, latency, changes, len(lags))
	t.Logf("lag webhook → Case: p50 %v, p90 %v, p99 %v, max %v", pct(.5), pct(.9), pct(.99), pct(1))
	t.Logf("Salesforce calls per change %.2f (%d), Zendesk calls per change %.2f (%d)",
		float64(sfCalls)/float64(changes), sfCalls, float64(zdCalls)/float64(changes), zdCalls)
}

// waitQuiet waits until the connection's queue is empty.
func waitQuiet(t *testing.T, rds *redistest.Server, connID string) {
	t.Helper()
	q := redisstore.NewQueue(rds.Client(t), "cv", time.Now)
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		st, err := q.Stats(t.Context(), connID)
		if err == nil && st.Waiting == 0 && st.Leased == 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the queue never emptied")
}

func TestPerfTicketSyncBackfill(t *testing.T) {
	perfOnly(t)
	tickets, comments := 10_000, 50_000
	if v, err := strconv.Atoi(os.Getenv("CROSSVIEW_PERF_TICKETS")); err == nil && v > 0 {
		tickets, comments = v, 5*v
	}
	w, rep, connID, _ := perfSetup(t, 30)
	req := w.acct.AddUser(zendesktest.User{Name: "Pat Customer", Email: "pat@example.com", Role: "end-user"})
	// Seed the past: tickets spread over 20 days, each with its comments
	// (the first one the description).
	rng := rand.New(rand.NewPCG(3, 4))
	span := 20 * 24 * time.Hour
	for i := range tickets {
		w.zdShift.Store(int64(-span + time.Duration(i)*(span/time.Duration(tickets))))
		id := w.acct.AddTicket(zendesktest.Ticket{Subject: fmt.Sprintf("Backfilled %d", i), Description: "first", RequesterID: req.ID, Status: "open"}).ID
		for c := 1; c < comments/tickets; c++ {
			if _, err := w.acct.AddComment(id, zendesktest.Comment{AuthorID: w.admin.ID, Body: fmt.Sprintf("c%d", c), Public: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.acct.UpdateTicket(id, func(tk *zendesktest.Ticket) { tk.Status = []string{"open", "solved", "closed"}[rng.IntN(3)] }); err != nil {
			t.Fatal(err)
		}
	}
	w.zdShift.Store(0)
	sf0, zd0 := w.org.Stats(), w.acct.Stats()
	start := time.Now()
	w.cli(rep.url(), "admin", "connection", "enable", "--id", connID, "--feature", "ticket_sync")
	rep.start()
	polls := 0
	for {
		time.Sleep(2 * time.Second)
		n := w.soqlCount("SELECT COUNT() FROM CaseComment")
		polls++
		if polls%15 == 0 {
			t.Logf("%v: %d CaseComments", time.Since(start).Round(time.Second), n)
		}
		if n >= comments {
			break
		}
		if time.Since(start) > 25*time.Minute {
			for _, line := range strings.Split(rep.logs.String(), "\n") {
				if !strings.Contains(line, "level=DEBUG") {
					t.Log(line)
				}
			}
			t.Fatalf("backfill unfinished: %d comments", n)
		}
	}
	took := time.Since(start)
	for _, line := range strings.Split(rep.logs.String(), "\n") {
		if strings.Contains(line, "backfill") && !strings.Contains(line, "level=DEBUG") {
			t.Log(line)
		}
	}
	sf1, zd1 := w.org.Stats(), w.acct.Stats()
	sfCalls := sf1.APICalls - sf0.APICalls - polls
	t.Logf("backfill of %d tickets with %d comments: %v, %.0f tickets/s", tickets, comments, took.Round(time.Second), float64(tickets)/took.Seconds())
	t.Logf("Salesforce calls: %d (%.1f per 1,000 tickets); by kind: %v", sfCalls, float64(sfCalls)*1000/float64(tickets), diffCalls(sf1.Calls, sf0.Calls))
	zdCalls := zd1.Requests - zd0.Requests
	t.Logf("Zendesk calls: %d (%.1f per 1,000 tickets); by endpoint: %v", zdCalls, float64(zdCalls)*1000/float64(tickets), diffCalls(zd1.ByEndpoint, zd0.ByEndpoint))
}

func diffCalls(after, before map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

// soqlCount runs a COUNT() query: one API call.
func (w *crashWorld) soqlCount(q string) int {
	w.t.Helper()
	req, _ := http.NewRequestWithContext(w.t.Context(), http.MethodGet, w.org.InstanceURL()+"/services/data/v66.0/query?q="+url.QueryEscape(q), nil)
	req.Header.Set("Authorization", "Bearer "+w.accessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var r struct {
		TotalSize int `json:"totalSize"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || resp.StatusCode != http.StatusOK {
		w.t.Fatalf("count %q: %d %v", q, resp.StatusCode, err)
	}
	return r.TotalSize
}
