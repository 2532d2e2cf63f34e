package admin_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/boltstore"
	"github.com/crossview/crossview/server/internal/zendesk"
)

type env struct {
	w     *sandbox.World
	store crossview.Store
	sf    *salesforce.Client
	svc   *admin.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	w, err := sandbox.Start(sandbox.Options{ClientID: "cid", ClientSecret: "csecret"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Close)
	b, err := boltstore.Open(filepath.Join(t.TempDir(), "cv.db"))
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	keys, _ := secret.NewKeyring(secret.KeyID(key), map[string][]byte{secret.KeyID(key): key})
	st := store.New(b, keys, time.Now)
	t.Cleanup(func() { _ = st.Close() })
	// The emulated orgs answer on loopback over http, as in the sandbox.
	sfHosts, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts + ",http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	sf := salesforce.NewClient(salesforce.Config{ClientID: "cid", ClientSecret: "csecret", LoginURL: w.Cloud.LoginURL(),
		SandboxLoginURL: w.Cloud.LoginURL(), APIVersion: "66.0", Timeout: 5 * time.Second, InstanceHosts: sfHosts},
		http.DefaultClient, st, nil, time.Now)
	zd := zendesk.NewClient(w.Zendesk.URLTemplate(), http.DefaultClient, 5*time.Second, nil, time.Now)
	svc := admin.New(admin.Options{Store: st, SF: sf, ZD: zd, Flows: cache.NewMemory(1000, time.Now),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now, PublicURL: "http://crossview.test",
		ZendeskOAuth: zendesk.OAuthClient{ClientID: "cid", ClientSecret: "csecret"}, FlowKey: keys.Derive("admin-flow")})
	return &env{w: w, store: st, sf: sf, svc: svc}
}

func TestNonAdminZendeskUserRefused(t *testing.T) {
	e := newEnv(t)
	_, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Agent.Email)
	if crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "Only Zendesk admins") {
		t.Fatalf("an agent signing in: %v", err)
	}
	if _, err := e.store.Tenant(context.Background(), sandbox.LabsSubdomain); err == nil {
		t.Fatal("a refused sign-in registered the account")
	}
	sess, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil || sess.Subdomain != sandbox.LabsSubdomain || sess.CSRF == "" {
		t.Fatalf("the admin: %+v, %v", sess, err)
	}
}

func TestSalesforceUserWithoutPermissionsRefusedWithTheReason(t *testing.T) {
	e := newEnv(t)
	sess, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	revoked := e.w.Labs.Production.Stats().Revocations
	_, _, err = admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.StandardUser.Username)
	if crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "Modify All Data") || strings.Contains(crossview.ErrorMessage(err), "API Enabled") {
		t.Fatalf("a standard user connecting: %v", err)
	}
	if e.w.Labs.Production.Stats().Revocations != revoked+1 {
		t.Fatal("the refused user's grant was not revoked")
	}
	// An API-only user cannot complete the sign-in at all.
	_, cb, err := admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.APIOnlyUser.Username)
	if cb.Error != "access_denied" || crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "API-only") {
		t.Fatalf("an API-only user: callback %+v, %v", cb, err)
	}
	if cs, _ := e.svc.Connections(context.Background(), sess); len(cs) != 0 {
		t.Fatalf("refused users left connections: %+v", cs)
	}
}

func TestStateAndCodeWorkOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	// A state Crossview never issued.
	if _, err := e.svc.FinishConnect(ctx, sess, "forged-state", "any-code", "", ""); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Fatalf("forged state: %v", err)
	}
	c, cb, err := admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.OrgAdmin.Username)
	if err != nil || c.OrgID != e.w.Labs.Production.ID() {
		t.Fatalf("connect: %+v, %v", c, err)
	}
	// Replaying the callback (same state and code) is refused.
	if _, err := e.svc.FinishConnect(ctx, sess, cb.State, cb.Code, "", ""); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Fatalf("replayed callback: %v", err)
	}
	// A state started by another session is refused too.
	other, _ := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	u, _ := e.svc.StartConnect(ctx, other, crossview.Production, true)
	cb2 := admintest.SalesforceLogin(t, u, e.w.Labs.OrgAdmin.Username)
	if _, err := e.svc.FinishConnect(ctx, sess, cb2.State, cb2.Code, "", ""); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Fatalf("another session's state: %v", err)
	}
	// The terms are required.
	if _, err := e.svc.StartConnect(ctx, sess, crossview.Production, false); crossview.ErrorCode(err) != crossview.EINVALID {
		t.Fatalf("without the terms: %v", err)
	}
}

