package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists the whole HTTP surface in one place.
func (s *server) routes(e *echo.Echo) {
	e.GET("/healthz", s.handleHealthz)
	e.GET("/readyz", s.handleReadyz)
	e.GET("/metrics", echo.WrapHandler(s.o.Metrics.Handler()))
	e.GET("/assets/*", s.handleAssets())
	e.GET("/", s.handleHome)

	form := middleware.BodyLimit("64K")
	// Zendesk ticket sidebar: the signed entry, then the panel fragment.
	e.POST("/zendesk/sidebar", s.handleSidebarEntry, form)
	e.GET("/zendesk/sidebar", s.handleSidebarGet)
	e.POST("/zendesk/panel/token", s.handleSidebarBind, form)
	e.GET("/zendesk/panel", s.handleSidebarPanel)

	// Salesforce record pages: the Canvas entry, then the panel it polls.
	e.POST("/salesforce/canvas", s.handleCanvas, middleware.BodyLimit("128K"))
	e.GET("/salesforce/canvas", s.handleCanvasGet)
	e.GET("/salesforce/panel", s.handleTicketPanel)

	// Zendesk webhooks; the account in the path selects the signing secret.
	e.POST("/zendesk/webhook/:subdomain", s.handleZendeskWebhook, middleware.BodyLimit("1M"))

	// Admin pages: Zendesk sign-in, then connections.
	if s.o.Admin != nil {
		a := s.requireAdmin
		e.GET("/admin/signin", s.handleAdminSignIn)
		e.GET("/admin/signin/start", s.handleAdminSignInStart)
		e.GET("/admin/oauth/zendesk/callback", s.handleAdminZendeskCallback)
		e.POST("/admin/signout", a(s.handleAdminSignOut), form)
		e.GET("/admin", a(s.handleAdminConnections))
		e.GET("/admin/connections/new", a(s.handleAdminNewConnection))
		e.POST("/admin/connections/new", a(s.handleAdminStartConnect), form)
		e.GET("/admin/salesforce/callback", a(s.handleAdminSalesforceCallback))
		e.GET("/admin/connections/pending/:id", a(s.handleAdminPendingConnection))
		e.POST("/admin/connections/pending/:id/connect", a(s.handleAdminConfirmConnect), form)
		e.POST("/admin/connections/pending/:id/cancel", a(s.handleAdminCancelConnect), form)
		e.GET("/admin/connections/:id", a(s.handleAdminConnection))
		for _, action := range []string{"rename", "features", "sidebar", "ticketview", "check",
			"ticketsync", "ticketsync/repair", "ticketsync/replay", "ticketsync/backfill", "datasync", "datasync/replay"} {
			e.POST("/admin/connections/:id/"+action, a(s.handleAdminChange(action)), form)
		}
		e.GET("/admin/connections/:id/ticketsync/progress", a(s.handleAdminBackfillProgress))
		e.GET("/admin/connections/:id/datasync/progress", a(s.handleAdminDataSyncProgress))
		e.POST("/admin/connections/:id/reconnect", a(s.handleAdminReconnect), form)
		e.GET("/admin/connections/:id/disconnect", a(s.handleAdminDisconnectConfirm))
		e.POST("/admin/connections/:id/disconnect", a(s.handleAdminDisconnect), form)
		e.GET("/admin/audit", a(s.handleAdminAudit))
		e.GET("/admin/account", a(s.handleAdminAccount))
		e.POST("/admin/account", a(s.handleAdminAccountSave), form)
	}

	if s.o.Demo != nil {
		e.GET("/demo", s.handleDemo)
		e.POST("/demo/orgs/:key/failure", s.handleDemoFailure, form)
		e.POST("/demo/accounts/:key/failure", s.handleDemoAccountFailure, form)
		e.GET("/demo/salesforce", s.handleDemoSalesforce)
		e.POST("/demo/tickets/:tenant/:id", s.handleDemoChangeTicket, form)
		e.GET("/demo/cases/:tenant/:id", s.handleDemoCase)
		e.POST("/demo/contacts/:id", s.handleDemoEditContact, form)
	}
	e.RouteNotFound("/*", func(echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
}
