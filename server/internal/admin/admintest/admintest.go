// Package admintest drives the admin OAuth flows against the emulators
// from Go, as a browser would: it fetches the emulated sign-in pages,
// posts their forms and follows the redirect back with the code.
package admintest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Callback is what an OAuth provider sent back to the redirect URI.
type Callback struct {
	State, Code, Error, Description string
}

// noRedirect stops at the redirect back to Crossview.
func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// post fetches a sign-in page, fills its hidden fields plus extra, posts it
// to action (relative to the page), and reads the callback parameters.
func post(tb testing.TB, pageURL, action string, extra url.Values) Callback {
	tb.Helper()
	resp, err := http.Get(pageURL) //nolint:noctx,gosec // a test against a loopback emulator
	if err != nil {
		tb.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("sign-in page %s: %d\n%s", pageURL, resp.StatusCode, body)
	}
	form := url.Values{}
	hidden := regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)
	for _, m := range hidden.FindAllStringSubmatch(string(body), -1) {
		form.Set(m[1], strings.ReplaceAll(m[2], "&amp;", "&"))
	}
	for k, v := range extra {
		form[k] = v
	}
	page, _ := url.Parse(pageURL)
	target, _ := page.Parse(action)
	resp, err = noRedirect().PostForm(target.String(), form) //nolint:noctx // a test
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode/100 != 3 {
		b, _ := io.ReadAll(resp.Body)
		tb.Fatalf("sign-in form answered %d, not a redirect back:\n%s", resp.StatusCode, b)
	}
	q := loc.Query()
	return Callback{State: q.Get("state"), Code: q.Get("code"), Error: q.Get("error"), Description: q.Get("error_description")}
}

// ZendeskConsent signs in as email on the emulated Zendesk page at
// authorizeURL and returns the callback.
func ZendeskConsent(tb testing.TB, authorizeURL, email string) Callback {
	tb.Helper()
	u, _ := url.Parse(authorizeURL)
	return post(tb, authorizeURL, u.Path, url.Values{"email": {email}, "decision": {"allow"}})
}

// ZendeskDeny denies access on the emulated Zendesk page at authorizeURL.
func ZendeskDeny(tb testing.TB, authorizeURL string) Callback {
	tb.Helper()
	u, _ := url.Parse(authorizeURL)
	return post(tb, authorizeURL, u.Path, url.Values{"decision": {"deny"}})
}

// SalesforceLogin signs in as username on the emulated Salesforce page.
func SalesforceLogin(tb testing.TB, authorizeURL, username string) Callback {
	tb.Helper()
	return post(tb, authorizeURL, "/services/oauth2/authorize", url.Values{"username": {username}, "Login": {"Log In"}})
}

// SignIn signs an admin in to Crossview through the emulated Zendesk, in
// one browser: the flow StartSignIn sealed comes back with the callback.
func SignIn(tb testing.TB, svc *admin.Service, subdomain, email string) (admin.Session, error) {
	tb.Helper()
	ctx := context.Background()
	start, err := svc.StartSignIn(ctx, subdomain)
	if err != nil {
		return admin.Session{}, err
	}
	cb := ZendeskConsent(tb, start.URL, email)
	return svc.FinishSignIn(ctx, start.Flow, cb.State, cb.Code, cb.Error, cb.Description)
}

// Connect connects an org through the emulated Salesforce sign-in and
// confirms it, returning the callback too so tests can replay it.
func Connect(tb testing.TB, svc *admin.Service, sess admin.Session, env crossview.Environment, username string) (crossview.Connection, Callback, error) {
	tb.Helper()
	p, cb, err := Pending(tb, svc, sess, env, username)
	if err != nil {
		return crossview.Connection{}, cb, err
	}
	c, err := svc.ConfirmConnect(context.Background(), sess, p.ID)
	return c, cb, err
}

// Pending goes through the emulated Salesforce sign-in and stops where the
// admin is asked to confirm.
func Pending(tb testing.TB, svc *admin.Service, sess admin.Session, env crossview.Environment, username string) (admin.PendingConnection, Callback, error) {
	tb.Helper()
	ctx := context.Background()
	u, err := svc.StartConnect(ctx, sess, env, true)
	if err != nil {
		return admin.PendingConnection{}, Callback{}, err
	}
	cb := SalesforceLogin(tb, u, username)
	p, err := svc.FinishConnect(ctx, sess, cb.State, cb.Code, cb.Error, cb.Description)
	return p, cb, err
}
