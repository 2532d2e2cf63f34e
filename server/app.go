package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/boltstore"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/ticketview"
	"github.com/crossview/crossview/server/internal/web"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// app is every long-lived dependency, built once from the configuration.
type app struct {
	cfg     config.Config
	sfHosts crossview.InstanceHosts // where a Salesforce token may be sent
	logger  *slog.Logger
	now     func() time.Time
	keys    *secret.Keyring
	store   *store.Cached
	redis   *redis.Client // nil without CROSSVIEW_REDIS_URL
	loader  *cache.Loader
	metrics *metrics.Metrics
	sf      *salesforce.Client
	zd      *zendesk.Client
	sidebar *sidebar.Service
	tickets *ticketview.Service
	zdTix   *zendesk.Tickets
	admin   *admin.Service
	// ticketSync turns Zendesk tickets into Salesforce Cases; its loops
	// run from startTicketSync until close (stopSync).
	ticketSync *ticketsync.Service
	// dataSync keeps Zendesk organizations and users current with
	// Salesforce; its pollers run from startDataSync until close.
	dataSync     *datasync.Service
	stop         context.CancelFunc // ends background work
	stopSync     func()
	stopDataSync func()
}

// newApp opens the store and cache and builds the clients and services.
func newApp(cfg config.Config, logger *slog.Logger) (*app, error) {
	return newAppAt(cfg, logger, time.Now)
}

// newAppAt is newApp on a clock of the caller's (tests move it on).
func newAppAt(cfg config.Config, logger *slog.Logger, now func() time.Time) (*app, error) {
	a := &app{cfg: cfg, logger: logger, now: now, metrics: metrics.New()}
	keys := map[string][]byte{secret.KeyID(cfg.EncryptionKey): cfg.EncryptionKey}
	for _, k := range cfg.OldEncryptionKeys {
		keys[secret.KeyID(k)] = k
	}
	var err error
	if a.sfHosts, err = crossview.ParseInstanceHosts(cfg.SalesforceInstanceHosts); err != nil {
		return nil, fmt.Errorf("CROSSVIEW_SALESFORCE_INSTANCE_HOSTS: %w", err)
	}
	if a.keys, err = secret.NewKeyring(secret.KeyID(cfg.EncryptionKey), keys); err != nil {
		return nil, fmt.Errorf("encryption keys: %w", err)
	}
	var backend store.Backend
	var c cache.Cache
	var sq syncQueues
	if cfg.RedisURL != "" {
		opts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("CROSSVIEW_REDIS_URL: %w", err)
		}
		opts.DialTimeout, opts.ReadTimeout, opts.WriteTimeout = 2*time.Second, time.Second, time.Second
		a.redis = redis.NewClient(opts)
		backend = redisstore.New(a.redis, "cv")
		sq = syncQueues{queue: redisstore.NewQueue(a.redis, "cv", a.now), leases: redisstore.NewLeases(a.redis, "cv", a.now), log: redisstore.NewLog(a.redis, "cv")}
		// A two-second first tier in memory spares warm panels the round
		// trips; deletions reach every replica's first tier over Pub/Sub.
		shared := cache.NewRedis(a.redis, "cv:cache:")
		tiered := cache.NewTiered(cache.NewMemory(50_000, a.now), shared, 2*time.Second, 250*time.Millisecond, shared)
		ctx, cancel := context.WithCancel(context.Background())
		a.stop = cancel
		go shared.SubscribeInvalidations(ctx, tiered.Forget)
		c = tiered
	} else {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("creating data directory: %w", err)
		}
		b, err := boltstore.Open(filepath.Join(cfg.DataDir, "crossview.db"))
		if err != nil {
			return nil, err
		}
		backend = b
		sq = syncQueues{queue: b.Queue(a.now), leases: queue.NewLocalLeases(a.now), log: b.Log()}
		c = cache.NewMemory(100_000, a.now)
	}
	// Panels read tenants and connections on every request: keep them in
	// memory briefly (and through a short backend outage).
	a.store = store.NewCached(store.New(backend, a.keys, a.now), 5*time.Second, 10*time.Minute, a.now)
	a.loader = cache.NewLoader(cache.LoaderOptions{Cache: c, Now: a.now, Logger: logger, OnResult: a.metrics.CacheResult("panel")})
	flows := c

	httpClient := &http.Client{
		Timeout: cfg.UpstreamTimeout + 5*time.Second, // a backstop; every call has its own deadline
		// Counted: ticket sync's calls per synced ticket.
		Transport: a.metrics.Transport(&http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: 5 * time.Second,
			MaxIdleConns:        200,
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		}),
		// API calls never follow redirects: a redirect would carry the bearer
		// token to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	a.sf = salesforce.NewClient(salesforce.Config{
		ClientID: cfg.SalesforceClientID, ClientSecret: cfg.SalesforceClientSecret,
		LoginURL: cfg.SalesforceLoginURL, SandboxLoginURL: cfg.SalesforceSandboxLoginURL,
		APIVersion: cfg.SalesforceAPIVersion, Timeout: cfg.UpstreamTimeout, InstanceHosts: a.sfHosts,
	}, httpClient, a.store, a.metrics, a.now)
	a.zd = zendesk.NewClient(cfg.ZendeskURL, httpClient, cfg.UpstreamTimeout, a.metrics, a.now)
	a.zdTix = zendesk.TicketsFor(a.zd)
	a.tickets = ticketview.New(ticketview.Options{
		Stores: a.store, Zendesk: a.zdTix, Loader: a.loader, Memo: cache.NewMemo(10_000), Logger: logger, Now: a.now,
		RefreshCooldown: cfg.RefreshCooldown, Allowance: a.zd, Reserve: cfg.ZendeskReserve,
		Outcome: func(o string) { a.metrics.PanelSection("ticketview", o) },
	})
	a.ticketSync = a.newTicketSync(backend, sq)
	a.dataSync = a.newDataSync(backend, sq)
	a.admin = admin.New(admin.Options{
		Store: a.store, SF: a.sf, ZD: a.zd, TicketSync: a.ticketSync, DataSync: a.dataSync, Flows: flows, Logger: logger, Now: a.now, PublicURL: cfg.PublicURL,
		APIWarnAt:    cfg.SalesforceReserve, // the health warning shows where panels start saving calls
		ZendeskOAuth: zendesk.OAuthClient{ClientID: cfg.ZendeskClientID, ClientSecret: cfg.ZendeskClientSecret},
		FlowKey:      a.keys.Derive("admin-flow"),
	})
	a.sidebar = sidebar.New(sidebar.Options{
		Tenants: a.store, Requesters: a.zd, Access: a.zd, CRM: a.sf, Loader: a.loader, Memo: cache.NewMemo(10_000), Logger: logger, Now: a.now,
		RefreshCooldown: cfg.RefreshCooldown, Allowance: a.sf, Reserve: cfg.SalesforceReserve,
		Outcome: func(o string) { a.metrics.PanelSection("sidebar", o) },
	})
	return a, nil
}

