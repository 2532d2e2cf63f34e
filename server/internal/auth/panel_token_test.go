package auth

import (
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

func TestPanelTokens(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	pt := NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), 10*time.Minute, clock)
	p := crossview.Principal{Tenant: "acme", UserID: "7001", Location: crossview.LocationZendeskSidebar}
	tok, err := pt.Issue(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pt.Verify(tok, crossview.LocationZendeskSidebar)
	if err != nil || got.Tenant != "acme" || got.UserID != "7001" {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	if _, err := pt.Verify(tok, crossview.LocationSalesforceRecord); err == nil {
		t.Fatal("sidebar token accepted for the Salesforce panel")
	}
	other := NewPanelTokens([]byte("ffffffffffffffffffffffffffffffff"), 10*time.Minute, clock)
	if _, err := other.Verify(tok, crossview.LocationZendeskSidebar); err == nil {
		t.Fatal("token accepted under another key")
	}
	tampered := tok[:len(tok)-2] + "AA"
	if _, err := pt.Verify(tampered, crossview.LocationZendeskSidebar); err == nil {
		t.Fatal("tampered token accepted")
	}
	now = now.Add(11 * time.Minute)
	if _, err := pt.Verify(tok, crossview.LocationZendeskSidebar); crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
		t.Fatalf("expired token: %v", err)
	}
}
