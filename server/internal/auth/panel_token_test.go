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

// TestPanelTokenBinding: a bound token reads its own ticket only, never
// outlives the shell token it came from, and cannot be bound again.
func TestPanelTokenBinding(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	pt := NewPanelTokens([]byte("0123456789abcdef0123456789abcdef"), 30*time.Minute, clock)
	shell, err := pt.Issue(crossview.Principal{Tenant: "acme", UserID: "7001", Location: crossview.LocationZendeskSidebar})
	if err != nil {
		t.Fatal(err)
	}
	session, err := pt.Verify(shell, crossview.LocationZendeskSidebar)
	if err != nil || session.TicketID != 0 {
		t.Fatalf("shell token: %+v, %v", session, err)
	}
	if _, err := pt.VerifyTicket(shell, 42); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Errorf("the unbound shell token read ticket 42: %v", err)
	}
	bound, err := pt.Bind(session, 42)
	if err != nil {
		t.Fatal(err)
	}
	p, err := pt.VerifyTicket(bound, 42)
	if err != nil || p.TicketID != 42 || p.UserID != "7001" || p.Tenant != "acme" {
		t.Fatalf("bound token: %+v, %v", p, err)
	}
	if !p.Expires.Equal(now.Add(boundTTL)) {
		t.Errorf("bound token expires %v, want %v", p.Expires, now.Add(boundTTL))
	}
	for _, other := range []int64{43, 0, -42, 4200} {
		if _, err := pt.VerifyTicket(bound, other); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
			t.Errorf("ticket 42's token read ticket %d: %v", other, err)
		}
	}
	if _, err := pt.Bind(p, 43); crossview.ErrorCode(err) != crossview.EFORBIDDEN {
		t.Errorf("a bound token was bound again: %v", err)
	}
	if _, err := pt.Verify(bound, crossview.LocationSalesforceRecord); err == nil {
		t.Error("a bound sidebar token opened the Salesforce panel")
	}
	for _, id := range []int64{0, -1} {
		if _, err := pt.Bind(session, id); err == nil {
			t.Errorf("bound to ticket %d", id)
		}
	}

	// Late in the shell token's life, a bound token ends with it.
	now = now.Add(25 * time.Minute)
	late, err := pt.Bind(session, 42)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := pt.VerifyTicket(late, 42); err != nil || !p.Expires.Equal(session.Expires) {
		t.Errorf("late bound token expires %v, want the shell's %v (%v)", p.Expires, session.Expires, err)
	}
	now = now.Add(6 * time.Minute)
	if _, err := pt.VerifyTicket(late, 42); crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
		t.Errorf("a bound token outlived its shell token: %v", err)
	}
}
