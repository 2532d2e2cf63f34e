package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/web"
)

// fakeAdmin knows one session and records the changes it was asked for.
type fakeAdmin struct {
	web.AdminService // unimplemented methods panic: the tests must not reach them
	mu               sync.Mutex
	renames          []string
}

var theSession = admin.Session{ID: "sess-1", Subdomain: "acme", Email: "ada@acme.example", CSRF: "csrf-good", Expires: time.Now().Add(time.Hour)}

func (f *fakeAdmin) Session(_ context.Context, id string) (admin.Session, error) {
	if id != theSession.ID {
		return admin.Session{}, admin.ErrNoSession
	}
	return theSession, nil
}

func (f *fakeAdmin) Rename(_ context.Context, tenant, actor, id, name string) (crossview.Connection, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.renames = append(f.renames, tenant+"/"+id+"="+name)
	return crossview.Connection{ID: id, Tenant: tenant, Name: name}, nil
}

func adminServer(t *testing.T, fa *fakeAdmin) http.Handler {
	t.Helper()
	return web.NewServer(web.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(), Admin: fa,
		PublicURL: "https://crossview.example", Ready: func(context.Context) error { return nil },
		ZendeskBaseURL: func(s string) string { return "https://" + s + ".zendesk.com" }, Assets: assets.FS(), Now: time.Now,
	})
}

func TestAdminCSRF(t *testing.T) {
	fa := &fakeAdmin{}
	h := adminServer(t, fa)
	post := func(cookie, csrf string) int {
		form := url.Values{"name": {"New name"}}
		if csrf != "" {
			form.Set("csrf", csrf)
		}
		req := httptest.NewRequest(http.MethodPost, "/admin/connections/conn_1/rename", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "cv_admin", Value: cookie})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if got := post(theSession.ID, ""); got != http.StatusForbidden {
		t.Errorf("missing CSRF token: %d, want 403", got)
	}
	if got := post(theSession.ID, "csrf-wrong"); got != http.StatusForbidden {
		t.Errorf("wrong CSRF token: %d, want 403", got)
	}
	if got := post("", "csrf-good"); got != http.StatusUnauthorized {
		t.Errorf("no session: %d, want 401", got)
	}
	if len(fa.renames) != 0 {
		t.Fatalf("a refused request changed something: %v", fa.renames)
	}
	if got := post(theSession.ID, "csrf-good"); got != http.StatusSeeOther || len(fa.renames) != 1 || fa.renames[0] != "acme/conn_1=New name" {
		t.Fatalf("a valid request: %d, %v", got, fa.renames)
	}
}

func TestAdminPagesNeedASession(t *testing.T) {
	h := adminServer(t, &fakeAdmin{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin", nil))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/signin" {
		t.Fatalf("GET /admin without a session: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/signin", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Sign in with Zendesk") {
		t.Fatalf("sign-in page: %d", rec.Code)
	}
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "form-action 'self' https://*.zendesk.com") {
		t.Errorf("admin CSP: %q", csp)
	}
}

func TestAdminSessionCookie(t *testing.T) {
	fa := &fakeAdminSignIn{}
	h := web.NewServer(web.Options{
		Logger: slog.New(slog.DiscardHandler), Metrics: metrics.New(), Admin: fa, PublicURL: "https://crossview.example",
		Ready: func(context.Context) error { return nil }, ZendeskBaseURL: func(s string) string { return "https://" + s + ".zendesk.com" },
		Assets: assets.FS(), Now: time.Now,
	})
	// The start hands the browser the sealed flow in a pre-auth cookie.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/admin/signin/start?subdomain=acme", nil))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "https://acme.zendesk.com/oauth/authorizations/new?state=s" {
		t.Fatalf("sign-in start: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	pre := cookieNamed(rec.Result().Cookies(), "cv_signin")
	if pre == nil || pre.Value != "sealed-flow" || !pre.HttpOnly || !pre.Secure || pre.SameSite != http.SameSiteLaxMode ||
		pre.Path != "/admin/oauth/zendesk" || time.Until(pre.Expires) > 10*time.Minute || time.Until(pre.Expires) < 9*time.Minute {
		t.Fatalf("pre-auth cookie: %+v", pre)
	}

	// The callback passes it back, spends it, and sets the session cookie.
	req := httptest.NewRequest(http.MethodGet, "/admin/oauth/zendesk/callback?state=s&code=c", nil)
	req.AddCookie(&http.Cookie{Name: "cv_signin", Value: "sealed-flow"})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if fa.flow != "sealed-flow" {
		t.Fatalf("the callback passed the flow %q", fa.flow)
	}
	ck := cookieNamed(rec.Result().Cookies(), "cv_admin")
	if ck == nil || ck.Value != theSession.ID || !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/admin" {
		t.Fatalf("session cookie: %+v", ck)
	}
	if pre := cookieNamed(rec.Result().Cookies(), "cv_signin"); pre == nil || pre.MaxAge >= 0 {
		t.Fatalf("the pre-auth cookie was not cleared: %+v", pre)
	}
}

func cookieNamed(cs []*http.Cookie, name string) *http.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

type fakeAdminSignIn struct {
	web.AdminService
	flow string
}

func (fakeAdminSignIn) StartSignIn(_ context.Context, sub string) (admin.SignInStart, error) {
	return admin.SignInStart{URL: "https://" + sub + ".zendesk.com/oauth/authorizations/new?state=s", Flow: "sealed-flow", Expires: time.Now().Add(10 * time.Minute)}, nil
}

func (f *fakeAdminSignIn) FinishSignIn(_ context.Context, flow, _, _, _, _ string) (admin.Session, error) {
	f.flow = flow
	return theSession, nil
}
