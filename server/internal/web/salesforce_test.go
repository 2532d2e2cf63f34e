package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/ticketview"
	"github.com/crossview/crossview/server/internal/web"
)

const canvasSecret = "test-consumer-secret"

// resolver answers a fixed record and remembers the token it was given.
type resolver struct {
	mu     sync.Mutex
	tokens []string
}

func (r *resolver) ResolveRecord(_ context.Context, orgID, _, token, object, id string) (crossview.SalesforceRecord, error) {
	r.mu.Lock()
	r.tokens = append(r.tokens, token)
	r.mu.Unlock()
	return crossview.SalesforceRecord{OrgID: orgID, Object: object, ID: id, Name: "Globex", Emails: []string{"pat@globex.example"}}, nil
}

// panels answers a panel with one secret ticket and records filters.
type panels struct {
	mu      sync.Mutex
	filters []*ticketview.Filter
	status  string
	updated time.Time
}

func (p *panels) Build(_ context.Context, pr crossview.Principal, f *ticketview.Filter, page int, _ bool) (ticketview.Panel, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filters = append(p.filters, f)
	return ticketview.Panel{
		Record:   *pr.Record,
		Sections: []ticketview.Section{{Tenant: "acme", Count: 1}},
		Tickets:  []crossview.Ticket{{Tenant: "acme", ID: 42, Subject: "Secret ticket subject", Status: p.status, UpdatedAt: p.updated}},
		Matching: 1, Page: 1, Pages: 1, StatusCounts: map[string]int{p.status: 1},
	}, nil
}

type events struct {
	mu     sync.Mutex
	bodies []string
}

func (e *events) TicketEvent(_ context.Context, _ crossview.Tenant, body []byte) error {
	e.mu.Lock()
	e.bodies = append(e.bodies, string(body))
	e.mu.Unlock()
	return nil
}

type sfHarness struct {
	h      http.Handler
	res    *resolver
	panels *panels
	events *events
}

func newSFHarness(t *testing.T) *sfHarness {
	t.Helper()
	res, pn, ev := &resolver{}, &panels{status: "open", updated: time.Now().Add(-time.Hour)}, &events{}
	ts := tenants{"acme": {Subdomain: "acme", AppID: 1, WebhookSecret: "hook-secret"}}
	sfHosts, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts)
	if err != nil {
		t.Fatal(err)
	}
	h := web.NewServer(web.Options{
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics:         metrics.New(),
		PanelTokens:     auth.NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), 10*time.Minute, time.Now),
		Canvas:          auth.NewCanvasVerifier(canvasSecret, sfHosts, time.Now),
		Records:         res,
		TicketView:      pn,
		Tenants:         ts,
		WebhookVerifier: auth.NewWebhookVerifier(5*time.Minute, time.Now),
		TicketEvents:    ev,
		Ready:           func(context.Context) error { return nil },
		ZendeskBaseURL:  func(s string) string { return "https://" + s + ".zendesk.com" },
		Assets:          assets.FS(),
		Now:             time.Now,
	})
	return &sfHarness{h: h, res: res, panels: pn, events: ev}
}

// signCanvas builds a signed request exactly as Salesforce does.
func signCanvas(secret string, env map[string]any) string {
	b, _ := json.Marshal(env)
	enc := base64.StdEncoding.EncodeToString(b)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(enc))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)) + "." + enc
}

func envelope() map[string]any {
	return map[string]any{
		"algorithm": "HMACSHA256", "issuedAt": nil, "userId": "005000000000001",
		"client": map[string]any{"instanceUrl": "https://globex.my.salesforce.com", "oauthToken": "00D!rep-own-token", "targetOrigin": "https://globex.my.salesforce.com"},
		"context": map[string]any{
			"user":         map[string]any{"userId": "005000000000001AAA", "userName": "rep@globex.example"},
			"organization": map[string]any{"organizationId": "00D000000000001EAA", "name": "Globex"},
			"environment": map[string]any{"displayLocation": "Aura", "parameters": map[string]any{"recordId": "001000000000001AAA", "sObjectName": "Account"},
				"version": map[string]any{"api": "66.0"}},
		},
	}
}

