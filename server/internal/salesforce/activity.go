package salesforce

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Activity bounds: failures kept per org, and orgs remembered per process
// (the least recently active is forgotten first).
const (
	maxFailures      = 10
	maxActivityOrgs  = 10000
	maxActivityBytes = 300
)

// Activity is what an org's recent REST calls did, as this process saw
// them, for the admin details page.
type Activity struct {
	// LastOK is when a call last succeeded (2xx); zero if none has.
	LastOK time.Time
	// Failures are the last few failed calls, newest first.
	Failures []CallFailure
}

// CallFailure is one failed REST call. It never carries a token or a query.
type CallFailure struct {
	At time.Time
	// Status is the HTTP status ("503"), or "timeout" or "network" when no
	// answer came.
	Status string
	// Code and Message are Salesforce's errorCode and message, when it
	// sent them.
	Code, Message string
}

// Activity returns what the org's recent calls did: the last success and
// up to 10 failures, newest first.
func (c *Client) Activity(orgID string) Activity {
	return c.activity.get(orgID)
}

// activityLog keeps Activity per org. Its zero value is ready to use.
type activityLog struct {
	mu   sync.Mutex
	orgs map[string]*orgActivity
}

type orgActivity struct {
	lastOK   time.Time
	failures []CallFailure // oldest first
	touched  time.Time
}

func (l *activityLog) get(orgID string) Activity {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.orgs[orgID]
	if a == nil {
		return Activity{}
	}
	out := Activity{LastOK: a.lastOK, Failures: make([]CallFailure, len(a.failures))}
	for i, f := range a.failures {
		out.Failures[len(a.failures)-1-i] = f
	}
	return out
}

func (l *activityLog) ok(orgID string, at time.Time) {
	if orgID == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.org(orgID, at)
	if at.After(a.lastOK) {
		a.lastOK = at
	}
}

func (l *activityLog) failed(orgID string, f CallFailure) {
	if orgID == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	a := l.org(orgID, f.At)
	if len(a.failures) == maxFailures {
		copy(a.failures, a.failures[1:])
		a.failures = a.failures[:maxFailures-1]
	}
	a.failures = append(a.failures, f)
}

// org returns the org's entry, making room for it when needed. Callers
// hold l.mu.
func (l *activityLog) org(orgID string, at time.Time) *orgActivity {
	if l.orgs == nil {
		l.orgs = map[string]*orgActivity{}
	}
	a := l.orgs[orgID]
	if a == nil {
		if len(l.orgs) >= maxActivityOrgs {
			l.forgetOldest()
		}
		a = &orgActivity{}
		l.orgs[orgID] = a
	}
	a.touched = at
	return a
}

// forgetOldest drops the least recently active org. It scans every org,
// but only when a new org arrives at a full log, which a real deployment
// (a few orgs per tenant) never reaches.
func (l *activityLog) forgetOldest() {
	var oldest string
	var at time.Time
	for id, a := range l.orgs {
		if oldest == "" || a.touched.Before(at) {
			oldest, at = id, a.touched
		}
	}
	delete(l.orgs, oldest)
}

// noteOK records a successful call.
func (c *Client) noteOK(orgID string) {
	c.activity.ok(orgID, c.now())
}

// noteNoAnswer records a call that got no (complete) answer. A caller that
// gave up (its context was cancelled) is not Salesforce's failure and is
// not recorded.
func (c *Client) noteNoAnswer(ctx context.Context, orgID string, err error) {
	if errors.Is(ctx.Err(), context.Canceled) {
		return
	}
	f := CallFailure{At: c.now(), Status: outcomeOf(ctx, err)}
	if f.Status == "timeout" {
		f.Message = "Salesforce did not answer in time."
	} else {
		f.Message = "Salesforce could not be reached: " + transportCause(err)
	}
	c.activity.failed(orgID, f)
}

// noteFailure records an error answer. accessToken is scrubbed from the
// message in case an answer ever echoes it.
func (c *Client) noteFailure(orgID string, e *APIError, accessToken string) {
	c.activity.failed(orgID, CallFailure{
		At: c.now(), Status: strconv.Itoa(e.Status), Code: e.Code,
		Message: failureMessage(e, accessToken),
	})
}

// failureMessage is the part of Salesforce's error message safe to keep.
// SOQL errors echo the query over several lines before the explanation on
// the last, so only that line is kept; syntax and filter errors quote
// values from the query (an email, say) even there, so those keep only
// their kind. A body that was not Salesforce's JSON (a load balancer's HTML
// page) is named by its status.
func failureMessage(e *APIError, accessToken string) string {
	if e.Code == "" {
		return http.StatusText(e.Status)
	}
	msg := strings.TrimSpace(e.Message)
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
		msg = strings.TrimSpace(msg[i+1:])
	}
	switch e.Code {
	case "MALFORMED_QUERY", "INVALID_QUERY_FILTER_OPERATOR", "MALFORMED_SEARCH", "INVALID_SEARCH":
		return "Salesforce rejected the query (" + e.Code + "); the details quote it, so they are not kept."
	}
	if accessToken != "" {
		msg = strings.ReplaceAll(msg, accessToken, "[token]")
	}
	return truncate(msg, maxActivityBytes)
}

// transportCause describes a transport error without the request URL,
// which holds the query.
func transportCause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return truncate(err.Error(), maxActivityBytes)
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
