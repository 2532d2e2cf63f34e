package admin_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/admin/admintest"
	"github.com/crossview/crossview/server/internal/cache"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// service returns another Service over e's store and emulators, with its
// own flow key, clock and cache.
func (e *env) service(flowKey string, now func() time.Time, flows cache.Cache) *admin.Service {
	zd := zendesk.NewClient(e.w.Zendesk.URLTemplate(), http.DefaultClient, 5*time.Second, nil, time.Now)
	return admin.New(admin.Options{Store: e.store, SF: e.sf, ZD: zd, Flows: flows,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now, PublicURL: "http://crossview.test",
		ZendeskOAuth: zendesk.OAuthClient{ClientID: "cid", ClientSecret: "csecret"}, FlowKey: []byte(flowKey)})
}

// TestSignInFlowCookieChecked: the callback is honoured only with the
// sealed flow this deployment gave this browser, unaltered and in time.
func TestSignInFlowCookieChecked(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	clk := &clock{t: time.Now()}
	svc := e.service("flow-key-flow-key-flow-key-12345", clk.Now, cache.NewMemory(100, clk.Now))
	other := e.service("another-deployment-key-000000000", clk.Now, cache.NewMemory(100, clk.Now))
	admin := e.w.Labs.Admin.Email

	start, err := svc.StartSignIn(ctx, sandbox.LabsSubdomain)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(start.Flow, "northwind") || strings.Contains(start.URL, start.Flow) {
		t.Fatalf("the pre-auth cookie is not sealed, or travels in the URL: %q", start.Flow)
	}
	cb := admintest.ZendeskConsent(t, start.URL, admin)
	tampered := start.Flow[:len(start.Flow)-2] + "AA"
	for name, try := range map[string]func() error{
		"no cookie":                func() error { _, err := svc.FinishSignIn(ctx, "", cb.State, cb.Code, "", ""); return err },
		"a tampered cookie":        func() error { _, err := svc.FinishSignIn(ctx, tampered, cb.State, cb.Code, "", ""); return err },
		"another deployment's key": func() error { _, err := other.FinishSignIn(ctx, start.Flow, cb.State, cb.Code, "", ""); return err },
	} {
		if err := try(); crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "did not start in this browser") {
			t.Errorf("%s: %v", name, err)
		}
	}
	clk.Advance(10*time.Minute + time.Second)
	if _, err := svc.FinishSignIn(ctx, start.Flow, cb.State, cb.Code, "", ""); crossview.ErrorCode(err) != crossview.EFORBIDDEN || !strings.Contains(crossview.ErrorMessage(err), "more than 10 minutes") {
		t.Errorf("a flow past its 10 minutes: %v", err)
	}
	if _, err := e.store.Tenant(ctx, sandbox.LabsSubdomain); err == nil {
		t.Fatal("a refused callback registered the account")
	}
}

// recordingCache remembers every value written, as a look at Redis would.
type recordingCache struct {
	cache.Cache
	mu      sync.Mutex
	written bytes.Buffer
}

func (r *recordingCache) Set(ctx context.Context, key string, e cache.Entry, ttl time.Duration) error {
	r.mu.Lock()
	r.written.Write(e.Value)
	r.mu.Unlock()
	return r.Cache.Set(ctx, key, e, ttl)
}

// TestPendingGrantSealed: the grant waiting for the admin's answer is
// sealed in the cache, and it is the signed-in session's alone.
func TestPendingGrantSealed(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	flows := &recordingCache{Cache: cache.NewMemory(100, time.Now)}
	svc := e.service("flow-key-flow-key-flow-key-12345", time.Now, flows)
	sess, err := admintest.SignIn(t, svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := admintest.Pending(t, svc, sess, crossview.Production, e.w.Labs.OrgAdmin.Username)
	if err != nil {
		t.Fatal(err)
	}
	if p.OrgName != "Northwind Labs" || p.OrgID != e.w.Labs.Production.ID() || p.Subdomain != sandbox.LabsSubdomain {
		t.Fatalf("pending connection %+v", p)
	}
	if w := flows.written.String(); strings.Contains(w, e.w.Labs.OrgAdmin.Username) || strings.Contains(w, `"token"`) || strings.Contains(w, "refresh") {
		t.Fatal("the cache holds the pending grant in plaintext")
	}
	other, err := admintest.SignIn(t, svc, sandbox.LabsSubdomain, e.w.Labs.Admin.Email)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ConfirmConnect(ctx, other, p.ID); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("another session confirming: %v", err)
	}
	if err := svc.CancelConnect(ctx, other, p.ID); crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("another session cancelling: %v", err)
	}
	c, err := svc.ConfirmConnect(ctx, sess, p.ID)
	if err != nil || c.OrgID != p.OrgID {
		t.Fatalf("confirming: %+v, %v", c, err)
	}
}
