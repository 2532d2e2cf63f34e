package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/sandbox"
)

// TestSignInCallbackFromAnotherBrowserRefused is login CSRF: an attacker
// starts a sign-in to their account, consents, and sends the callback URL
// to a victim. The victim's browser did not start that sign-in, so it must
// not come back signed in to the attacker's account.
func TestSignInCallbackFromAnotherBrowserRefused(t *testing.T) {
	a := newAdminTestApp(t, "")
	labs := a.world.Labs
	attacker := a.client("203.0.113.66:4000")
	cb := admintest.ZendeskConsent(t, attacker.startSignIn(sandbox.LabsSubdomain), labs.Admin.Email)
	link := callback(zendeskCallback, cb)

	fresh := a.client("198.51.100.7:5000")
	underWay := a.client("198.51.100.8:5000") // started a sign-in of its own
	underWay.startSignIn(sandbox.LabsSubdomain)
	for name, victim := range map[string]*webClient{"with no sign-in under way": fresh, "with its own sign-in under way": underWay} {
		p := victim.get(link)
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "did not start in this browser") {
			t.Errorf("a victim %s opened the attacker's callback: %d %s\n%s", name, p.status, p.loc, p.body)
		}
		if victim.cookie("cv_admin", "/admin") != "" || victim.signedIn() {
			t.Errorf("a victim %s was signed in to the attacker's account", name)
		}
	}
	// The refusals spent nothing: the browser that started the sign-in
	// still completes it.
	if p := attacker.get(link); p.status != http.StatusSeeOther || p.loc != "/admin" {
		t.Fatalf("the browser that started the sign-in: %d %s\n%s", p.status, p.loc, p.body)
	}
	if !attacker.signedIn() {
		t.Fatal("the browser that started the sign-in is not signed in")
	}
	// The pre-auth cookie works once.
	if p := attacker.get(link); p.status != http.StatusForbidden {
		t.Fatalf("the callback replayed in the same browser: %d %s", p.status, p.loc)
	}
}

// TestSignInFloodKeepsAdminsSignedIn: unauthenticated sign-in starts must
// neither push a signed-in admin's session out of anything nor go
// unbounded from one client.
func TestSignInFloodKeepsAdminsSignedIn(t *testing.T) {
	a := newAdminTestApp(t, "")
	admin := a.client("198.51.100.1:1000")
	admin.signIn(sandbox.LabsSubdomain, a.world.Labs.Admin.Email)

	start := func(remote, forwardedFor string) int {
		req := httptest.NewRequest(http.MethodGet, testPublicURL+"/admin/signin/start?subdomain="+sandbox.LabsSubdomain, nil)
		req.RemoteAddr = remote
		if forwardedFor != "" {
			req.Header.Set("X-Forwarded-For", forwardedFor)
		}
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		return rec.Code
	}
	// 100,000 starts from as many addresses, each within its own limit.
	for i := range 100_000 {
		if code := start(fmt.Sprintf("198.18.%d.%d:443", i/256, i%256), ""); code != http.StatusSeeOther {
			t.Fatalf("start %d from a fresh address: %d", i, code)
		}
	}
	if !admin.signedIn() {
		t.Fatal("100,000 sign-in starts logged the admin out")
	}
	// One client, even one that makes up X-Forwarded-For, is held back.
	limited := 0
	for i := range 1000 {
		if start("203.0.113.9:1234", fmt.Sprintf("192.0.2.%d", i%250)) == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited < 950 {
		t.Fatalf("%d of 1,000 sign-in starts from one client were rate-limited", limited)
	}
	p := a.client("203.0.113.9:1234").get("/admin/signin/start?subdomain=" + sandbox.LabsSubdomain)
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.body, "Too many sign-in attempts") {
		t.Fatalf("a rate-limited start: %d\n%s", p.status, p.body)
	}
	if !admin.signedIn() {
		t.Fatal("the flood logged the admin out")
	}
}

