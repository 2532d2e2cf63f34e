package web_test

import (
	"context"
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
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/server/internal/web"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// tenants is a fixed tenant list.
type tenants map[string]crossview.Tenant

func (t tenants) Tenant(_ context.Context, sub string) (crossview.Tenant, error) {
	if tn, ok := t[sub]; ok {
		return tn, nil
	}
	return crossview.Tenant{}, crossview.ErrNotFound
}

// recordingSidebar answers a fixed panel and remembers who asked. Every
// agent may see every ticket but 13.
type recordingSidebar struct {
	mu    sync.Mutex
	calls []crossview.Principal
}

func (r *recordingSidebar) Authorize(_ context.Context, _ crossview.Principal, ticketID int64) error {
	if ticketID == 13 {
		return crossview.Errorf(crossview.EFORBIDDEN, "Your Zendesk access does not include this ticket.")
	}
	return nil
}

func (r *recordingSidebar) Build(_ context.Context, p crossview.Principal, ticketID int64, _ bool) (sidebar.Panel, error) {
	r.mu.Lock()
	r.calls = append(r.calls, p)
	r.mu.Unlock()
	return sidebar.Panel{
		Tenant: p.Tenant, TicketID: ticketID,
		Requester: crossview.Requester{Name: "Secret Customer", Email: "secret@customer.example"},
		Sections: []sidebar.Section{{
			Connection: crossview.Connection{ID: "conn_1", Name: "Prod org", OrgID: "00D000000000001AAA", Environment: crossview.Production},
			Data:       crossview.CustomerData{Matches: []crossview.CustomerMatch{{Person: crossview.Record{Object: "Contact", ID: "003000000000001AAA", Name: "Secret Customer"}}}},
		}},
	}, nil
}

type harness struct {
	zd      *zendesktest.Server
	acme    *zendesktest.Account
	globex  *zendesktest.Account
	sidebar *recordingSidebar
	h       http.Handler
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	zd, err := zendesktest.New(zendesktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = zd.Close() })
	acme, _ := zd.AddAccount(zendesktest.AccountSpec{Subdomain: "acme", AppID: 10, InstallationID: 100})
	globex, _ := zd.AddAccount(zendesktest.AccountSpec{Subdomain: "globex", AppID: 20, InstallationID: 200})
	client := zendesk.NewClient(zd.URLTemplate(), http.DefaultClient, 2*time.Second, nil, time.Now)
	ts := tenants{
		"acme":   {Subdomain: "acme", AppID: 10},
		"globex": {Subdomain: "globex", AppID: 20},
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	sb := &recordingSidebar{}
	h := web.NewServer(web.Options{
		Logger:  logger,
		Metrics: metrics.New(),
		ZAF: auth.NewZAFVerifier(auth.ZAFOptions{
			Tenants: ts, Keys: client, BaseURL: client.BaseURL, Now: time.Now, Logger: logger,
		}),
		PanelTokens:    auth.NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), 10*time.Minute, time.Now),
		Sidebar:        sb,
		Ready:          func(context.Context) error { return nil },
		ZendeskBaseURL: client.BaseURL,
		ZAFSDKURL:      "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js",
		Assets:         assets.FS(),
		Now:            time.Now,
	})
	return &harness{zd: zd, acme: acme, globex: globex, sidebar: sb, h: h}
}