func TestPKCEVerifierSent(t *testing.T) {
	// A stand-in token endpoint records what the exchange sends.
	var form url.Values
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		form = r.PostForm
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_grant","error_description":"stop here"}`)
	}))
	defer fake.Close()
	sf := salesforce.NewClient(salesforce.Config{ClientID: "cid", ClientSecret: "csecret", LoginURL: fake.URL, SandboxLoginURL: fake.URL, APIVersion: "66.0"},
		http.DefaultClient, nil, nil, time.Now)
	svc := admin.New(admin.Options{SF: sf, Flows: cache.NewMemory(10, time.Now), Logger: slog.New(slog.DiscardHandler), Now: time.Now, PublicURL: "http://crossview.test"})
	sess := admin.Session{ID: "s1", Subdomain: "acme"}
	u, err := svc.StartConnect(context.Background(), sess, crossview.Production, true)
	if err != nil {
		t.Fatal(err)
	}
	au, _ := url.Parse(u)
	q := au.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) < 43 || q.Get("state") == "" {
		t.Fatalf("authorize URL lacks PKCE or state: %s", u)
	}
	_, _ = svc.FinishConnect(context.Background(), sess, q.Get("state"), "the-code", "", "")
	if form.Get("code_verifier") == "" || form.Get("code") != "the-code" || form.Get("redirect_uri") != "http://crossview.test/admin/salesforce/callback" {
		t.Fatalf("token request: %v", form)
	}
}

func TestAdminDowngradeDetectedWithinOneHealthCycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess, err := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Health.OK() || c.Health.CheckedAt.IsZero() {
		t.Fatalf("a fresh connection's health: %+v", c.Health)
	}
	if err := e.w.Labs.Account.SetUserRole(e.w.Labs.Admin.ID, "agent"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CheckAll(ctx); err != nil {
		t.Fatal(err)
	}
	c, _ = e.store.Connection(ctx, c.ID)
	p := c.Health.Blocking()
	if p == nil || p.Code != admin.ProblemAdminDowngraded || !strings.Contains(p.Message, e.w.Labs.Admin.Email) {
		t.Fatalf("after the downgrade, one health cycle found %+v", c.Health)
	}
}

func TestRevokedAndIPLockedNamed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sess, _ := admintest.SignIn(t, e.svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	c, _, err := admintest.Connect(t, e.svc, sess, crossview.Production, e.w.Labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	e.w.Labs.Production.LockSessionsToIP("203.0.113.9")
	e.w.Labs.Production.ExpireAccessTokens()
	c, _ = e.svc.CheckNow(ctx, sess, c.ID)
	if p := c.Health.Blocking(); p == nil || p.Code != admin.ProblemSessionIPLocked || !strings.Contains(p.Fix, "Lock sessions to the IP address") {
		t.Fatalf("IP-locked sessions: %+v", c.Health)
	}
	e.w.Labs.Production.LockSessionsToIP("")
	e.w.Labs.Production.RevokeRefreshTokens()
	e.sf.Forget(c.ID)
	c, _ = e.svc.CheckNow(ctx, sess, c.ID)
	if p := c.Health.Blocking(); p == nil || p.Code != admin.ProblemRefreshRevoked {
		t.Fatalf("revoked refresh token: %+v", c.Health)
	}
	e.w.Labs.Production.SetAPIUsage(95_000, 100_000)
	_, _ = e.sf.Query(ctx, c, "SELECT Id FROM Organization")
	h := e.svc.Check(ctx, c)
	found := false
	for _, p := range h.Problems {
		if p.Code == admin.ProblemAPILimitLow {
			found = true
		}
	}
	if !found {
		t.Fatalf("95%% of the API allowance used, health %+v", h)
	}
}
