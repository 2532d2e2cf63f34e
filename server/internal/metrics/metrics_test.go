package metrics_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/metrics"
)

// scrape reads the registry as Prometheus would.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// Only calls made for ticket sync count as its calls, by system; the
// outcome counter and the lag histogram give calls per synced ticket.
func TestTicketSyncMetrics(t *testing.T) {
	m := metrics.New()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer up.Close()
	c := &http.Client{Transport: m.Transport(http.DefaultTransport)}
	call := func(ctx context.Context) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, up.URL, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	call(context.Background()) // a panel's call: not sync's
	call(metrics.SyncCalls(context.Background(), "salesforce"))
	call(metrics.SyncCalls(context.Background(), "zendesk"))
	call(metrics.SyncCalls(context.Background(), "zendesk"))
	m.TicketSynced("created", 1500*time.Millisecond)
	m.TicketSynced("retried", 0)
	m.SyncQueue("conn_a", 3, 1, 2)
	out := scrape(t, m)
	for _, want := range []string{
		`crossview_ticket_sync_api_calls_total{system="salesforce"} 1`,
		`crossview_ticket_sync_api_calls_total{system="zendesk"} 2`,
		`crossview_tickets_synced_total{outcome="created"} 1`,
		`crossview_tickets_synced_total{outcome="retried"} 1`,
		`crossview_ticket_sync_lag_seconds_bucket{le="2"} 1`,
		`crossview_ticket_sync_lag_seconds_bucket{le="1"} 0`,
		`crossview_ticket_sync_lag_seconds_count 1`,
		`crossview_ticket_sync_queue{connection="conn_a",state="waiting"} 3`,
		`crossview_ticket_sync_queue{connection="conn_a",state="dead"} 2`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// Data sync's calls count apart from ticket sync's; records count by
// object and outcome, and only changed records written give a lag.
func TestDataSyncMetrics(t *testing.T) {
	m := metrics.New()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer up.Close()
	c := &http.Client{Transport: m.Transport(http.DefaultTransport)}
	for _, ctx := range []context.Context{
		context.Background(),
		metrics.DataSyncCalls(context.Background(), "salesforce"),
		metrics.DataSyncCalls(context.Background(), "zendesk"),
		metrics.DataSyncCalls(context.Background(), "zendesk"),
		metrics.SyncCalls(context.Background(), "zendesk"),
	} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, up.URL, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	m.RecordSynced("Contact", "updated", 12*time.Second)
	m.RecordSynced("Contact", "created", 0) // a backfill
	m.RecordSynced("Account", "failed", 3*time.Second)
	out := scrape(t, m)
	for _, want := range []string{
		`crossview_data_sync_api_calls_total{system="salesforce"} 1`,
		`crossview_data_sync_api_calls_total{system="zendesk"} 2`,
		`crossview_ticket_sync_api_calls_total{system="zendesk"} 1`,
		`crossview_records_synced_total{object="Contact",outcome="updated"} 1`,
		`crossview_records_synced_total{object="Contact",outcome="created"} 1`,
		`crossview_records_synced_total{object="Account",outcome="failed"} 1`,
		`crossview_data_sync_lag_seconds_bucket{object="Contact",le="10"} 0`,
		`crossview_data_sync_lag_seconds_bucket{object="Contact",le="20"} 1`,
		`crossview_data_sync_lag_seconds_count{object="Contact"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(out, `crossview_data_sync_lag_seconds_count{object="Account"}`) {
		t.Error("a failed record observed a lag")
	}
}
