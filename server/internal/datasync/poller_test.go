package datasync

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/ticketsync"
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

// Stopping the pollers waits for them: when RunPollers returns, the
// lease is free for another replica and nothing more reaches Zendesk
// (the store they write to may close).
func TestRunPollersReturnsOnceItsPollersHaveStopped(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	for i := range 300 {
		w.insert("Contact", map[string]any{"LastName": "Person", "Email": fmt.Sprintf("p%03d@acme.test", i)})
	}
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.acct.SetLatency(50 * time.Millisecond) // a backfill that takes a while
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan struct{})
	go func() {
		w.svc.RunPollers(ctx)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for w.acct.Stats().Requests == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the poller never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	hold, ok, err := w.svc.o.Leases.Acquire(w.ctx, leaseName(w.conn.ID), "another replica", time.Minute)
	if err != nil || !ok {
		t.Errorf("the lease is still held once RunPollers returned: %v %v", ok, err)
	} else {
		_ = w.svc.o.Leases.Release(w.ctx, hold)
	}
	after := w.acct.Stats().Requests
	time.Sleep(300 * time.Millisecond)
	if n := w.acct.Stats().Requests - after; n != 0 {
		t.Errorf("%d Zendesk calls after RunPollers returned", n)
	}
}

// A page can take longer than the lease (a page is twenty Zendesk jobs,
// each awaited): the poller keeps its lease while it works, so no other
// replica takes the org over in the middle of a page and writes the
// same records at once.
func TestThePollerKeepsItsLeaseThroughALongPage(t *testing.T) {
	w := newWorld(t)
	w.svc.o.Leases = queue.NewLocalLeases(time.Now) // the lease runs on the wall clock, as the pace of jobs does
	w.svc.o.LeaseTTL = 300 * time.Millisecond
	w.svc.o.PageSize = 1000
	w.contactsWithTitle()
	for i := range 1000 {
		w.insert("Contact", map[string]any{"LastName": "Person", "Email": fmt.Sprintf("p%04d@acme.test", i)})
	}
	w.clock.Advance(10 * time.Minute)
	w.enable(crossview.FeatureContactSync)
	w.mu.Lock()
	w.onWait = func() { time.Sleep(150 * time.Millisecond) } // ten jobs, four at a time: the page outlasts the lease
	w.mu.Unlock()
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan struct{})
	go func() {
		w.svc.RunPollers(ctx)
		close(done)
	}()
	defer func() { cancel(); <-done }()
	for len(w.users()) == 0 { // the poller holds the lease and is in its first page
		time.Sleep(5 * time.Millisecond)
	}
	started, deadline := time.Now(), time.Now().Add(30*time.Second)
	for len(w.users()) < 1000 {
		if time.Now().After(deadline) {
			t.Fatalf("the backfill did not finish: %d users", len(w.users()))
		}
		if hold, ok, _ := w.svc.o.Leases.Acquire(w.ctx, leaseName(w.conn.ID), "another replica", time.Minute); ok {
			_ = w.svc.o.Leases.Release(w.ctx, hold)
			t.Fatalf("another replica took the lease %s into the poller's page", time.Since(started).Round(time.Millisecond))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// slowFailure is a Source whose change reads take a while and then fail.
type slowFailure struct {
	Source
	clock *testClock
}

func (s slowFailure) Changed(context.Context, crossview.Connection, string, Cursor, []string, *crossview.FilterGroup, int) ([]crossview.SFRecord, error) {
	s.clock.Advance(4 * time.Minute)
	return nil, errors.New("429 Too Many Requests")
}

// A Retry-After counts from when it was said, not from when the poll
// began: a poll that ran four minutes before Zendesk asked for ten waits
// the ten.
func TestRetryAfterCountsFromTheRefusal(t *testing.T) {
	w := newWorld(t)
	w.contactsWithTitle()
	w.enable(crossview.FeatureContactSync)
	w.poll() // the (empty) backfill
	w.svc.o.Source = slowFailure{Source: w.svc.o.Source, clock: w.clock}
	w.svc.o.Classify = func(error) ticketsync.Failure {
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: "slow down", RetryAfter: 10 * time.Minute}
	}
	w.svc.cycle(w.ctx, w.current(), func() bool { return true })
	refused := w.clock.Now()
	w.svc.mu.Lock()
	next := w.svc.polls[w.conn.ID].next
	w.svc.mu.Unlock()
	if next.Before(refused.Add(10 * time.Minute)) {
		t.Errorf("the next poll is %s after the refusal; Zendesk asked for 10m", next.Sub(refused))
	}
}

// With the allowance spent, polling pauses, and looks again within the
// hour (the allowance is a rolling 24 hours, and a poll is how the
// org's use is read again).
func TestASpentAllowancePausesForAnHourAtMost(t *testing.T) {
	c := crossview.Connection{ID: "c", OrgID: "00D", Status: crossview.StatusActive, Features: map[crossview.Feature]bool{
		crossview.FeatureContactSync: true}}
	c.DataSync = crossview.DefaultDataSyncSettings()
	s := New(Options{Usage: func(string) (int, int, bool) { return 100_000, 100_000, true }})
	iv, reason := s.interval(c)
	if !strings.Contains(reason, "paused") || iv > time.Hour {
		t.Errorf("spent allowance: every %s (%q); want paused, looking again within the hour", iv, reason)
	}
}
