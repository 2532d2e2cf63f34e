package zendesk_test

import (
	"context"
	"testing"

	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// TestRateUsage: the per-minute allowance is read from the last answer's
// X-Rate-Limit headers, counting other clients' use of the account.
func TestRateUsage(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{RateLimit: 100})
	if _, _, ok := e.client.RateUsage("acme"); ok {
		t.Fatal("usage known before any call")
	}
	e.acct.SetOtherUsage(90)
	if _, err := e.client.Me(context.Background(), "acme", e.cred); err != nil {
		t.Fatal(err)
	}
	used, limit, ok := e.client.RateUsage("acme")
	if !ok || limit != 100 || used != 91 {
		t.Fatalf("usage %d/%d (%v), want 91/100", used, limit, ok)
	}
}
