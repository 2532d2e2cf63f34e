package zendesktest

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
	"time"
)

// Options configure a Server.
type Options struct {
	// Addr is the listen address; "" means 127.0.0.1 on a free port.
	Addr string
	// Logger receives request and webhook logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now. Rate windows, token and code
	// lifetimes, timestamps and the search index lag all read it.
	Now func() time.Time
	// OAuthClients maps OAuth client ids to their secrets. An empty secret
	// registers a public client, which must use PKCE.
	OAuthClients map[string]string
}

// Server is a running emulator hosting any number of accounts.
type Server struct {
	log     *slog.Logger
	now     func() time.Time
	clients map[string]string
	routes  []route
	consent *template.Template
	agent   *template.Template
	ln      net.Listener
	http    *http.Server
	url     string

	// ctx is cancelled by Close; it stops webhook workers and deliveries.
	ctx       context.Context
	stop      context.CancelFunc
	hooks     *http.Client
	workers   sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	mu       sync.RWMutex
	accounts map[string]*Account
	seq      int64
}

// New starts a server listening on opts.Addr.
func New(opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("zendesktest: listening on %s: %w", addr, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	clients := make(map[string]string, len(opts.OAuthClients))
	for id, secret := range opts.OAuthClients {
		clients[id] = secret
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		log: log, now: now, clients: clients, routes: routes(), ln: ln,
		consent: template.Must(template.New("consent").Parse(consentPage)),
		agent:   template.Must(template.New("agent").Parse(agentPages)),
		url:     "http://" + loopbackHostPort(ln.Addr()), ctx: ctx, stop: stop,
		hooks:    &http.Client{Timeout: 12 * time.Second}, // Zendesk's webhook timeout
		accounts: map[string]*Account{},
	}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("zendesktest: serving", "err", err)
		}
	}()
	return s, nil
}

// loopbackHostPort turns a wildcard listen address into one a client can
// dial.
func loopbackHostPort(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// URL is the server's base URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.url }

// URLTemplate is the Zendesk base URL template for this server, with the
// literal placeholder {subdomain}.
func (s *Server) URLTemplate() string { return s.url + "/{subdomain}" }

// Close stops the listener, in-flight requests and webhook deliveries.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := s.http.Shutdown(ctx); err != nil {
			_ = s.http.Close()
			if !errors.Is(err, context.DeadlineExceeded) {
				s.closeErr = fmt.Errorf("zendesktest: shutting down: %w", err)
			}
		}
		s.workers.Wait()
	})
	return s.closeErr
}

// AccountSpec describes a new account.
type AccountSpec struct {
	Subdomain string
	// AppID and InstallationID identify the Crossview ZAF app and its
	// installation; zero picks unique defaults.
	AppID, InstallationID int64
	// RateLimit is the per-minute request allowance; zero means 700.
	RateLimit int
	// HighVolumeAPI is the High Volume API add-on: the incremental exports
	// allow 30 requests a minute instead of 10.
	HighVolumeAPI bool
	// BulkUserImports turns on users/create_or_update_many, which Zendesk
	// leaves off (403) until the account owner asks Support for it.
	BulkUserImports bool
}

// AddAccount creates an account reachable at URL()+"/"+spec.Subdomain.
func (s *Server) AddAccount(spec AccountSpec) (*Account, error) {
	if !validSubdomain(spec.Subdomain) {
		return nil, fmt.Errorf("zendesktest: adding account: invalid subdomain %q", spec.Subdomain)
	}
	if spec.RateLimit < 0 {
		return nil, fmt.Errorf("zendesktest: adding account %s: negative rate limit", spec.Subdomain)
	}
	if spec.RateLimit == 0 {
		spec.RateLimit = 700
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.accounts[spec.Subdomain]; dup {
		return nil, fmt.Errorf("zendesktest: adding account: %q already exists", spec.Subdomain)
	}
	s.seq++
	if spec.AppID == 0 {
		spec.AppID = 900000 + s.seq
	}
	if spec.InstallationID == 0 {
		spec.InstallationID = 360000000 + s.seq
	}
	a := newAccount(s, spec, 10000000+s.seq)
	s.accounts[spec.Subdomain] = a
	return a, nil
}

// validSubdomain reports whether s has Zendesk's subdomain shape:
// [a-z0-9][a-z0-9-]+[a-z0-9].
func validSubdomain(s string) bool {
	if len(s) < 3 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Account returns the account with that subdomain, or nil.
func (s *Server) Account(subdomain string) *Account {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.accounts[subdomain]
}

// ServeHTTP dispatches /<subdomain>/... to that account.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sub, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	a := s.Account(sub)
	if a == nil {
		// Zendesk answers an unknown subdomain with an HTML page.
		s.log.Debug("zendesktest: unknown account", "method", r.Method, "path", r.URL.Path)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<!DOCTYPE html><html><head><title>Oops! This help center no longer exists</title></head>"+
			"<body><h1>Oops! This help center no longer exists</h1></body></html>")
		return
	}
	a.serve(w, r, "/"+rest)
}
