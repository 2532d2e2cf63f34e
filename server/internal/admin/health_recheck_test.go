package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// A connection whose org answered 503 says so, and recovers on a short
// recheck a minute later without anyone clicking; while the problem
// lasts, rechecks back off (1, then 2 minutes), and a healthy connection
// waits for the regular interval.
func TestProblemRecheckedSoonAndRecovers(t *testing.T) {
	e := newEnv(t)
	sess, c := connected(t, e)
	org := e.w.Labs.Production
	clk := &clock{t: time.Now()}
	ticks := make(chan time.Time) // unbuffered: a send returns once the loop took the tick
	svc := admin.New(admin.Options{Store: e.store, SF: e.sf, ZD: zendesk.NewClient(e.w.Zendesk.URLTemplate(), http.DefaultClient, 5*time.Second, nil, time.Now),
		Flows: cache.NewMemory(100, time.Now), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.Now,
		NewTicker: func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	org.SetFailure(http.StatusServiceUnavailable)
	go func() { defer close(done); svc.RunHealthChecks(ctx, time.Hour) }()
	t.Cleanup(func() { cancel(); <-done })

	// tick lets the loop look for due checks at the clock's time, and
	// returns once it has finished looking.
	tick := func(after time.Duration) crossview.Health {
		t.Helper()
		clk.Advance(after)
		ticks <- clk.Now()
		ticks <- clk.Now() // taken only after the first tick's checks ran
		got, err := svc.Connection(ctx, sess, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Health
	}
	unavailable := func(h crossview.Health) bool {
		return len(h.Problems) == 1 && h.Problems[0].Code == admin.ProblemUnavailable &&
			strings.Contains(h.Problems[0].Message, "503 Service Unavailable (maintenance or an outage)")
	}

	h := tick(0) // the loop's first check, at start
	if !unavailable(h) {
		t.Fatalf("during the outage: %+v", h)
	}
	first := h.CheckedAt
	if h = tick(30 * time.Second); !h.CheckedAt.Equal(first) {
		t.Fatalf("rechecked after 30 s: %+v", h)
	}
	if h = tick(31 * time.Second); h.CheckedAt.Equal(first) || !unavailable(h) {
		t.Fatalf("not rechecked a minute after the problem: %+v", h)
	}
	second := h.CheckedAt
	if h = tick(90 * time.Second); !h.CheckedAt.Equal(second) {
		t.Fatalf("the second recheck came before 2 minutes: %+v", h)
	}

	org.SetFailure(0) // Salesforce is back
	if h = tick(31 * time.Second); !h.OK() || h.CheckedAt.Equal(second) {
		t.Fatalf("2 minutes later, after recovery: %+v", h)
	}
	calls := org.Stats().APICalls
	tick(30 * time.Minute)
	if n := org.Stats().APICalls - calls; n != 0 {
		t.Fatalf("a healthy connection was rechecked before the interval (%d calls)", n)
	}
	if h = tick(31 * time.Minute); h.CheckedAt.Before(clk.Now()) {
		t.Fatalf("not checked after the interval: %+v", h)
	}
}
