package salesforce_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/google/go-cmp/cmp"
)

// stepClock moves forward one second every time it is read, so each
// recorded call has its own time and order is visible.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// activityClient is the fixture's client again, on a stepping clock and a
// short timeout.
func activityClient(f *fixture, clk *stepClock) *salesforce.Client {
	return salesforce.NewClient(salesforce.Config{
		ClientID: "cid", ClientSecret: "csecret", LoginURL: f.cloud.LoginURL(), SandboxLoginURL: f.cloud.LoginURL(),
		APIVersion: "66.0", Timeout: 300 * time.Millisecond, InstanceHosts: f.hosts,
	}, &http.Client{}, f.tokens, nil, clk.Now)
}

func TestActivityRecordsSuccessAndFailures(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	clk := &stepClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	c := activityClient(f, clk)
	ctx := context.Background()
	orgID := f.org.ID()

	if got := c.Activity(orgID); !got.LastOK.IsZero() || len(got.Failures) != 0 {
		t.Fatalf("Activity before any call = %+v, want nothing", got)
	}
	if _, err := c.Query(ctx, f.conn, "SELECT Id FROM Account"); err != nil {
		t.Fatal(err)
	}
	firstOK := c.Activity(orgID).LastOK
	if firstOK.IsZero() {
		t.Fatal("a successful call left LastOK zero")
	}

	f.org.SetFailure(http.StatusServiceUnavailable)
	_, _ = c.Query(ctx, f.conn, "SELECT Id FROM Account")
	f.org.SetFailure(http.StatusInternalServerError)
	_, _ = c.Query(ctx, f.conn, "SELECT Id FROM Account")
	f.org.SetFailure(http.StatusBadGateway)
	_, _ = c.Query(ctx, f.conn, "SELECT Id FROM Account")
	f.org.SetFailure(0)

	got := c.Activity(orgID)
	if !got.LastOK.Equal(firstOK) {
		t.Errorf("LastOK moved to %v on failures, want %v", got.LastOK, firstOK)
	}
	want := []salesforce.CallFailure{
		// A load balancer's HTML page is named by its status, not quoted.
		{Status: "502", Message: "Bad Gateway"},
		{Status: "500", Code: "UNKNOWN_EXCEPTION", Message: "An unexpected error occurred. Please include this ErrorId if you contact support: 1917349817-59731 (-1489216377)"},
		{Status: "503", Code: "SERVER_UNAVAILABLE", Message: "Server temporarily unavailable. Please try again later."},
	}
	ignoreAt := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".At" }, cmp.Ignore())
	if d := cmp.Diff(want, got.Failures, ignoreAt); d != "" {
		t.Fatalf("Failures mismatch (-want +got):\n%s", d)
	}
	for i := 1; i < len(got.Failures); i++ {
		if !got.Failures[i-1].At.After(got.Failures[i].At) || !got.Failures[i].At.After(firstOK) {
			t.Fatalf("failures not newest first, or timed before the success: %+v", got.Failures)
		}
	}

	// A later success moves LastOK and keeps the failures for the admin to see.
	if _, err := c.Query(ctx, f.conn, "SELECT Id FROM Account"); err != nil {
		t.Fatal(err)
	}
	after := c.Activity(orgID)
	if !after.LastOK.After(got.Failures[0].At) || len(after.Failures) != 3 {
		t.Fatalf("after recovery: %+v", after)
	}
	// Other orgs are untouched.
	if other := c.Activity("00D000000000001AAA"); !other.LastOK.IsZero() || len(other.Failures) != 0 {
		t.Fatalf("another org has activity: %+v", other)
	}
}