func (s *sfHarness) postCanvas(t *testing.T, signed string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/salesforce/canvas", strings.NewReader(url.Values{"signed_request": {signed}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

var tvToken = regexp.MustCompile(`data-token="([^"]+)"`)

func TestCanvasEntry(t *testing.T) {
	s := newSFHarness(t)
	rec := s.postCanvas(t, signCanvas(canvasSecret, envelope()))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Secret ticket subject") {
		t.Fatalf("canvas: %d\n%s", rec.Code, rec.Body)
	}
	if len(s.res.tokens) != 1 || s.res.tokens[0] != "00D!rep-own-token" {
		t.Fatalf("the record was not read with the rep's own token: %v", s.res.tokens)
	}
	if strings.Contains(rec.Body.String(), "rep-own-token") {
		t.Fatal("the rep's Salesforce token reached the page")
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors https://globex.my.salesforce.com https://globex.lightning.force.com") {
		t.Errorf("CSP %q does not name the org's origins", csp)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("token-bearing page is cacheable")
	}
	tok := tvToken.FindStringSubmatch(rec.Body.String())[1]

	// Polling: the same content answers 304 to its ETag.
	get := func(q, etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/salesforce/panel?"+q, nil)
		req.Header.Set("X-Crossview-Token", tok)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		r := httptest.NewRecorder()
		s.h.ServeHTTP(r, req)
		return r
	}
	first := get("page=1", "")
	if first.Code != 200 || first.Header().Get("ETag") == "" {
		t.Fatalf("panel: %d %v", first.Code, first.Header())
	}
	if again := get("page=1", first.Header().Get("ETag")); again.Code != http.StatusNotModified {
		t.Fatalf("unchanged panel answered %d, want 304", again.Code)
	}
	s.panels.mu.Lock()
	s.panels.status = "solved"
	s.panels.mu.Unlock()
	if changed := get("page=1", first.Header().Get("ETag")); changed.Code != 200 || !strings.Contains(changed.Body.String(), "Solved") {
		t.Fatalf("changed panel answered %d", changed.Code)
	}
	// A filter is passed on (and so saved) only when the rep sets one.
	get("f=1&status=open&status=pending&account=acme", "")
	last := s.panels.filters[len(s.panels.filters)-1]
	if last == nil || len(last.Statuses) != 2 || last.Accounts[0] != "acme" {
		t.Fatalf("filter passed on: %+v", last)
	}
	// A Zendesk sidebar token does not open a Salesforce panel.
	zdTok, _ := auth.NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), time.Minute, time.Now).Issue(crossview.Principal{Tenant: "acme", Location: crossview.LocationZendeskSidebar})
	req := httptest.NewRequest(http.MethodGet, "/salesforce/panel", nil)
	req.Header.Set("X-Crossview-Token", zdTok)
	r := httptest.NewRecorder()
	s.h.ServeHTTP(r, req)
	if r.Code != 401 {
		t.Fatalf("sidebar token on the Salesforce panel: %d", r.Code)
	}
}

func TestCanvasRefusals(t *testing.T) {
	s := newSFHarness(t)
	good := signCanvas(canvasSecret, envelope())
	sig, env, _ := strings.Cut(good, ".")
	urlSafe := strings.NewReplacer("+", "-", "/", "_").Replace(good)
	if urlSafe == good {
		// Make sure the case is meaningful: force a URL-safe character.
		urlSafe = strings.ReplaceAll(good, "=", "")
	}
	tampered := sig + "." + env[:len(env)-8] + "AAAAAAA="
	cases := map[string]struct {
		body string
		want int
	}{
		"wrong secret": {signCanvas("other-secret", envelope()), 401},
		"tampered":     {tampered, 401},
		"URL-safe":     {urlSafe, 401},
		"no period":    {sig + env, 401},
		"empty":        {"", 401},
		"garbage":      {"bla-bla-invalid_signed_request", 401},
		"oversized":    {strings.Repeat("A", 200<<10), 413},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec := s.postCanvas(t, tc.body)
			if rec.Code < 400 || rec.Code >= 500 || (tc.want == 413 && rec.Code != 413) {
				t.Fatalf("status %d, want a 4xx (%d)", rec.Code, tc.want)
			}
			if b := rec.Body.String(); strings.Contains(b, "Secret ticket") || strings.Contains(b, "data-token") {
				t.Fatalf("refusal leaks data:\n%s", b)
			}
		})
	}
	if len(s.res.tokens) != 0 {
		t.Fatalf("Salesforce was asked for %d records on refused requests", len(s.res.tokens))
	}
}

func TestCanvasApprovalGet(t *testing.T) {
	s := newSFHarness(t)
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/salesforce/canvas?_sfdc_canvas_authvalue=user_approval_required", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "pre-authorized") {
		t.Fatalf("approval page: %d\n%s", rec.Code, rec.Body)
	}
}

func TestWebhookEndpoint(t *testing.T) {
	s := newSFHarness(t)
	body := `{"type":"zen:event-type:ticket.status_changed","detail":{"id":"42","requester_id":"7"}}`
	sign := func(secret, ts, b string) string {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(ts + b))
		return base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	now := time.Now().UTC().Format(time.RFC3339)
	stale := time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339)
	post := func(path, b, ts, sig string) int {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		if ts != "" {
			req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		}
		if sig != "" {
			req.Header.Set("X-Zendesk-Webhook-Signature", sig)
		}
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, req)
		return rec.Code
	}
	cases := []struct {
		name, path, body, ts, sig string
		want                      int
	}{
		{"valid", "/zendesk/webhook/acme", body, now, sign("hook-secret", now, body), 200},
		{"tampered body", "/zendesk/webhook/acme", strings.Replace(body, "42", "43", 1), now, sign("hook-secret", now, body), 401},
		{"wrong secret", "/zendesk/webhook/acme", body, now, sign("nope", now, body), 401},
		{"stale timestamp", "/zendesk/webhook/acme", body, stale, sign("hook-secret", stale, body), 401},
		{"missing headers", "/zendesk/webhook/acme", body, "", "", 401},
		{"unknown account", "/zendesk/webhook/globex", body, now, sign("hook-secret", now, body), 404},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := post(tc.path, tc.body, tc.ts, tc.sig); got != tc.want {
				t.Fatalf("status %d, want %d", got, tc.want)
			}
		})
	}
	if len(s.events.bodies) != 1 {
		t.Fatalf("%d events acted on, want only the valid one", len(s.events.bodies))
	}
}
