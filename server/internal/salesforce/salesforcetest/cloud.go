package salesforcetest

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Cloud.
type Options struct {
	// ClientID and ClientSecret are the connected app. Token and revoke
	// calls must present them, as form parameters or with HTTP Basic.
	ClientID, ClientSecret string
	// RedirectURIs are the app's callback URLs. When set, authorize and
	// token calls with any other redirect_uri get redirect_uri_mismatch;
	// when empty any absolute http(s) URL is accepted.
	RedirectURIs []string
	// LoginAddr is the listen address of the login host; "" is 127.0.0.1:0.
	LoginAddr string
	// Logger receives request logs at debug level; nil discards them.
	Logger *slog.Logger
	// QueryBatchSize is the number of records per query page; default 2000.
	QueryBatchSize int
	// RotateRefreshTokens makes every refresh return a new refresh token
	// and invalidate the old one.
	RotateRefreshTokens bool
	// SessionTimeout is how long an access token lives without use;
	// default two hours, the Salesforce default.
	SessionTimeout time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Cloud is "Salesforce": one login host plus any number of orgs, each on
// its own instance listener. It is safe for concurrent use.
type Cloud struct {
	opts     Options
	log      *slog.Logger
	now      func() time.Time
	tokens   *tokenStore
	loginURL string
	login    *http.Server
	page     *template.Template
	// lightningTmpl renders the Lightning-like record pages.
	lightningTmpl *template.Template
	seq           atomic.Uint64

	mu        sync.Mutex
	orgs      map[string]*Org     // by 18-character org id
	usernames map[string]userSlot // by lower-case username, across orgs
	closed    bool
}

// userSlot says which org a username lives in; the login host serves every
// org, so the username picks the org as it does on login.salesforce.com.
type userSlot struct{ orgID, userID string }

// New starts the login host.
func New(opts Options) (*Cloud, error) {
	if opts.ClientID == "" || opts.ClientSecret == "" {
		return nil, errors.New("salesforcetest: Options.ClientID and ClientSecret are required")
	}
	if opts.QueryBatchSize <= 0 {
		opts.QueryBatchSize = 2000
	}
	if opts.SessionTimeout <= 0 {
		opts.SessionTimeout = 2 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	page, err := template.New("login").Parse(loginPage)
	if err != nil {
		return nil, fmt.Errorf("salesforcetest: parsing the login page: %w", err)
	}
	lightningTmpl, err := template.New("lightning").Parse(lightningPageHTML)
	if err != nil {
		return nil, fmt.Errorf("salesforcetest: parsing the Lightning page: %w", err)
	}
	c := &Cloud{
		lightningTmpl: lightningTmpl,
		opts:          opts,
		log:           log,
		now:           opts.Now,
		tokens:        newTokenStore(),
		page:          page,
		orgs:          map[string]*Org{},
		usernames:     map[string]userSlot{},
	}
	c.login, c.loginURL, err = c.serve(opts.LoginAddr, c.loginHandler())
	if err != nil {
		return nil, fmt.Errorf("salesforcetest: starting the login host: %w", err)
	}
	return c, nil
}

// LoginURL is the login host's base URL, e.g. http://127.0.0.1:41234. It
// plays both login.salesforce.com and test.salesforce.com.
func (c *Cloud) LoginURL() string { return c.loginURL }

// Close stops the login host and every org's instance host.
func (c *Cloud) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	servers := []*http.Server{c.login}
	for _, o := range c.orgs {
		servers = append(servers, o.srv)
	}
	c.mu.Unlock()
	var errs []error
	for _, s := range servers {
		if err := s.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("salesforcetest: closing: %w", err)
	}
	return nil
}

// Org returns the org with the given 15- or 18-character id, or nil.
func (c *Cloud) Org(orgID string) *Org {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.orgs[normalizeID(orgID)]
}

// serve starts an HTTP server for h on addr and returns its base URL.
func (c *Cloud) serve(addr string, h http.Handler) (*http.Server, string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{
		Handler:           c.logRequests(h),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(c.log.Handler(), slog.LevelDebug),
	}
	go func() { _ = srv.Serve(ln) }()
	return srv, "http://" + ln.Addr().String(), nil
}

// logRequests logs method, path and status; never query strings or
// bodies, which carry tokens and secrets.
func (c *Cloud) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		c.log.Debug("salesforcetest request", "host", r.Host, "method", r.Method,
			"path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status for the log line.
func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// nextID returns a fresh 18-character id with prefix, unique in the Cloud.
func (c *Cloud) nextID(prefix string) string { return makeID(prefix, c.seq.Add(1)) }

// findUser resolves a username across orgs.
func (c *Cloud) findUser(username string) (*Org, *User) {
	c.mu.Lock()
	slot, ok := c.usernames[strings.ToLower(username)]
	o := c.orgs[slot.orgID]
	c.mu.Unlock()
	if !ok || o == nil {
		return nil, nil
	}
	u := o.user(slot.userID)
	if u == nil {
		return nil, nil
	}
	return o, u
}

// orgList returns the orgs in no particular order.
func (c *Cloud) orgList() []*Org {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Org, 0, len(c.orgs))
	for _, o := range c.orgs {
		out = append(out, o)
	}
	return out
}
