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
	e.GET("/zendesk/panel", s.handleSidebarPanel)

	// Salesforce record pages: the Canvas entry, then the panel it polls.
	e.POST("/salesforce/canvas", s.handleCanvas, middleware.BodyLimit("128K"))
	e.GET("/salesforce/canvas", s.handleCanvasGet)
	e.GET("/salesforce/panel", s.handleTicketPanel)

	// Zendesk webhooks; the account in the path selects the signing secret.
	e.POST("/zendesk/webhook/:subdomain", s.handleZendeskWebhook, middleware.BodyLimit("1M"))

	if s.o.Demo != nil {
		e.GET("/demo", s.handleDemo)
		e.POST("/demo/orgs/:key/failure", s.handleDemoFailure, form)
		e.GET("/demo/salesforce", s.handleDemoSalesforce)
		e.POST("/demo/tickets/:tenant/:id", s.handleDemoChangeTicket, form)
	}
	e.RouteNotFound("/*", func(echo.Context) error { return echo.NewHTTPError(http.StatusNotFound) })
}