func TestActivityKeepsTheLastTenFailures(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	c := activityClient(f, &stepClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	ctx := context.Background()
	// Thirteen distinct failures: each names its own unknown field.
	for i := range 13 {
		_, _ = c.Query(ctx, f.conn, fmt.Sprintf("SELECT Missing%02d__c FROM Account", i))
	}
	got := c.Activity(f.org.ID()).Failures
	if len(got) != 10 {
		t.Fatalf("%d failures kept, want 10", len(got))
	}
	for i, fl := range got {
		wantField := fmt.Sprintf("Missing%02d__c", 12-i)
		if fl.Status != "400" || fl.Code != "INVALID_FIELD" || !strings.Contains(fl.Message, wantField) {
			t.Fatalf("failure %d = %+v, want INVALID_FIELD naming %s (newest first)", i, fl, wantField)
		}
		// The explanation is kept; the echoed query above it is not.
		if strings.Contains(fl.Message, "SELECT") || strings.Contains(fl.Message, "\n") {
			t.Fatalf("failure message quotes the query: %q", fl.Message)
		}
	}
}

func TestActivityNeverKeepsQueryValuesOrTokens(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	c := activityClient(f, &stepClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	ctx := context.Background()
	const email = "o'brien@secret-customer.example"
	access := f.tokens.toks[f.conn.ID].AccessToken

	// Unescaped quote: Salesforce's syntax error quotes the email back.
	_, err := c.Query(ctx, f.conn, "SELECT Id FROM Contact WHERE Email = '"+email+"'")
	if err == nil {
		t.Fatal("a malformed query succeeded")
	}
	// A dead token the caller supplied.
	_ = c.DoAs(ctx, f.org.ID(), f.org.InstanceURL(), "00Dbogus!SECRET-TOKEN", http.MethodGet, c.QueryPath("SELECT Id FROM Account WHERE Name = 'Hidden Corp'"), nil, nil)

	got := c.Activity(f.org.ID()).Failures
	if len(got) != 2 || got[0].Status != "401" || got[0].Code != "INVALID_SESSION_ID" || got[1].Code != "MALFORMED_QUERY" {
		t.Fatalf("Failures = %+v, want a 401 after a MALFORMED_QUERY", got)
	}
	for _, fl := range got {
		s := fmt.Sprintf("%+v", fl)
		for _, secret := range []string{"brien", "secret-customer", "SECRET-TOKEN", access, "Hidden Corp", "SELECT"} {
			if strings.Contains(s, secret) {
				t.Fatalf("a recorded failure holds %q: %s", secret, s)
			}
		}
	}
}

func TestActivityTimeoutAndNetwork(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	c := activityClient(f, &stepClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	ctx := context.Background()
	access := f.tokens.toks[f.conn.ID].AccessToken

	f.org.SetLatency(2 * time.Second) // longer than the client's 300 ms
	_, _ = c.Query(ctx, f.conn, "SELECT Id FROM Account")
	f.org.SetLatency(0)

	// Nothing listens here any more.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	_ = ln.Close()
	const deadOrg = "00D000000000777AAA"
	_ = c.DoAs(ctx, deadOrg, dead, access, http.MethodGet, c.QueryPath("SELECT Id FROM Contact WHERE Email = 'x@customer.example'"), nil, nil)

	// A caller that gives up is not a Salesforce failure.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, _ = c.Query(cancelled, f.conn, "SELECT Id FROM Account")

	timeouts := c.Activity(f.org.ID()).Failures
	if len(timeouts) != 1 || timeouts[0].Status != "timeout" || timeouts[0].Message == "" {
		t.Fatalf("slow org's failures = %+v, want one timeout", timeouts)
	}
	network := c.Activity(deadOrg).Failures
	if len(network) != 1 || network[0].Status != "network" || !strings.Contains(network[0].Message, "refused") {
		t.Fatalf("unreachable org's failures = %+v, want one network failure", network)
	}
	if s := fmt.Sprintf("%+v", network[0]); strings.Contains(s, "customer.example") || strings.Contains(s, access) {
		t.Fatalf("network failure quotes the request: %s", s)
	}
}

// Activity is read by admin pages while panels call Salesforce.
func TestActivityConcurrent(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	c := activityClient(f, &stepClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)})
	f.org.SetFailure(http.StatusServiceUnavailable)
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _ = c.Query(context.Background(), f.conn, "SELECT Id FROM Account")
		}()
		go func() {
			defer wg.Done()
			if n := len(c.Activity(f.org.ID()).Failures); n > 10 {
				t.Errorf("%d failures kept, want at most 10", n)
			}
		}()
	}
	wg.Wait()
	if n := len(c.Activity(f.org.ID()).Failures); n != 10 {
		t.Fatalf("%d failures kept after 30, want 10", n)
	}
}
