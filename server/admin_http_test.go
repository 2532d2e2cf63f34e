package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/sandbox"
)

// adminTestApp is Crossview wired to the emulators with a store that
// outlives the process (a bolt file in dir, or Redis), so a test can
// restart it.
type adminTestApp struct {
	t     *testing.T
	world *sandbox.World
	cfg   config.Config
	app   *app
	h     http.Handler
}

const testPublicURL = "http://crossview.test"

// newAdminTestApp starts the emulators and Crossview. redisURL, when set,
// puts state and cache in Redis; otherwise they live in a bolt file.
func newAdminTestApp(t *testing.T, redisURL string) *adminTestApp {
	t.Helper()
	w, err := sandbox.Start(sandbox.Options{ClientID: "cid", ClientSecret: "csecret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	a := &adminTestApp{t: t, world: w, cfg: config.Config{
		PublicURL: testPublicURL, DataDir: filepath.Join(t.TempDir(), "data"), RedisURL: redisURL,
		EncryptionKey: []byte("0123456789abcdef0123456789abcdef"),
		ZendeskURL:    w.Zendesk.URLTemplate(), ZendeskClientID: "cid", ZendeskClientSecret: "csecret",
		SalesforceLoginURL: w.Cloud.LoginURL(), SalesforceSandboxLoginURL: w.Cloud.LoginURL(),
		SalesforceClientID: "cid", SalesforceClientSecret: "csecret", SalesforceAPIVersion: "66.0",
		SalesforceInstanceHosts: "http://127.0.0.1",
		UpstreamTimeout:         5 * time.Second,
	}}
	a.start()
	return a
}

// start builds the process: the app and its handler.
func (a *adminTestApp) start() {
	a.t.Helper()
	app, err := newApp(a.cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		a.t.Fatal(err)
	}
	a.app, a.h = app, app.handler(nil, nil, "", nil)
	a.t.Cleanup(app.close)
}

// restart ends the process and starts another over the same store.
func (a *adminTestApp) restart() {
	a.t.Helper()
	a.app.close()
	a.start()
}

// client is a browser without a screen at address remote.
func (a *adminTestApp) client(remote string) *webClient {
	a.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		a.t.Fatal(err)
	}
	base, _ := url.Parse(testPublicURL)
	wc := &webClient{t: a.t, app: a, base: base, jar: jar}
	wc.c = &http.Client{Jar: jar, Transport: &handlerTransport{a: a, host: base.Host, remote: remote},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return wc
}

// handlerTransport serves requests for Crossview with its http.Handler,
// as the client at remote, and sends the rest (the emulators) over
// loopback.
type handlerTransport struct {
	a      *adminTestApp
	host   string
	remote string
}

func (ht *handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != ht.host {
		return http.DefaultTransport.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.RemoteAddr, r.RequestURI = ht.remote, r.URL.RequestURI()
	rec := httptest.NewRecorder()
	ht.a.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// webClient keeps one browser's cookies and follows no redirect by itself.
type webClient struct {
	t    *testing.T
	app  *adminTestApp
	base *url.URL
	jar  *cookiejar.Jar
	c    *http.Client
}

// page is a response with its body read.
type page struct {
	status int
	loc    string
	body   string
}

func (w *webClient) do(req *http.Request) page {
	w.t.Helper()
	resp, err := w.c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, loc: resp.Header.Get("Location"), body: string(b)}
}

func (w *webClient) get(pathOrURL string) page {
	w.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, w.abs(pathOrURL), nil)
	return w.do(req)
}

func (w *webClient) post(path string, form url.Values) page {
	w.t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, w.abs(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return w.do(req)
}

func (w *webClient) abs(p string) string {
	u, _ := w.base.Parse(p)
	return u.String()
}

// cookie returns the value of the named cookie the browser would send to path.
func (w *webClient) cookie(name, path string) string {
	for _, c := range w.jar.Cookies(&url.URL{Scheme: w.base.Scheme, Host: w.base.Host, Path: path}) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// startSignIn asks Crossview to start a sign-in and returns where it sent
// the browser (Zendesk's authorize page).
func (w *webClient) startSignIn(subdomain string) string {
	w.t.Helper()
	p := w.get("/admin/signin/start?subdomain=" + url.QueryEscape(subdomain))
	if p.status != http.StatusSeeOther || !strings.Contains(p.loc, "/oauth/authorizations/new") {
		w.t.Fatalf("starting a sign-in: %d %s\n%s", p.status, p.loc, p.body)
	}
	return p.loc
}

// callback is the path of Crossview's OAuth callback (zendeskCallback or
// salesforceCallback) with what the provider sent back.
func callback(path string, cb admintest.Callback) string {
	q := url.Values{}
	for k, v := range map[string]string{"state": cb.State, "code": cb.Code, "error": cb.Error, "error_description": cb.Description} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return path + "?" + q.Encode()
}

// Crossview's OAuth callbacks.
const (
	zendeskCallback    = "/admin/oauth/zendesk/callback"
	salesforceCallback = "/admin/salesforce/callback"
)

// signIn signs the browser in as email through the emulated Zendesk.
func (w *webClient) signIn(subdomain, email string) {
	w.t.Helper()
	cb := admintest.ZendeskConsent(w.t, w.startSignIn(subdomain), email)
	if p := w.get(callback(zendeskCallback, cb)); p.status != http.StatusSeeOther || p.loc != "/admin" {
		w.t.Fatalf("sign-in callback: %d %s\n%s", p.status, p.loc, p.body)
	}
}

// signedIn reports whether the browser's session opens the admin pages.
func (w *webClient) signedIn() bool {
	w.t.Helper()
	p := w.get("/admin")
	return p.status == http.StatusOK
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from an admin page.
func (w *webClient) csrf() string {
	w.t.Helper()
	p := w.get("/admin")
	m := csrfField.FindStringSubmatch(p.body)
	if m == nil {
		w.t.Fatalf("no CSRF token on /admin (%d)", p.status)
	}
	return m[1]
}

// startConnect posts the new-connection form and returns where Crossview
// sent the browser (Salesforce's authorize page).
func (w *webClient) startConnect(env string) string {
	w.t.Helper()
	p := w.post("/admin/connections/new", url.Values{"csrf": {w.csrf()}, "environment": {env}, "terms": {"1"}})
	if p.status != http.StatusSeeOther || !strings.Contains(p.loc, "/services/oauth2/authorize") {
		w.t.Fatalf("starting a connect: %d %s\n%s", p.status, p.loc, p.body)
	}
	return p.loc
}
