package config

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const goodKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // 32 bytes

func TestServeRefusesAndNamesEverySetting(t *testing.T) {
	_, err := Load(env(map[string]string{
		"CROSSVIEW_ADDR":                      "8080",
		"CROSSVIEW_REDIS_URL":                 "http://localhost:6379",
		"CROSSVIEW_ZENDESK_URL":               "https://zendesk.com",
		"CROSSVIEW_SALESFORCE_API_VERSION":    "sixty",
		"CROSSVIEW_ZENDESK_CLIENT_ID":         "only-the-id",
		"CROSSVIEW_SALESFORCE_INSTANCE_HOSTS": "salesforce.com/x",
	}), ModeServe)
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("Load = %v, want *Error", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"CROSSVIEW_ADDR", "CROSSVIEW_REDIS_URL", "CROSSVIEW_ZENDESK_URL", "CROSSVIEW_SALESFORCE_API_VERSION",
		"CROSSVIEW_ENCRYPTION_KEY", "CROSSVIEW_SALESFORCE_CLIENT_ID", "CROSSVIEW_SALESFORCE_CLIENT_SECRET",
		"CROSSVIEW_ZENDESK_CLIENT_SECRET", "CROSSVIEW_SALESFORCE_INSTANCE_HOSTS",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not name %s:\n%s", want, msg)
		}
	}
	if len(ce.Problems) != 9 {
		t.Errorf("got %d problems, want 9:\n%s", len(ce.Problems), msg)
	}
}

func TestKeyValueNeverEchoed(t *testing.T) {
	secret := "c2hvcnQtc2VjcmV0LXZhbHVl" // base64 of 18 bytes
	_, err := Load(env(map[string]string{"CROSSVIEW_ENCRYPTION_KEY": secret}), ModeAdmin)
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "32 bytes") {
		t.Fatalf("Load = %v", err)
	}
}

func TestDefaultsAndServeAccepts(t *testing.T) {
	c, err := Load(env(map[string]string{
		"CROSSVIEW_ENCRYPTION_KEY":           goodKey,
		"CROSSVIEW_SALESFORCE_CLIENT_ID":     "id",
		"CROSSVIEW_SALESFORCE_CLIENT_SECRET": "secret",
		"CROSSVIEW_SALESFORCE_API_VERSION":   "v67.0",
	}), ModeServe)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.PublicURL != "http://localhost:8080" || c.SalesforceAPIVersion != "67.0" ||
		c.ZendeskURL != "https://{subdomain}.zendesk.com" || len(c.EncryptionKey) != 32 || c.DataDir != "data" ||
		c.SalesforceInstanceHosts != crossview.DefaultInstanceHosts {
		t.Fatalf("config = %+v", c)
	}
}

func TestSandboxNeedsNothing(t *testing.T) {
	if _, err := Load(env(nil), ModeSandbox); err != nil {
		t.Fatalf("sandbox with no settings: %v", err)
	}
}

// Ticket sync's settings default sensibly and refuse nonsense by name.
func TestTicketSyncSettings(t *testing.T) {
	c, err := Load(env(nil), ModeSandbox)
	if err != nil {
		t.Fatal(err)
	}
	if c.TicketSyncWorkers != 8 || c.TicketSyncReconcile != 3*time.Minute || c.SyncLogRetention != 30*24*time.Hour {
		t.Errorf("defaults: workers %d, reconcile %s, log %s", c.TicketSyncWorkers, c.TicketSyncReconcile, c.SyncLogRetention)
	}
	c, err = Load(env(map[string]string{"CROSSVIEW_TICKET_SYNC_WORKERS": "16", "CROSSVIEW_TICKET_SYNC_RECONCILE": "1m", "CROSSVIEW_SYNC_LOG_RETENTION": "168h"}), ModeSandbox)
	if err != nil || c.TicketSyncWorkers != 16 || c.TicketSyncReconcile != time.Minute || c.SyncLogRetention != 168*time.Hour {
		t.Errorf("set: %v %+v", err, c)
	}
	_, err = Load(env(map[string]string{"CROSSVIEW_TICKET_SYNC_WORKERS": "0", "CROSSVIEW_TICKET_SYNC_RECONCILE": "1s", "CROSSVIEW_SYNC_LOG_RETENTION": "forever"}), ModeSandbox)
	var ce *Error
	if !errors.As(err, &ce) || len(ce.Problems) != 3 {
		t.Fatalf("bad values: %v", err)
	}
	for _, want := range []string{"CROSSVIEW_TICKET_SYNC_WORKERS", "CROSSVIEW_TICKET_SYNC_RECONCILE", "CROSSVIEW_SYNC_LOG_RETENTION"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not name %s", want)
		}
	}
}

func TestDataSyncMinInterval(t *testing.T) {
	c, err := Load(env(nil), ModeSandbox)
	if err != nil || c.DataSyncMinInterval != 5*time.Second {
		t.Fatalf("default: %v %s", err, c.DataSyncMinInterval)
	}
	if c, err = Load(env(map[string]string{"CROSSVIEW_DATA_SYNC_MIN_INTERVAL": "2s"}), ModeSandbox); err != nil || c.DataSyncMinInterval != 2*time.Second {
		t.Errorf("set: %v %s", err, c.DataSyncMinInterval)
	}
	for _, bad := range []string{"500ms", "often"} {
		_, err := Load(env(map[string]string{"CROSSVIEW_DATA_SYNC_MIN_INTERVAL": bad}), ModeSandbox)
		if err == nil || !strings.Contains(err.Error(), "CROSSVIEW_DATA_SYNC_MIN_INTERVAL") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestDataSyncJobs(t *testing.T) {
	c, err := Load(env(nil), ModeSandbox)
	if err != nil || c.DataSyncJobs != 4 {
		t.Fatalf("default: %v %d", err, c.DataSyncJobs)
	}
	if c, err = Load(env(map[string]string{"CROSSVIEW_DATA_SYNC_JOBS": "1"}), ModeSandbox); err != nil || c.DataSyncJobs != 1 {
		t.Errorf("set: %v %d", err, c.DataSyncJobs)
	}
	for _, bad := range []string{"0", "31", "many"} {
		_, err := Load(env(map[string]string{"CROSSVIEW_DATA_SYNC_JOBS": bad}), ModeSandbox)
		if err == nil || !strings.Contains(err.Error(), "CROSSVIEW_DATA_SYNC_JOBS") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
