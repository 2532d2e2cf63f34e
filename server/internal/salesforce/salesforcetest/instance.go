package salesforcetest

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
)

// maxBodyBytes caps REST request bodies.
const maxBodyBytes = 8 << 20

// handler serves the org's instance host.
func (o *Org) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.bump(func(s *Stats) { s.Requests++ })
		if !o.wait(r.Context()) {
			return
		}
		if refuseOversized(w, r) {
			return
		}
		p := r.URL.Path
		switch {
		case p == "/services/data" || p == "/services/data/":
			o.serveVersions(w, r)
		case strings.HasPrefix(p, "/services/data/"):
			o.serveData(w, r)
		case strings.HasPrefix(p, "/id/"):
			o.cloud.serveIdentity(w, r, o)
		case strings.HasPrefix(p, "/lightning/") || classicRecordPath(p):
			o.serveLightning(w, r)
		default:
			writeJSON(w, http.StatusNotFound, errNotFound().body())
		}
	})
}

// classicRecordPath reports whether p is a classic record link, /{Id}.
func classicRecordPath(p string) bool {
	seg := strings.TrimPrefix(p, "/")
	return (len(seg) == 15 || len(seg) == 18) && normalizeID(seg) != ""
}

// serveVersions lists the versions; it needs no token and, as in
// Salesforce, does not count against the limit or carry Sforce-Limit-Info.
func (o *Org) serveVersions(w http.ResponseWriter, r *http.Request) {
	if k := o.knobs(); k.failure != 0 {
		writeFailure(w, k.failure, "")
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, errMethodNotAllowed(r.Method, "HEAD,GET").body())
		return
	}
	writeJSON(w, http.StatusOK, versionsList())
}

// serveData runs one REST call: failure knob, version, token, permission,
// limit, then the resource.
func (o *Org) serveData(w http.ResponseWriter, r *http.Request) {
	k := o.knobs()
	if k.failure != 0 {
		writeFailure(w, k.failure, o.usage())
		return
	}
	fail := func(e *apiError) {
		w.Header().Set("Sforce-Limit-Info", o.usage())
		writeJSON(w, e.status, e.body())
	}
	segs, ok := splitPath(strings.TrimPrefix(r.URL.EscapedPath(), "/services/data/"))
	if !ok {
		fail(errNotFound())
		return
	}
	ver, state := parseAPIVersion(segs[0])
	if state != versionServed {
		fail(versionError(segs[0]))
		return
	}
	user, aerr := o.authenticate(r, k)
	if aerr != nil {
		fail(aerr)
		return
	}
	rest := segs[1:]
	if len(rest) > 0 && rest[len(rest)-1] == "" {
		rest = rest[:len(rest)-1] // a trailing slash names the same resource
	}
	charged, usage := o.charge(callKind(r.Method, rest))
	if !charged {
		fail(errLimitExceeded())
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(newAPIError(http.StatusRequestEntityTooLarge, "REQUEST_ENTITY_TOO_LARGE", "Request body exceeds the maximum size"))
			return
		}
		fail(errBadBody("Could not read the request body"))
		return
	}
	resp := o.dispatch(restReq{
		method: r.Method, segs: rest, query: r.URL.Query(), body: body,
		contentType: r.Header.Get("Content-Type"), version: ver, user: user,
	})
	w.Header().Set("Sforce-Limit-Info", usage)
	resp.write(w)
}

// authenticate resolves the bearer token to a user allowed to call REST.
func (o *Org) authenticate(r *http.Request, k knobs) (*User, *apiError) {
	token := bearerToken(r)
	if token == "" {
		return nil, errInvalidSession()
	}
	if k.lockedIP != "" && remoteIP(r) != k.lockedIP {
		return nil, errInvalidSession()
	}
	ss, ok := o.cloud.tokens.use(token, o.id, o.cloud.now(), o.cloud.opts.SessionTimeout)
	if !ok {
		return nil, errInvalidSession()
	}
	u := o.user(ss.userID)
	if u == nil {
		return nil, errInvalidSession()
	}
	if !hasScope(ss.scope, "api", "full") {
		return nil, newAPIError(http.StatusUnauthorized, "INVALID_SESSION_ID",
			"This session is not valid for use with the REST API")
	}
	if !u.Perms.APIEnabled {
		return nil, newAPIError(http.StatusForbidden, "API_CURRENTLY_DISABLED", "API is disabled for this User")
	}
	return u, nil
}

// bearerToken reads "Authorization: Bearer x" (or the older "OAuth x").
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || (!strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "OAuth")) {
		return ""
	}
	return strings.TrimSpace(token)
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// writeFailure answers like a Salesforce outage: JSON errors from the
// application tier for 500 and 503, an HTML page from the load balancer
// for 502.
func writeFailure(w http.ResponseWriter, status int, usage string) {
	if status == http.StatusBadGateway {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n")
		return
	}
	if usage != "" {
		w.Header().Set("Sforce-Limit-Info", usage)
	}
	e := newAPIError(status, "UNKNOWN_EXCEPTION",
		"An unexpected error occurred. Please include this ErrorId if you contact support: 1917349817-59731 (-1489216377)")
	if status == http.StatusServiceUnavailable {
		e = newAPIError(status, "SERVER_UNAVAILABLE", "Server temporarily unavailable. Please try again later.")
	}
	writeJSON(w, status, e.body())
}
