package salesforce

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxBody bounds what is read from any Salesforce answer.
const maxBody = 16 << 20

// Config configures the client for every org it talks to.
type Config struct {
	ClientID, ClientSecret    string
	LoginURL, SandboxLoginURL string
	// APIVersion is the REST version without the "v", e.g. "66.0".
	APIVersion string
	// Timeout bounds each HTTP exchange, including a token refresh.
	Timeout time.Duration
	// InstanceHosts are the hosts a token answer's instance_url may name;
	// the token goes there. The zero value allows none.
	InstanceHosts crossview.InstanceHosts
}

// TokenStore loads and saves a connection's OAuth grant.
type TokenStore interface {
	Token(ctx context.Context, connectionID string) (crossview.Token, error)
	PutToken(ctx context.Context, connectionID string, t crossview.Token) error
}

// Observer receives a measurement of every upstream exchange.
type Observer interface {
	UpstreamCall(system, org, outcome string, d time.Duration)
	APIUsage(org string, used, limit int)
}

// Client calls the REST API of any connected org. It is safe for concurrent
// use and keeps each connection's current access token in memory.
type Client struct {
	cfg     Config
	http    *http.Client
	tokens  TokenStore
	obs     Observer
	now     func() time.Time
	refresh singleflight.Group

	mu       sync.Mutex
	sessions map[string]crossview.Token // connection id → current grant
	usage    map[string]usageSeen       // org id → last Sforce-Limit-Info

	activity activityLog  // org id → recent calls, for Activity
	currency currencyMemo // org id → how its amounts name their currency
}

type usageSeen struct {
	Usage
	at time.Time
}

// NewClient returns a client. httpClient carries transport settings (and
// must not follow redirects blindly for API calls; the default client is fine).
func NewClient(cfg Config, httpClient *http.Client, tokens TokenStore, obs Observer, now func() time.Time) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	return &Client{
		cfg: cfg, http: httpClient, tokens: tokens, obs: obs, now: now,
		sessions: map[string]crossview.Token{},
		usage:    map[string]usageSeen{},
	}
}

// APIVersion returns the configured REST version, e.g. "66.0".
func (c *Client) APIVersion() string { return c.cfg.APIVersion }

// Timeout returns how long one exchange with Salesforce may take.
func (c *Client) Timeout() time.Duration { return c.cfg.Timeout }

// DataPath returns the versioned REST path for rest, e.g.
// DataPath("/query") = "/services/data/v66.0/query".
func (c *Client) DataPath(rest string) string {
	return "/services/data/v" + c.cfg.APIVersion + rest
}

// QueryPath returns the path that runs soql, for use in composite requests.
func (c *Client) QueryPath(soql string) string {
	return c.DataPath("/query?q=" + url.QueryEscape(soql))
}

// Usage returns the org's API usage as last reported, and when.
func (c *Client) Usage(orgID string) (Usage, time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.usage[orgID]
	return u.Usage, u.at, ok
}

// overLimit reports whether the org said its allowance is spent. The answer
// expires after a few minutes so one call probes whether it was reset.
func (c *Client) overLimit(orgID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.usage[orgID]
	return ok && u.Limit > 0 && u.Used >= u.Limit && c.now().Sub(u.at) < 5*time.Minute
}

// Do sends one REST request for conn and decodes a JSON answer into out (if
// non-nil). An expired session is refreshed once and the request retried.
func (c *Client) Do(ctx context.Context, conn crossview.Connection, method, path string, body any, out any) error {
	if c.overLimit(conn.OrgID) {
		return ErrLimitReserve
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("salesforce: encoding request: %w", err)
		}
	}
	tok, err := c.token(ctx, conn.ID)
	if err != nil {
		return err
	}
	base := func(t crossview.Token) string {
		if t.InstanceURL != "" {
			return t.InstanceURL
		}
		return conn.InstanceURL
	}
	respBody, err := c.send(ctx, conn.OrgID, base(tok), tok.AccessToken, method, path, payload)
	if IsSessionExpired(err) {
		if tok, err = c.refreshAfter(ctx, conn, tok.AccessToken); err != nil {
			return err
		}
		respBody, err = c.send(ctx, conn.OrgID, base(tok), tok.AccessToken, method, path, payload)
	}
	if err != nil {
		return err
	}
	return decodeInto(method, respBody, out)
}

// DoAs sends one REST request with someone's own access token (a Canvas
// signed request's), which is never refreshed or stored: what it may read
// is exactly what that user may read.
func (c *Client) DoAs(ctx context.Context, orgID, instanceURL, accessToken, method, path string, body any, out any) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("salesforce: encoding request: %w", err)
		}
	}
	respBody, err := c.send(ctx, orgID, instanceURL, accessToken, method, path, payload)
	if err != nil {
		return err
	}
	return decodeInto(method, respBody, out)
}

func decodeInto(method string, body []byte, out any) error {
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("salesforce: decoding %s answer: %w", method, err)
		}
	}
	return nil
}

// send performs one HTTP exchange with the given token.
func (c *Client) send(ctx context.Context, orgID, base, accessToken, method, path string, payload []byte) ([]byte, error) {
	if !strings.HasPrefix(path, "/services/") {
		return nil, fmt.Errorf("salesforce: refusing path %q outside /services/", path)
	}
	// limit is the time this call gets, for naming a timeout.
	limit := c.cfg.Timeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < limit {
		limit = time.Until(d).Round(100 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, rd)
	if err != nil {
		return nil, fmt.Errorf("salesforce: building request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.observe(orgID, outcomeOf(ctx, err), start)
		c.noteNoAnswer(ctx, orgID, err)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = &TimeoutError{After: limit, Err: err}
		}
		return nil, fmt.Errorf("salesforce: %s %s: %w", method, redactQuery(path), err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.observe(orgID, strconv.Itoa(resp.StatusCode), start)
	if u, ok := parseLimitInfo(resp.Header.Get("Sforce-Limit-Info")); ok {
		c.recordUsage(orgID, u)
	}
	if err != nil {
		c.noteNoAnswer(ctx, orgID, err)
		return nil, fmt.Errorf("salesforce: reading answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		e := parseAPIError(resp.StatusCode, b)
		c.noteFailure(orgID, e, accessToken)
		return nil, e
	}
	c.noteOK(orgID)
	return b, nil
}

func (c *Client) observe(orgID, outcome string, start time.Time) {
	if c.obs != nil {
		c.obs.UpstreamCall("salesforce", orgID, outcome, c.now().Sub(start))
	}
}

func (c *Client) recordUsage(orgID string, u Usage) {
	c.mu.Lock()
	c.usage[orgID] = usageSeen{Usage: u, at: c.now()}
	c.mu.Unlock()
	if c.obs != nil {
		c.obs.APIUsage(orgID, u.Used, u.Limit)
	}
}

// outcomeOf labels a transport failure for metrics.
func outcomeOf(ctx context.Context, err error) string {
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
		return "timeout"
	}
	return "network"
}

// redactQuery keeps SOQL (which may hold an email) out of error strings.
func redactQuery(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return path[:i] + "?…"
	}
	return path
}