func (h *harness) postSidebar(t *testing.T, token string) *httptest.ResponseRecorder {
	t.Helper()
	form := url.Values{"token": {token}}
	req := httptest.NewRequest(http.MethodPost, "/zendesk/sidebar?origin=https://acme.zendesk.com&app_guid=g1", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

func (h *harness) getPanel(t *testing.T, panelToken, ticket string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/zendesk/panel?ticket_id="+ticket, nil)
	if panelToken != "" {
		req.Header.Set("X-Crossview-Token", panelToken)
	}
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	return rec
}

var tokenAttr = regexp.MustCompile(`data-token="([^"]+)"`)

func TestSidebarFlow(t *testing.T) {
	h := newHarness(t)
	jwt, err := h.acme.SignAppToken(zendesktest.AppClaims{UserID: 7})
	if err != nil {
		t.Fatal(err)
	}
	shell := h.postSidebar(t, jwt)
	if shell.Code != http.StatusOK {
		t.Fatalf("shell status %d: %s", shell.Code, shell.Body)
	}
	hdr := shell.Header()
	if got := hdr.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store on a token-bearing page", got)
	}
	if got := hdr.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	csp := hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors "+h.zd.URL()) || strings.Contains(csp, "frame-ancestors *") {
		t.Errorf("CSP %q does not limit framing to the tenant's Zendesk origin %s", csp, h.zd.URL())
	}
	if len(hdr.Values("Set-Cookie")) > 0 {
		t.Errorf("shell sets cookies: %v", hdr.Values("Set-Cookie"))
	}
	body := shell.Body.String()
	if !strings.Contains(body, `src="https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"`) {
		t.Errorf("shell does not load the ZAF SDK:\n%s", body)
	}
	m := tokenAttr.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no panel token in shell:\n%s", body)
	}
	rec, bound := h.bind(t, m[1], "42")
	if rec.Code != http.StatusOK {
		t.Fatalf("bind: %d %s", rec.Code, rec.Body)
	}
	panel := h.getPanel(t, bound, "42")
	if panel.Code != http.StatusOK || !strings.Contains(panel.Body.String(), "Secret Customer") {
		t.Fatalf("panel %d:\n%s", panel.Code, panel.Body)
	}
	if panel.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("panel Cache-Control = %q", panel.Header().Get("Cache-Control"))
	}
	if len(h.sidebar.calls) != 1 || h.sidebar.calls[0].Tenant != "acme" || h.sidebar.calls[0].UserID != "7" {
		t.Fatalf("sidebar built for %+v, want acme user 7", h.sidebar.calls)
	}
}

// TestSidebarRefusals: every bad entry gets 401 and nothing a panel would
// show — no panel token, no customer data.
func TestSidebarRefusals(t *testing.T) {
	h := newHarness(t)
	good := func(a *zendesktest.Account, c zendesktest.AppClaims) string {
		s, err := a.SignAppToken(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	acmeJWT := good(h.acme, zendesktest.AppClaims{UserID: 7})
	parts := strings.Split(acmeJWT, ".")
	// The payload re-signed is impossible without the key; swapping the
	// payload of another tenant's token keeps acme's signature.
	globexJWT := good(h.globex, zendesktest.AppClaims{UserID: 9})
	swapped := parts[0] + "." + strings.Split(globexJWT, ".")[1] + "." + parts[2]
	cases := map[string]string{
		"no token":                        "",
		"alg none":                        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".",
		"expired":                         good(h.acme, zendesktest.AppClaims{UserID: 7, IssuedAt: time.Now().Add(-time.Hour), TTL: 5 * time.Minute}),
		"tenant B payload, A's signature": swapped,
		"truncated signature":             acmeJWT[:len(acmeJWT)-10],
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			rec := h.postSidebar(t, tok)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401:\n%s", rec.Code, rec.Body)
			}
			if b := rec.Body.String(); strings.Contains(b, "data-token") || strings.Contains(b, "Secret Customer") {
				t.Fatalf("refusal leaks a token or data:\n%s", b)
			}
		})
	}
	if len(h.sidebar.calls) != 0 {
		t.Fatalf("sidebar was built %d times for refused requests", len(h.sidebar.calls))
	}
}

func TestPanelRefusals(t *testing.T) {
	h := newHarness(t)
	other := auth.NewPanelTokens([]byte("ffffffffffffffffffffffffffffffff"), time.Minute, time.Now)
	forged, _ := other.Issue(crossview.Principal{Tenant: "globex", UserID: "1", Location: crossview.LocationZendeskSidebar})
	for name, tok := range map[string]string{"missing": "", "forged": forged, "garbage": "abc.def.ghi"} {
		t.Run(name, func(t *testing.T) {
			rec := h.getPanel(t, tok, "42")
			if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "Secret Customer") {
				t.Fatalf("status %d:\n%s", rec.Code, rec.Body)
			}
		})
	}
	if len(h.sidebar.calls) != 0 {
		t.Fatalf("sidebar built for refused panel requests: %+v", h.sidebar.calls)
	}
}

func TestOversizedFormRefused(t *testing.T) {
	h := newHarness(t)
	rec := h.postSidebar(t, strings.Repeat("a", 100<<10))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	h := newHarness(t)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "crossview_http_request_duration_seconds"} {
		// Hit /healthz first so the request histogram has a sample.
		rec := httptest.NewRecorder()
		h.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		rec = httptest.NewRecorder()
		h.h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s: %d %q", path, rec.Code, rec.Body.String()[:min(200, rec.Body.Len())])
		}
	}
}
