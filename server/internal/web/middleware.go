package web

import (
	"fmt"
	"net/url"
	"runtime/debug"
	"strings"

	"github.com/labstack/echo/v4"
)

// recoverPanics turns a panic into a logged 500 instead of a dropped
// connection.
func (s *server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.o.Logger.Error("panic", "path", c.Request().URL.Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = fmt.Errorf("web: panic: %v", r)
			}
		}()
		return next(c)
	}
}

// observe records every request's latency by route pattern (never by raw
// path, which would explode the metric's cardinality).
func (s *server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := s.o.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		s.o.Metrics.Request(route, c.Request().Method, c.Response().Status, s.o.Now().Sub(start))
		return nil
	}
}

// securityHeaders sets what every response needs; pages that may be framed
// replace the default CSP with one naming their host.
func (s *server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Content-Security-Policy", s.csp([]string{"'none'"}))
		return next(c)
	}
}

// csp builds the Content-Security-Policy for a page framed by ancestors.
func (s *server) csp(ancestors []string) string {
	scripts := "'self'"
	if o := origin(s.o.ZAFSDKURL); o != "" {
		scripts += " " + o
	}
	return "default-src 'self'; script-src " + scripts + "; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors " + strings.Join(ancestors, " ")
}

// tenantAncestors allows exactly the tenant's Zendesk origin to frame.
func (s *server) tenantAncestors(subdomain string) []string {
	out := []string{origin(s.o.ZendeskBaseURL(subdomain))}
	return append(out, s.o.ExtraFrameAncestors...)
}

// anyTenantAncestors is for error pages where no tenant is known yet: any
// host of the configured Zendesk URL pattern may show them.
func (s *server) anyTenantAncestors() []string {
	out := []string{origin(s.o.ZendeskBaseURL("*"))}
	return append(out, s.o.ExtraFrameAncestors...)
}

// origin returns scheme://host[:port] of u, or "" when u is relative.
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" || p.Host == "" {
		return ""
	}
	return p.Scheme + "://" + p.Host
}
