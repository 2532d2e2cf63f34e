package zendesktest

import (
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serve answers one request for the account; path is relative to the
// account's base URL. Every request goes through the same steps: count,
// delay, rate limit, injected failure, authentication, handler.
func (a *Account) serve(w http.ResponseWriter, r *http.Request, path string) {
	start := time.Now()
	rt, params, found := find(a.srv.routes, r.Method, path)
	key := rt.key()
	if !found {
		key = r.Method + " (unknown)"
	}
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		// No query string or header is logged: they can carry codes and tokens.
		a.srv.log.Debug("zendesktest: request", "account", a.spec.Subdomain, "route", key,
			"status", sw.status, "duration", time.Since(start))
	}()
	latency, failure := a.record(key)
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		case <-a.srv.ctx.Done(): // closing: do not hold up Close
			t.Stop()
			writeFailure(sw, http.StatusServiceUnavailable)
			return
		}
	}
	api := strings.HasPrefix(path, "/api/v2/")
	if api {
		sw.Header().Set("X-Zendesk-API-Version", "v2")
	}
	if api && (!found || rt.access != anonymous) {
		limit, remaining, retry := a.admit()
		sw.Header().Set("X-Rate-Limit", strconv.Itoa(limit))
		sw.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
		if retry > 0 {
			sw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
			writeJSON(sw, http.StatusTooManyRequests, &apiError{Code: "APIRateLimitExceeded",
				Description: "Number of allowed API requests per minute exceeded"})
			return
		}
	}
	if failure != 0 {
		writeFailure(sw, failure)
		return
	}
	if !found && !api {
		sw.Header().Set("Content-Type", "text/html; charset=utf-8")
		sw.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(sw, "<!DOCTYPE html><html><body><h1>The page you were looking for doesn't exist</h1></body></html>")
		return
	}
	c := &call{a: a, w: sw, r: r, params: params}
	if !found || rt.access >= anyUser {
		p, err := a.authenticate(r)
		if err != nil {
			writeError(sw, err)
			return
		}
		if !found {
			writeError(sw, errInvalidEndpoint())
			return
		}
		if err := authorize(rt, p); err != nil {
			writeError(sw, err)
			return
		}
		c.who = p
	}
	if err := rt.handle(c); err != nil {
		writeError(sw, err)
	}
}

// statusWriter remembers the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
