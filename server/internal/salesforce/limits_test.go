package salesforce_test

import (
	"context"
	"testing"

	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// TestAPIUsage: the allowance panels budget against is what the org's
// last Sforce-Limit-Info said, and nothing before the first answer.
func TestAPIUsage(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	if _, _, ok := f.client.APIUsage(f.org.ID()); ok {
		t.Fatal("usage known before any call")
	}
	f.org.SetAPIUsage(91_000, 100_000)
	if _, err := f.client.Query(context.Background(), f.conn, "SELECT Id FROM Account"); err != nil {
		t.Fatal(err)
	}
	used, limit, ok := f.client.APIUsage(f.org.ID())
	if !ok || limit != 100_000 || used < 91_000 || used > 91_001 {
		t.Fatalf("usage %d/%d (%v), want 91,000 or 91,001 of 100,000", used, limit, ok)
	}
}
