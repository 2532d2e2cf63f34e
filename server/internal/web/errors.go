package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/views"
)

// statusOf maps error codes to HTTP statuses.
func statusOf(code string) int {
	switch code {
	case crossview.EINVALID:
		return http.StatusBadRequest
	case crossview.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case crossview.EFORBIDDEN:
		return http.StatusForbidden
	case crossview.ENOTFOUND:
		return http.StatusNotFound
	case crossview.ECONFLICT:
		return http.StatusConflict
	case crossview.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case crossview.ERATELIMITED:
		return http.StatusTooManyRequests
	case crossview.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func titleOf(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "Crossview could not verify who is asking"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusServiceUnavailable:
		return "A connected system is unavailable"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusInternalServerError:
		return "Something went wrong"
	}
	return http.StatusText(status)
}

// handleError is the one place errors become responses. Only the
// user-safe message of a crossview.Error is shown; internal errors are
// logged and shown as "Internal error."
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var status int
	msg := crossview.ErrorMessage(err)
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
		msg = http.StatusText(status) + "."
		if status == http.StatusRequestEntityTooLarge {
			msg = "The request is too large."
		}
	default:
		status = statusOf(crossview.ErrorCode(err))
	}
	req := c.Request()
	if status >= 500 {
		s.o.Logger.Error("request failed", "method", req.Method, "path", req.URL.Path, "status", status, "err", err)
	} else {
		s.o.Logger.Info("request refused", "method", req.Method, "path", req.URL.Path, "status", status, "err", err)
	}
	view := views.ErrorView{
		Page:   views.Page{Title: "Crossview", AssetPrefix: "/assets", BodyClass: "cv-embedded"},
		Status: status, Title: titleOf(status), Message: msg,
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	if strings.HasPrefix(req.URL.Path, "/zendesk/") || strings.HasPrefix(req.URL.Path, "/salesforce/") {
		// Error pages inside a host's iframe must still be visible there;
		// they hold no data.
		h.Set("Content-Security-Policy", s.csp(s.anyTenantAncestors()))
	}
	var rerr error
	switch {
	case req.Method == http.MethodHead:
		rerr = c.NoContent(status)
	case isFragment(req):
		rerr = render(c, status, views.ErrorFragment(view))
	default:
		rerr = render(c, status, views.ErrorPage(view))
	}
	if rerr != nil {
		s.o.Logger.Error("rendering error page", "err", rerr)
	}
}

// isFragment reports whether the response is spliced into an existing page.
func isFragment(r *http.Request) bool {
	return r.URL.Path == "/zendesk/panel" || r.Header.Get("X-Crossview-Token") != ""
}