// TestAdminSessionSurvivesRestart: sessions live in the store, so a
// restarted (or another) process knows them; sign-out ends them there.
func TestAdminSessionSurvivesRestart(t *testing.T) {
	for _, backend := range []string{"bolt", "redis"} {
		t.Run(backend, func(t *testing.T) {
			var redisURL string
			if backend == "redis" {
				redisURL = redistest.URL(t)
			}
			a := newAdminTestApp(t, redisURL)
			b := a.client("198.51.100.1:1000")
			b.signIn(sandbox.LabsSubdomain, a.world.Labs.Admin.Email)
			a.restart()
			if !b.signedIn() {
				t.Fatal("a restart signed the admin out")
			}
			// A copy of the cookie stops working once the admin signs out.
			copied := a.client("198.51.100.2:1000")
			copied.jar.SetCookies(b.base, []*http.Cookie{{Name: "cv_admin", Value: b.cookie("cv_admin", "/admin"), Path: "/admin"}})
			if p := b.post("/admin/signout", map[string][]string{"csrf": {b.csrf()}}); p.status != http.StatusSeeOther {
				t.Fatalf("sign-out: %d", p.status)
			}
			a.restart()
			if copied.signedIn() {
				t.Fatal("the session still works after sign-out")
			}
		})
	}
}

// TestSignInWhileRedisIsDown: the admin is told the service is unavailable
// (503, in words), not shown an internal error.
func TestSignInWhileRedisIsDown(t *testing.T) {
	srv := redistest.StartLocal(t)
	a := newAdminTestApp(t, srv.URL)
	admin := a.client("198.51.100.1:1000")
	admin.signIn(sandbox.LabsSubdomain, a.world.Labs.Admin.Email)
	midway := a.client("198.51.100.2:1000")
	cb := admintest.ZendeskConsent(t, midway.startSignIn(sandbox.LabsSubdomain), a.world.Labs.Admin.Email)
	srv.Kill(t)

	for name, p := range map[string]page{
		"sign-in start":    a.client("198.51.100.3:1000").get("/admin/signin/start?subdomain=" + sandbox.LabsSubdomain),
		"sign-in callback": midway.get(callback(zendeskCallback, cb)),
		"admin page":       admin.get("/admin"),
	} {
		if p.status != http.StatusServiceUnavailable || !strings.Contains(p.body, "cannot reach its data store") {
			t.Errorf("%s with Redis down: %d\n%s", name, p.status, p.body)
		}
	}
}

// TestRefusedSignInsAudited: each refused sign-in to a known account is in
// its audit log, saying what happened and carrying no code or state.
func TestRefusedSignInsAudited(t *testing.T) {
	a := newAdminTestApp(t, "")
	labs := a.world.Labs
	a.client("198.51.100.1:1000").signIn(sandbox.LabsSubdomain, labs.Admin.Email) // the account exists from here on

	agent := a.client("198.51.100.2:1000")
	agentCB := admintest.ZendeskConsent(t, agent.startSignIn(sandbox.LabsSubdomain), labs.Agent.Email)
	if p := agent.get(callback(zendeskCallback, agentCB)); p.status != http.StatusForbidden || !strings.Contains(p.body, "Only Zendesk admins") {
		t.Fatalf("an agent signing in: %d\n%s", p.status, p.body)
	}
	denier := a.client("198.51.100.3:1000")
	denyCB := admintest.ZendeskDeny(t, denier.startSignIn(sandbox.LabsSubdomain))
	if p := denier.get(callback(zendeskCallback, denyCB)); p.status != http.StatusForbidden || !strings.Contains(p.body, "access_denied") {
		t.Fatalf("consent denied at Zendesk: %d\n%s", p.status, p.body)
	}
	forger := a.client("198.51.100.4:1000")
	forger.startSignIn(sandbox.LabsSubdomain)
	forged := admintest.Callback{State: "forged-state", Code: "forged-code"}
	if p := forger.get(callback(zendeskCallback, forged)); p.status != http.StatusForbidden {
		t.Fatalf("a forged state: %d\n%s", p.status, p.body)
	}

	entries, err := a.app.store.Audit(context.Background(), sandbox.LabsSubdomain, 100)
	if err != nil {
		t.Fatal(err)
	}
	var refused []string
	for _, e := range entries {
		if e.Action == "admin.sign_in_refused" {
			refused = append(refused, e.Actor+": "+e.Detail)
		}
		for _, secret := range []string{agentCB.Code, agentCB.State, denyCB.State, forged.State, forged.Code} {
			if strings.Contains(e.Detail, secret) {
				t.Errorf("audit entry %+v carries a code or state", e)
			}
		}
	}
	all := strings.Join(refused, "\n")
	for _, want := range []string{labs.Agent.Email, "access_denied", "did not start in this browser"} {
		if !strings.Contains(all, want) {
			t.Errorf("refused sign-ins in the audit log lack %q:\n%s", want, all)
		}
	}
	if len(refused) != 3 {
		t.Errorf("%d refused sign-ins audited, want 3:\n%s", len(refused), all)
	}
}
