package zendesk

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

const maxBody = 16 << 20

// Observer receives a measurement of every upstream exchange and the
// account's remaining rate limit.
type Observer interface {
	UpstreamCall(system, org, outcome string, d time.Duration)
	RateLimitRemaining(system, org string, remaining int)
}

// Credentials authenticate API calls for one account: an OAuth bearer token
// when set, else the API token of APIEmail.
type Credentials struct {
	APIEmail   string
	APIToken   string
	OAuthToken string
}

// CredentialsOf returns the credentials stored on a tenant.
func CredentialsOf(t crossview.Tenant) Credentials {
	return Credentials{APIEmail: t.APIEmail, APIToken: t.APIToken, OAuthToken: t.OAuthToken}
}

func (c Credentials) header() (string, error) {
	switch {
	case c.OAuthToken != "":
		return "Bearer " + c.OAuthToken, nil
	case c.APIEmail != "" && c.APIToken != "":
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.APIEmail+"/token:"+c.APIToken)), nil
	}
	return "", errors.New("zendesk: no API credential configured for this account")
}

// Client calls any Zendesk account's API. It is safe for concurrent use.
type Client struct {
	urlTemplate string
	http        *http.Client
	obs         Observer
	now         func() time.Time
	timeout     time.Duration

	mu      sync.Mutex
	holdTil map[string]time.Time // holdKey → no calls before (from Retry-After)
	remain  map[string]rateSeen  // subdomain → last X-Rate-Limit(-Remaining)
}

// rateSeen is an account's per-minute allowance as last reported.
type rateSeen struct {
	remaining, limit int
	at               time.Time
}

// NewClient returns a client. urlTemplate holds "{subdomain}", e.g.
// "https://{subdomain}.zendesk.com".
func NewClient(urlTemplate string, httpClient *http.Client, timeout time.Duration, obs Observer, now func() time.Time) *Client {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Client{
		urlTemplate: urlTemplate, http: httpClient, obs: obs, now: now, timeout: timeout,
		holdTil: map[string]time.Time{}, remain: map[string]rateSeen{},
	}
}

// BaseURL returns the account's base URL, without a trailing slash.
func (c *Client) BaseURL(subdomain string) string {
	return strings.TrimRight(strings.ReplaceAll(c.urlTemplate, "{subdomain}", subdomain), "/")
}

// Remaining returns the account's last reported X-Rate-Limit-Remaining.
func (c *Client) Remaining(subdomain string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.remain[subdomain]
	return r.remaining, ok
}

// remainingAt is Remaining with the time of the reading.
func (c *Client) remainingAt(subdomain string) (int, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.remain[subdomain]
	return r.remaining, r.at, ok
}

// get fetches path (relative to the account's base URL) into out.
func (c *Client) get(ctx context.Context, subdomain string, cred *Credentials, path string, out any) error {
	return c.do(ctx, subdomain, cred, http.MethodGet, path, nil, out)
}

// do sends one request. cred nil means anonymous. A 429 holds further calls
// to the account until Retry-After passes; a short wait is retried once
// within the caller's deadline.
func (c *Client) do(ctx context.Context, subdomain string, cred *Credentials, method, path string, body any, out any) error {
	return c.doLimited(ctx, subdomain, "", cred, method, path, body, out)
}

// doLimited is do for an endpoint with its own rate limit, named by limit
// (the incremental exports allow 10 calls a minute): its 429 holds only
// calls under that limit, so the rest of the account's calls go on. An
// account-wide hold still applies to it.
func (c *Client) doLimited(ctx context.Context, subdomain, limit string, cred *Credentials, method, path string, body any, out any) error {
	if !crossview.ValidSubdomain(subdomain) {
		return fmt.Errorf("zendesk: invalid subdomain %q", subdomain)
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("zendesk: encoding request: %w", err)
		}
	}
	for attempt := 0; ; attempt++ {
		if wait := max(c.held(subdomain), c.held(holdKey(subdomain, limit))); wait > 0 {
			return &APIError{Status: http.StatusTooManyRequests, Code: "TooManyRequests", Description: "held back after an earlier 429", RetryAfter: wait}
		}
		err := c.send(ctx, subdomain, holdKey(subdomain, limit), cred, method, path, payload, out)
		var ae *APIError
		if attempt == 0 && errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests && ae.RetryAfter > 0 && ae.RetryAfter <= time.Second {
			if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > ae.RetryAfter {
				if err := sleep(ctx, ae.RetryAfter); err != nil {
					return err
				}
				c.release(holdKey(subdomain, limit))
				continue
			}
		}
		return err
	}
}

