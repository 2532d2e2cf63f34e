package web

import (
	"context"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/crossview"
)

// handleHealthz says the process is up; it checks nothing else so an
// orchestrator never restarts us because Redis blinked.
func (s *server) handleHealthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// handleReadyz says whether we can serve: the store and cache answer.
func (s *server) handleReadyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.o.Ready(ctx); err != nil {
		s.o.Logger.Warn("not ready", "err", err)
		return c.String(http.StatusServiceUnavailable, "not ready: "+crossview.ErrorMessage(err)+"\n")
	}
	return c.String(http.StatusOK, "ready\n")
}

// handleAssets serves embedded files (and the npm-built vendor files) with
// long caching for vendor code and revalidation for ours.
func (s *server) handleAssets() echo.HandlerFunc {
	ours := http.StripPrefix("/assets/", http.FileServerFS(s.o.Assets))
	return func(c echo.Context) error {
		p := c.Param("*")
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=300")
		if name, ok := strings.CutPrefix(p, "vendor/"); ok {
			b, found := s.o.Vendor[name]
			if !found {
				return echo.NewHTTPError(http.StatusNotFound)
			}
			return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", b)
		}
		if st, err := fs.Stat(s.o.Assets, p); err != nil || st.IsDir() {
			return echo.NewHTTPError(http.StatusNotFound)
		}
		ours.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// handleHome points people at what this server is.
func (s *server) handleHome(c echo.Context) error {
	if s.o.Demo != nil {
		return c.Redirect(http.StatusSeeOther, "/demo")
	}
	return c.String(http.StatusOK, "Crossview joins Zendesk and Salesforce. See /healthz, /readyz and /metrics.\n")
}