// ready reports whether the store (and Redis, when used) answer.
func (a *app) ready(ctx context.Context) error {
	if err := a.store.Ping(ctx); err != nil {
		return crossview.Wrap(crossview.EUNAVAILABLE, "the store does not answer", err)
	}
	if a.redis != nil {
		if err := a.redis.Ping(ctx).Err(); err != nil {
			return crossview.Wrap(crossview.EUNAVAILABLE, "Redis does not answer", err)
		}
	}
	return nil
}

// handler builds the HTTP surface; demo and the extra options are for the
// sandbox.
func (a *app) handler(demo web.Demo, vendor map[string][]byte, zafSDKURL string, extraAncestors []string) http.Handler {
	zdBase := a.zd.BaseURL
	return web.NewServer(web.Options{
		Logger:  a.logger,
		Metrics: a.metrics,
		ZAF: auth.NewZAFVerifier(auth.ZAFOptions{
			Tenants: a.store, Keys: a.zd, BaseURL: zdBase, Now: a.now, Logger: a.logger,
		}),
		PanelTokens:     auth.NewPanelTokens(a.keys.Derive("panel-token"), 30*time.Minute, a.now),
		Sidebar:         a.sidebar,
		Canvas:          auth.NewCanvasVerifier(a.cfg.SalesforceClientSecret, a.sfHosts, a.now),
		Records:         a.sf,
		TicketView:      a.tickets,
		Tenants:         a.store,
		WebhookVerifier: auth.NewWebhookVerifier(5*time.Minute, a.now),
		TicketEvents:    a,
		TicketSync:      a,
		Admin:           a.admin,
		PublicURL:       a.cfg.PublicURL,
		SalesforceLoginOrigins: []string{
			originOf(a.cfg.SalesforceLoginURL), originOf(a.cfg.SalesforceSandboxLoginURL),
		},
		Ready:               a.ready,
		ZendeskBaseURL:      zdBase,
		ZAFSDKURL:           zafSDKURL,
		SidebarPoll:         a.cfg.SidebarPoll,
		Assets:              assets.FS(),
		Vendor:              vendor,
		Demo:                demo,
		ExtraFrameAncestors: extraAncestors,
		Now:                 a.now,
	})
}

func (a *app) close() {
	if a.stopSync != nil {
		a.stopSync() // before the store it writes to closes
		a.stopSync = nil
	}
	if a.stopDataSync != nil {
		a.stopDataSync()
		a.stopDataSync = nil
	}
	if a.stop != nil {
		a.stop()
	}
	if err := a.store.Close(); err != nil {
		a.logger.Warn("closing store", "err", err)
	}
	if a.redis != nil {
		_ = a.redis.Close()
	}
}

// serve runs the production server until ctx ends.
func serve(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	a, err := newApp(cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	go a.admin.RunHealthChecks(ctx, cfg.HealthInterval)
	a.startTicketSync()
	a.startDataSync()
	return serveHTTP(ctx, ln, a.handler(nil, nil, cfg.ZAFSDKURL, nil), logger)
}

// serveHTTP serves until ctx ends, then drains in-flight requests.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("listening", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// TicketEvent acts on a verified Zendesk webhook: it drops exactly the
// cached ticket lists the change touches (and the sidebar's requester of
// that ticket), so open panels show it on their next poll. A body that
// names only the ticket is completed from Zendesk.
func (a *app) TicketEvent(ctx context.Context, t crossview.Tenant, body []byte) error {
	ev, err := zendesk.ParseTicketEvent(body)
	if err != nil {
		return err
	}
	if len(ev.RequesterIDs) == 0 && len(ev.OrganizationIDs) == 0 {
		tk, err := a.zdTix.Ticket(ctx, t, ev.TicketID)
		if err != nil {
			return err
		}
		ev.RequesterIDs, ev.OrganizationIDs = []int64{tk.RequesterID}, []int64{tk.OrganizationID}
	}
	err = a.tickets.TicketChanged(ctx, t.Subdomain, ev.RequesterIDs, ev.OrganizationIDs)
	if err == nil {
		err = a.loader.Invalidate(ctx, sidebar.RequesterKey(t.Subdomain, ev.TicketID))
	}
	if err != nil {
		// The lists still expire on their own; say so rather than fail
		// the delivery, which Zendesk would only retry.
		a.logger.Warn("invalidating after a webhook", "tenant", t.Subdomain, "ticket", ev.TicketID, "err", err)
	}
	a.metrics.PanelSection("webhook", ev.Type)
	return nil
}
