package storetest

import (
	"context"
	"testing"
)

func testTokens(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	mustPutTenants(t, s, "acme", "globex")
	mustPutConnection(t, s, connectionFixture("acme", "conn_a", orgA))
	mustPutConnection(t, s, connectionFixture("globex", "conn_g", orgA))

	_, err := s.Token(ctx, "conn_a")
	wantNotFound(t, "Token before any put", err)
	wantNotFound(t, "PutToken for an unknown connection", s.PutToken(ctx, "conn_missing", tokenFixture(1)))
	_, err = s.Token(ctx, "conn_missing")
	wantNotFound(t, "Token of an unknown connection", err)

	if err := s.PutToken(ctx, "conn_a", tokenFixture(1)); err != nil {
		t.Fatalf("PutToken: %v", err)
	}
	if err := s.PutToken(ctx, "conn_g", tokenFixture(2)); err != nil {
		t.Fatalf("PutToken: %v", err)
	}
	got, err := s.Token(ctx, "conn_a")
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	if d := diff(tokenFixture(1), got); d != "" {
		t.Fatalf("Token mismatch (-want +got):\n%s", d)
	}

	// A refresh that rotates the refresh token replaces the grant.
	if err := s.PutToken(ctx, "conn_a", tokenFixture(3)); err != nil {
		t.Fatalf("PutToken rotation: %v", err)
	}
	got, err = s.Token(ctx, "conn_a")
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(tokenFixture(3), got); d != "" {
		t.Fatalf("Token after rotation mismatch (-want +got):\n%s", d)
	}
	if got, err := s.Token(ctx, "conn_g"); err != nil || got.RefreshToken != tokenFixture(2).RefreshToken {
		t.Fatalf("the other tenant's token changed: %v", err)
	}

	if err := s.DeleteToken(ctx, "conn_a"); err != nil {
		t.Fatalf("DeleteToken: %v", err)
	}
	_, err = s.Token(ctx, "conn_a")
	wantNotFound(t, "Token after DeleteToken", err)
	if err := s.DeleteToken(ctx, "conn_a"); err != nil {
		t.Fatalf("DeleteToken of a token already gone (a retried disconnect): %v", err)
	}
	wantNotFound(t, "DeleteToken for an unknown connection", s.DeleteToken(ctx, "conn_missing"))
	if _, err := s.Connection(ctx, "conn_a"); err != nil {
		t.Fatalf("DeleteToken removed the connection too: %v", err)
	}
	if _, err := s.Token(ctx, "conn_g"); err != nil {
		t.Fatalf("DeleteToken removed another connection's token: %v", err)
	}
}
