package redisstore_test

import (
	"context"
	"crypto/rand"
	"sort"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/secret"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

// The key layout is an operator-facing contract (Redis Cluster slots,
// eviction policy, backups), so it is pinned here exactly.
func TestKeyLayout(t *testing.T) {
	ctx := context.Background()
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = client.Close() })
	s := store.New(redisstore.New(client, "crossview"), testKeyring(t), time.Now)

	if err := s.PutTenant(ctx, crossview.Tenant{Subdomain: "acme", AppID: 7, APIToken: "t"}); err != nil {
		t.Fatal(err)
	}
	c := crossview.NewConnection("acme", crossview.Production, "00D5g000004ABCDEA2", "https://acme.my.salesforce.com", time.Now())
	c.ID = "conn_1"
	if err := s.PutConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx, "conn_1", crossview.Token{RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	// Admin sessions expire by their own record, not a TTL (see store/session.go).
	if err := s.PutAdminSession(ctx, crossview.AdminSession{ID: "SESSIONIDAAAAAAAAAAAAAAAAA", Tenant: "acme", CSRF: "c", ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	keys := mr.Keys()
	sort.Strings(keys)
	want := []string{
		"crossview:{_}:admin_sessions",
		"crossview:{_}:conn_tenant",
		"crossview:{_}:org/00D5g000004ABCD",
		"crossview:{_}:tenants",
		"crossview:{acme}:connections",
		"crossview:{acme}:tokens",
	}
	if d := cmp.Diff(want, keys); d != "" {
		t.Fatalf("Redis keys mismatch (-want +got):\n%s", d)
	}
	for _, k := range keys {
		if typ := mr.Type(k); typ != "hash" {
			t.Errorf("%s is a %s, want a hash", k, typ)
		}
		// Durable records must never expire, or be chosen by volatile-* eviction.
		if ttl := mr.TTL(k); ttl != 0 {
			t.Errorf("%s has TTL %v; durable records must have none", k, ttl)
		}
	}
	fields := map[string][]string{
		"crossview:{_}:tenants":             {"acme"},
		"crossview:{_}:conn_tenant":         {"conn_1"},
		"crossview:{_}:org/00D5g000004ABCD": {"conn_1"},
		"crossview:{acme}:connections":      {"conn_1"},
		"crossview:{acme}:tokens":           {"conn_1"},
	}
	for k, want := range fields {
		got, err := mr.HKeys(k)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("fields of %s mismatch (-want +got):\n%s", k, d)
		}
	}
	if got := mr.HGet("crossview:{_}:conn_tenant", "conn_1"); got != "acme" {
		t.Errorf("conn_tenant[conn_1] = %q, want acme", got)
	}

	// Deleting the connection and ending the session leave only the tenant.
	if err := s.DeleteConnection(ctx, "conn_1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAdminSession(ctx, "SESSIONIDAAAAAAAAAAAAAAAAA"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"crossview:{_}:tenants"}, mr.Keys()); d != "" {
		t.Fatalf("keys after DeleteConnection mismatch (-want +got):\n%s", d)
	}
}

func TestBackendKey(t *testing.T) {
	b := redisstore.New(nil, "cv")
	tests := []struct{ partition, table, want string }{
		{"_", "tenants", "cv:{_}:tenants"},
		{"acme", "tokens", "cv:{acme}:tokens"},
		{"_", "org/00D5g000004ABCD", "cv:{_}:org/00D5g000004ABCD"},
	}
	for _, tt := range tests {
		if got := b.Key(tt.partition, tt.table); got != tt.want {
			t.Errorf("Key(%q, %q) = %q, want %q", tt.partition, tt.table, got, tt.want)
		}
	}
}

func TestBackendCloseLeavesClientOpen(t *testing.T) {
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { _ = client.Close() })
	b := redisstore.New(client, "cv")
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := client.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("the shared client stopped working after the backend closed: %v", err)
	}
}

func TestPingFailsWhenRedisIsDown(t *testing.T) {
	mr := miniredis.RunT(t)
	client := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	t.Cleanup(func() { _ = client.Close() })
	b := redisstore.New(client, "cv")
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	mr.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := b.Ping(ctx); err == nil {
		t.Fatal("Ping succeeded with Redis down")
	}
}

func testKeyring(t *testing.T) *secret.Keyring {
	t.Helper()
	key := make([]byte, secret.KeySize)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	k, err := secret.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		t.Fatal(err)
	}
	return k
}
