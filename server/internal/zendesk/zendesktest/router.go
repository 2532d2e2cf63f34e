package zendesktest

import (
	"net/http"
	"strings"
)

// access says who may call a route.
type access int

const (
	// anonymous routes skip auth and the rate limit (the app public key).
	anonymous access = iota
	// oauthFlow routes are the browser and token endpoints of OAuth: no
	// API credential, no rate limit.
	oauthFlow
	// anyUser routes accept any authenticated user, end-users too.
	anyUser
	// agentOnly routes need an agent or admin.
	agentOnly
	// adminOnly routes need an admin.
	adminOnly
)

// route is one endpoint. pattern segments like {id} match decimal ids,
// {name:token} segments alphanumeric tokens (webhook ids); a final segment
// ending in ".json" also matches without the suffix, as Zendesk does.
type route struct {
	method  string
	pattern string
	access  access
	// resource names the OAuth resource scope (tickets:read, ...).
	resource string
	handle   func(*call) error
}

// key is the route's name in Stats.ByEndpoint.
func (rt route) key() string { return rt.method + " " + rt.pattern }

// match reports whether path fits the pattern, with its parameters.
func (rt route) match(path string) (map[string]string, bool) {
	want := strings.Split(rt.pattern, "/")
	got := strings.Split(path, "/")
	if len(want) != len(got) {
		return nil, false
	}
	var params map[string]string
	for i, w := range want {
		g := got[i]
		if i == len(want)-1 && strings.HasSuffix(w, ".json") && !strings.HasSuffix(g, ".json") {
			w = strings.TrimSuffix(w, ".json")
		}
		if !strings.HasPrefix(w, "{") {
			if w != g {
				return nil, false
			}
			continue
		}
		name, suffix, _ := strings.Cut(strings.TrimPrefix(w, "{"), "}")
		name, kind, _ := strings.Cut(name, ":")
		val, ok := strings.CutSuffix(g, suffix)
		if !ok || (kind == "token" && !isToken(val)) || (kind != "token" && !isDigits(val)) {
			return nil, false
		}
		if params == nil {
			params = map[string]string{}
		}
		params[name] = val
	}
	return params, true
}

// find returns the route for a request, or false. A path that matches
// with another method is not found either: Zendesk answers 404 for both.
func find(routes []route, method, path string) (route, map[string]string, bool) {
	for _, rt := range routes {
		if rt.method != method {
			continue
		}
		if params, ok := rt.match(path); ok {
			return rt, params, true
		}
	}
	return route{}, nil, false
}

// isToken reports whether s is 1 to 64 ASCII letters and digits.
func isToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// call is one request being served.
type call struct {
	a      *Account
	w      http.ResponseWriter
	r      *http.Request
	params map[string]string
	who    principal
}