// holdKey names what a 429 holds: the account, or one of its limits.
func holdKey(subdomain, limit string) string {
	if limit == "" {
		return subdomain
	}
	return subdomain + " " + limit
}

// send makes one attempt; a 429 holds the calls under hold.
func (c *Client) send(ctx context.Context, subdomain, hold string, cred *Credentials, method, path string, payload []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL(subdomain)+path, rd)
	if err != nil {
		return fmt.Errorf("zendesk: building request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cred != nil {
		h, err := cred.header()
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", h)
	}
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.observe(subdomain, outcomeOf(ctx, err), start)
		return fmt.Errorf("zendesk: %s %s: %w", method, stripQuery(path), err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.observe(subdomain, strconv.Itoa(resp.StatusCode), start)
	c.noteLimits(subdomain, resp)
	if err != nil {
		return fmt.Errorf("zendesk: reading answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		e := parseError(resp.StatusCode, resp.Header.Get("Content-Type"), b)
		if resp.StatusCode == http.StatusTooManyRequests {
			e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), c.now())
			c.hold(hold, e.RetryAfter)
		}
		return e
	}
	if out == nil {
		return nil
	}
	if bs, ok := out.(*[]byte); ok {
		*bs = b
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("zendesk: decoding %s %s: %w", method, stripQuery(path), err)
	}
	return nil
}

func (c *Client) observe(subdomain, outcome string, start time.Time) {
	if c.obs != nil {
		c.obs.UpstreamCall("zendesk", subdomain, outcome, c.now().Sub(start))
	}
}

func (c *Client) noteLimits(subdomain string, resp *http.Response) {
	if n, ok := rateLimitRemaining(resp.Header.Get("X-Rate-Limit-Remaining")); ok {
		limit, _ := rateLimitRemaining(resp.Header.Get("X-Rate-Limit"))
		c.mu.Lock()
		c.remain[subdomain] = rateSeen{remaining: n, limit: limit, at: c.now()}
		c.mu.Unlock()
		if c.obs != nil {
			c.obs.RateLimitRemaining("zendesk", subdomain, n)
		}
	}
}

// rateLimitRemaining reads X-Rate-Limit-Remaining: a count of calls, so
// digits only (no sign, no spaces); anything else is not a reading.
func rateLimitRemaining(v string) (int, bool) {
	if v == "" || strings.TrimLeft(v, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func (c *Client) hold(key string, d time.Duration) {
	if d <= 0 {
		d = time.Second
	}
	c.mu.Lock()
	c.holdTil[key] = c.now().Add(d)
	c.mu.Unlock()
}

func (c *Client) release(key string) {
	c.mu.Lock()
	delete(c.holdTil, key)
	c.mu.Unlock()
}

func (c *Client) held(key string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	until, ok := c.holdTil[key]
	if !ok {
		return 0
	}
	if d := until.Sub(c.now()); d > 0 {
		return d
	}
	delete(c.holdTil, key)
	return 0
}

// maxRetryAfter caps a Retry-After wait: Zendesk asks for minutes at
// most, and a larger (or overflowing) value must not hold an account's
// calls for days.
const maxRetryAfter = time.Hour

// retryAfter reads Retry-After as seconds or an HTTP date, within
// [0, maxRetryAfter].
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return min(time.Duration(n), maxRetryAfter/time.Second) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxRetryAfter)
	}
	return 0
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func outcomeOf(ctx context.Context, err error) string {
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return "timeout"
	}
	return "network"
}

// stripQuery keeps search terms (emails) out of error strings.
func stripQuery(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return path[:i]
	}
	return path
}
