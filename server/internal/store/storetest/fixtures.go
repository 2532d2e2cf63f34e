package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Org ids in both forms; the 15-character one is the 18's prefix.
const (
	orgA   = "00D5g000004ABCDEA2"
	orgA15 = "00D5g000004ABCD"
	orgB   = "00D5g000009WXYZEAQ"
)

// orgN returns a distinct valid org id per n.
func orgN(n int) string { return fmt.Sprintf("00D%012dAAA", n) }

func tenantFixture(sub string) crossview.Tenant {
	return crossview.Tenant{
		Subdomain:          sub,
		AppID:              1001,
		InstallationID:     77,
		APIEmail:           "admin@" + sub + ".example",
		APIToken:           "zd-api-token-" + sub,
		OAuthToken:         "zd-oauth-token-" + sub,
		WebhookSecret:      "zd-webhook-secret-" + sub,
		SyncWebhookSecrets: map[string]string{"conn_sync_" + sub: "zd-sync-webhook-secret-" + sub},
	}
}

func connectionFixture(tenant, id, org string) crossview.Connection {
	c := crossview.NewConnection(tenant, crossview.Production, org, "https://acme.my.salesforce.com", time.Date(2026, 2, 1, 8, 0, 0, 0, time.UTC))
	c.ID = id
	c.Name = "Org " + id
	return c
}

func tokenFixture(n int) crossview.Token {
	return crossview.Token{
		AccessToken:  fmt.Sprintf("00Dxx!access-token-%d", n),
		RefreshToken: fmt.Sprintf("5Aep-refresh-token-%d", n),
		InstanceURL:  "https://acme.my.salesforce.com",
		IssuedAt:     time.Date(2026, 3, 1, 9, n, 0, 0, time.UTC),
	}
}

// mustPutTenants stores tenants or fails the test.
func mustPutTenants(t *testing.T, s crossview.Store, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if err := s.PutTenant(context.Background(), tenantFixture(sub)); err != nil {
			t.Fatalf("PutTenant(%s): %v", sub, err)
		}
	}
}

func mustPutConnection(t *testing.T, s crossview.Store, c crossview.Connection) {
	t.Helper()
	if err := s.PutConnection(context.Background(), c); err != nil {
		t.Fatalf("PutConnection(%s): %v", c.ID, err)
	}
}

// wantNotFound fails unless err matches crossview.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, crossview.ErrNotFound) {
		t.Fatalf("%s: error = %v, want one matching crossview.ErrNotFound", what, err)
	}
	if crossview.ErrorCode(err) != crossview.ENOTFOUND {
		t.Fatalf("%s: error code = %q, want %q", what, crossview.ErrorCode(err), crossview.ENOTFOUND)
	}
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %q", what, code)
	}
	if got := crossview.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

// diff compares records; empty and nil maps or slices are alike after JSON.
func diff(want, got any) string {
	return cmp.Diff(want, got, cmpopts.EquateEmpty())
}

func ids(cs []crossview.Connection) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Tenant + "/" + c.ID
	}
	return out
}
