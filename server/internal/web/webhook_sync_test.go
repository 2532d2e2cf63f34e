package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/auth"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/web"
)

// syncIntake answers what it is told to and remembers what it was given.
type syncIntake struct {
	err    error
	bodies []string
}

func (s *syncIntake) SyncWebhook(_ context.Context, _ crossview.Tenant, connID string, body []byte) error {
	s.bodies = append(s.bodies, connID+" "+string(body))
	return s.err
}

// A ticket-sync webhook is answered 200 only once its change is queued.
// When it cannot be (the store is away, or this replica has not yet seen
// the secret another one just made) the answer is 503 with a Retry-After
// under a minute: the only 503 Zendesk retries.
func TestSyncWebhookAsksZendeskToRetry(t *testing.T) {
	intake := &syncIntake{}
	h := web.NewServer(web.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(),
		Tenants:         tenants{"acme": {Subdomain: "acme", SyncWebhookSecrets: map[string]string{"conn_a": "sync-secret"}}},
		WebhookVerifier: auth.NewWebhookVerifier(5*time.Minute, time.Now), TicketSync: intake,
		Ready: func(context.Context) error { return nil }, Assets: assets.FS(), Now: time.Now,
		ZendeskBaseURL: func(s string) string { return "https://" + s + ".zendesk.com" },
	})
	body := `{"type":"ticket_sync","ticket_id":"42","updated_at":"2026-03-02T09:30:00Z","connection":"conn_a"}`
	post := func(conn, secret string) *httptest.ResponseRecorder {
		ts := time.Now().UTC().Format(time.RFC3339)
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(ts + body))
		req := httptest.NewRequest(http.MethodPost, "/zendesk/webhook/acme?connection="+conn, strings.NewReader(body))
		req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		req.Header.Set("X-Zendesk-Webhook-Signature", base64.StdEncoding.EncodeToString(m.Sum(nil)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("conn_a", "sync-secret"); rec.Code != http.StatusOK || len(intake.bodies) != 1 {
		t.Fatalf("a valid delivery: %d, %d queued", rec.Code, len(intake.bodies))
	}
	if rec := post("conn_a", "wrong"); rec.Code != http.StatusUnauthorized || len(intake.bodies) != 1 {
		t.Fatalf("a badly signed delivery: %d", rec.Code)
	}
	intake.err = crossview.Errorf(crossview.EUNAVAILABLE, "Crossview could not queue the change; Zendesk will retry.")
	if rec := post("conn_a", "sync-secret"); rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("a delivery the store could not take: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	intake.err = nil
	if rec := post("conn_new", "whatever"); rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("a delivery for a secret not seen yet: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	intake.err = crossview.Errorf(crossview.EINVALID, "The webhook names no ticket.")
	if rec := post("conn_a", "sync-secret"); rec.Code != http.StatusBadRequest || rec.Header().Get("Retry-After") != "" {
		t.Fatalf("a body that names no ticket: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
}
