// Package web is Crossview's HTTP surface. It is the only package that
// imports echo; tests drive it as a plain http.Handler so a move to echo v5
// touches nothing else.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/server/internal/ticketview"
)

// ZAFVerifier verifies Zendesk signed-URL tokens.
type ZAFVerifier interface {
	Verify(ctx context.Context, token string) (crossview.Principal, error)
}

// PanelTokens issues and checks Crossview's own panel tokens; sidebar
// tokens are bound to one ticket before they read a panel.
type PanelTokens interface {
	Issue(p crossview.Principal) (string, error)
	Verify(token, location string) (crossview.Principal, error)
	Bind(p crossview.Principal, ticketID int64) (string, error)
	VerifyTicket(token string, ticketID int64) (crossview.Principal, error)
}

// SidebarBuilder builds the Zendesk sidebar panel, for agents Zendesk
// lets see the ticket.
type SidebarBuilder interface {
	Authorize(ctx context.Context, p crossview.Principal, ticketID int64) error
	Build(ctx context.Context, p crossview.Principal, ticketID int64, refresh bool) (sidebar.Panel, error)
}

// CanvasVerifier verifies Salesforce Canvas signed requests.
type CanvasVerifier interface {
	Verify(signedRequest string) (auth.CanvasRequest, error)
}

// RecordResolver reads a Salesforce record with the viewing rep's token.
type RecordResolver interface {
	ResolveRecord(ctx context.Context, orgID, instanceURL, accessToken, object, id string) (crossview.SalesforceRecord, error)
}

// TicketViewBuilder builds the Salesforce ticket panel.
type TicketViewBuilder interface {
	Build(ctx context.Context, p crossview.Principal, filter *ticketview.Filter, page int, refresh bool) (ticketview.Panel, error)
}

// TenantFinder looks a tenant up by subdomain.
type TenantFinder interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
}

// WebhookVerifier checks a Zendesk webhook delivery's signature.
type WebhookVerifier interface {
	Verify(secret, timestamp, signature string, body []byte) error
}

// TicketSyncIntake queues the ticket change a verified ticket-sync webhook
// body names, durably, before the webhook is answered.
type TicketSyncIntake interface {
	SyncWebhook(ctx context.Context, t crossview.Tenant, connID string, body []byte) error
}

// TicketEvents acts on a verified Zendesk webhook body.
type TicketEvents interface {
	TicketEvent(ctx context.Context, t crossview.Tenant, body []byte) error
}

// Metrics records served requests and exposes the registry.
type Metrics interface {
	Request(route, method string, status int, d time.Duration)
	Handler() http.Handler
}

// Options holds every dependency of the HTTP surface.
type Options struct {
	Logger      *slog.Logger
	Metrics     Metrics
	ZAF         ZAFVerifier
	PanelTokens PanelTokens
	Sidebar     SidebarBuilder
	// Salesforce ticket view.
	Canvas     CanvasVerifier
	Records    RecordResolver
	TicketView TicketViewBuilder
	// Admin pages.
	Admin AdminService
	// PublicURL is Crossview's external base URL; SalesforceLoginOrigins
	// are the login hosts admin forms may lead to.
	PublicURL              string
	SalesforceLoginOrigins []string
	// Zendesk webhooks.
	Tenants         TenantFinder
	WebhookVerifier WebhookVerifier
	TicketEvents    TicketEvents
	TicketSync      TicketSyncIntake
	// Ready reports whether the store and cache are reachable.
	Ready func(ctx context.Context) error
	// ZendeskBaseURL maps a subdomain to its Zendesk base URL; its origin is
	// the only one allowed to frame that tenant's sidebar.
	ZendeskBaseURL func(subdomain string) string
	// ZAFSDKURL is where the sidebar loads the ZAF SDK from.
	ZAFSDKURL string
	// SidebarPoll is how often an open, visible sidebar fetches its panel
	// again (default 30 s); an unchanged panel answers 304.
	SidebarPoll time.Duration
	// Assets are the embedded static files; Vendor files are served under
	// /assets/vendor/ by name (the ZAF SDK built from npm, in the sandbox).
	Assets fs.FS
	Vendor map[string][]byte
	// Demo is set only in the sandbox; it enables /demo.
	Demo Demo
	// ExtraFrameAncestors are origins allowed to frame panels besides the
	// tenant's own host (the sandbox's own origin, for /demo).
	ExtraFrameAncestors []string
	Now                 func() time.Time
}

type server struct {
	o      Options
	panels *renderCache
	builds *buildCache
	// signIns limits sign-in attempts per client; clientIP names the
	// client: the peer, or behind proxies on private or loopback addresses
	// the nearest address in X-Forwarded-For they did not add themselves,
	// so a client cannot pick its own address by sending the header.
	signIns  *limiter
	clientIP echo.IPExtractor
}

// NewServer returns the HTTP handler for the whole surface.
func NewServer(o Options) http.Handler {
	s := &server{o: o, panels: newRenderCache(5_000), builds: newBuildCache(),
		signIns: newLimiter(signInBurst, signInEvery, signInClients, o.Now), clientIP: echo.ExtractIPFromXFFHeader()}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.recoverPanics, s.observe, s.securityHeaders)
	s.routes(e)
	return e
}
