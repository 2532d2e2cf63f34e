package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

func testTenantCRUD(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store

	_, err := s.Tenant(ctx, "acme")
	wantNotFound(t, "Tenant before any put", err)
	_, err = s.Tenant(ctx, "Not A Subdomain")
	wantNotFound(t, "Tenant with an impossible subdomain", err)
	if all, err := s.Tenants(ctx); err != nil || len(all) != 0 {
		t.Fatalf("Tenants on an empty store = %v, %v; want none", all, err)
	}

	created := e.clock.Now()
	mustPutTenants(t, s, "globex", "acme")
	got, err := s.Tenant(ctx, "acme")
	if err != nil {
		t.Fatalf("Tenant: %v", err)
	}
	want := tenantFixture("acme")
	want.CreatedAt, want.UpdatedAt = created, created
	if d := diff(want, got); d != "" {
		t.Fatalf("Tenant after put mismatch (-want +got):\n%s", d)
	}

	// An update keeps CreatedAt, moves UpdatedAt, and can clear a secret.
	e.clock.Advance(time.Hour)
	upd := tenantFixture("acme")
	upd.APIEmail = "ops@acme.example"
	upd.OAuthToken = ""
	upd.APIToken = "zd-api-token-rotated"
	if err := s.PutTenant(ctx, upd); err != nil {
		t.Fatalf("PutTenant update: %v", err)
	}
	got, err = s.Tenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	upd.CreatedAt, upd.UpdatedAt = created, created.Add(time.Hour)
	if d := diff(upd, got); d != "" {
		t.Fatalf("Tenant after update mismatch (-want +got):\n%s", d)
	}

	// A tenant with no secrets at all round-trips too.
	bare := crossview.Tenant{Subdomain: "initech", AppID: 5}
	if err := s.PutTenant(ctx, bare); err != nil {
		t.Fatal(err)
	}
	all, err := s.Tenants(ctx)
	if err != nil {
		t.Fatalf("Tenants: %v", err)
	}
	var subs []string
	for _, tn := range all {
		subs = append(subs, tn.Subdomain)
	}
	if d := diff([]string{"acme", "globex", "initech"}, subs); d != "" {
		t.Fatalf("Tenants order mismatch (-want +got):\n%s", d)
	}
	if all[0].APIToken != "zd-api-token-rotated" || all[1].WebhookSecret != "zd-webhook-secret-globex" {
		t.Fatalf("Tenants did not open secrets: %+v", all[:2])
	}
}

func testTenantValidation(t *testing.T, e *env) {
	ctx := context.Background()
	tests := []struct {
		name   string
		modify func(*crossview.Tenant)
	}{
		{"empty subdomain", func(tn *crossview.Tenant) { tn.Subdomain = "" }},
		{"uppercase subdomain", func(tn *crossview.Tenant) { tn.Subdomain = "Acme" }},
		{"dotted subdomain", func(tn *crossview.Tenant) { tn.Subdomain = "acme.zendesk.com" }},
		{"leading hyphen", func(tn *crossview.Tenant) { tn.Subdomain = "-acme" }},
		{"hash tag breaker", func(tn *crossview.Tenant) { tn.Subdomain = "ac}me" }},
		{"negative app id", func(tn *crossview.Tenant) { tn.AppID = -4 }},
		{"negative installation id", func(tn *crossview.Tenant) { tn.InstallationID = -1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := tenantFixture("acme")
			tt.modify(&tn)
			err := e.store.PutTenant(ctx, tn)
			wantCode(t, "PutTenant", err, crossview.EINVALID)
			if msg := crossview.ErrorMessage(err); msg == "" || msg == "Internal error." {
				t.Fatalf("PutTenant error has no message a user could act on: %v", err)
			}
		})
	}
	if all, err := e.store.Tenants(ctx); err != nil || len(all) != 0 {
		t.Fatalf("invalid tenants were stored: %v, %v", all, err)
	}
}
