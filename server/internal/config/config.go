// Package config reads Crossview's settings once, from an injected getenv,
// into one typed struct, and names every missing or invalid setting at once.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Config is every setting of the service.
type Config struct {
	Addr      string
	PublicURL string
	DataDir   string
	RedisURL  string
	// EncryptionKey is the primary 32-byte key; OldEncryptionKeys still open
	// data sealed before a rotation.
	EncryptionKey     []byte
	OldEncryptionKeys [][]byte

	ZendeskURL          string // template with {subdomain}
	ZendeskClientID     string
	ZendeskClientSecret string

	SalesforceLoginURL        string
	SalesforceSandboxLoginURL string
	SalesforceClientID        string
	SalesforceClientSecret    string
	SalesforceAPIVersion      string
	// SalesforceInstanceHosts lists the domains (comma-separated) an
	// instance URL may name, in token answers and Canvas requests: the
	// access token is sent there. See crossview.ParseInstanceHosts.
	SalesforceInstanceHosts string

	ZAFSDKURL string
	// SandboxZAFSDK asks the sandbox to build and serve the ZAF SDK itself.
	SandboxZAFSDK bool
	LogLevel      string
	// UpstreamTimeout bounds every call to Salesforce or Zendesk.
	UpstreamTimeout time.Duration
	// HealthInterval is how often every connection is checked.
	HealthInterval time.Duration
	// RefreshCooldown, SalesforceReserve and ZendeskReserve budget the
	// APIs' allowances (see loadBudget).
	RefreshCooldown   time.Duration
	SidebarPoll       time.Duration
	SalesforceReserve float64
	ZendeskReserve    float64
	// TicketSyncWorkers bounds the tickets one replica syncs at once;
	// TicketSyncReconcile is how often the incremental export is read;
	// SyncLogRetention is how long sync logs keep entries.
	TicketSyncWorkers   int
	TicketSyncReconcile time.Duration
	SyncLogRetention    time.Duration
	// DataSyncMinInterval bounds how often data sync polls an org,
	// whatever a connection's settings ask.
	DataSyncMinInterval time.Duration
	// DataSyncJobs is how many Zendesk jobs of 100 records one data-sync
	// poller keeps going at once.
	DataSyncJobs int
}

// Mode says which command reads the configuration; serve requires more.
type Mode int

// Modes.
const (
	ModeServe Mode = iota
	ModeAdmin
	ModeSandbox
)

// Default ZAF SDK location: Zendesk's CDN, which auto-updates 2.0 patches.
const defaultZAFSDKURL = "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"

// Load reads the configuration. In ModeServe every setting a production
// server needs must be present; the error lists each problem on its own line.
func Load(getenv func(string) string, mode Mode) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:                      get("CROSSVIEW_ADDR", ":8080"),
		PublicURL:                 strings.TrimRight(get("CROSSVIEW_PUBLIC_URL", "http://localhost:8080"), "/"),
		DataDir:                   get("CROSSVIEW_DATA_DIR", "./data"),
		RedisURL:                  get("CROSSVIEW_REDIS_URL", ""),
		ZendeskURL:                get("CROSSVIEW_ZENDESK_URL", "https://{subdomain}.zendesk.com"),
		ZendeskClientID:           get("CROSSVIEW_ZENDESK_CLIENT_ID", ""),
		ZendeskClientSecret:       get("CROSSVIEW_ZENDESK_CLIENT_SECRET", ""),
		SalesforceLoginURL:        strings.TrimRight(get("CROSSVIEW_SALESFORCE_LOGIN_URL", "https://login.salesforce.com"), "/"),
		SalesforceSandboxLoginURL: strings.TrimRight(get("CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL", "https://test.salesforce.com"), "/"),
		SalesforceClientID:        get("CROSSVIEW_SALESFORCE_CLIENT_ID", ""),
		SalesforceClientSecret:    get("CROSSVIEW_SALESFORCE_CLIENT_SECRET", ""),
		SalesforceAPIVersion:      strings.TrimPrefix(get("CROSSVIEW_SALESFORCE_API_VERSION", "66.0"), "v"),
		SalesforceInstanceHosts:   get("CROSSVIEW_SALESFORCE_INSTANCE_HOSTS", crossview.DefaultInstanceHosts),
		ZAFSDKURL:                 get("CROSSVIEW_ZAF_SDK_URL", defaultZAFSDKURL),
		// The sandbox is offline: it serves the SDK it builds from npm.
		SandboxZAFSDK: mode == ModeSandbox && getenv("CROSSVIEW_ZAF_SDK_URL") == "",
		LogLevel:      strings.ToLower(get("CROSSVIEW_LOG_LEVEL", "info")),
	}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		bad("CROSSVIEW_ADDR %q is not a host:port listen address", c.Addr)
	}
	checkURL(c.PublicURL, "CROSSVIEW_PUBLIC_URL", bad)
	if c.DataDir != "" {
		c.DataDir = filepath.Clean(c.DataDir)
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			bad("CROSSVIEW_REDIS_URL must be a redis:// or rediss:// URL")
		}
	}
	if !strings.Contains(c.ZendeskURL, "{subdomain}") {
		bad("CROSSVIEW_ZENDESK_URL %q must contain {subdomain}", c.ZendeskURL)
	} else {
		checkURL(strings.ReplaceAll(c.ZendeskURL, "{subdomain}", "x"), "CROSSVIEW_ZENDESK_URL", bad)
	}
	checkURL(c.SalesforceLoginURL, "CROSSVIEW_SALESFORCE_LOGIN_URL", bad)
	checkURL(c.SalesforceSandboxLoginURL, "CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL", bad)
	if _, err := crossview.ParseInstanceHosts(c.SalesforceInstanceHosts); err != nil {
		bad("CROSSVIEW_SALESFORCE_INSTANCE_HOSTS %v", err)
	}
	if !validAPIVersion(c.SalesforceAPIVersion) {
		bad("CROSSVIEW_SALESFORCE_API_VERSION %q must look like 66.0", c.SalesforceAPIVersion)
	}
	if !strings.HasPrefix(c.ZAFSDKURL, "/") {
		checkURL(c.ZAFSDKURL, "CROSSVIEW_ZAF_SDK_URL", bad)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("CROSSVIEW_LOG_LEVEL must be debug, info, warn or error")
	}
	c.UpstreamTimeout = 10 * time.Second
	if v := getenv("CROSSVIEW_UPSTREAM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad("CROSSVIEW_UPSTREAM_TIMEOUT %q is not a positive duration like 10s", v)
		}
		c.UpstreamTimeout = d
	}

	c.HealthInterval = 5 * time.Minute
	if v := getenv("CROSSVIEW_HEALTH_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			bad("CROSSVIEW_HEALTH_INTERVAL %q is not a duration of at least 1s, like 5m", v)
		}
		c.HealthInterval = d
	}
	c.loadBudget(getenv, mode, bad)
	c.TicketSyncWorkers = 8
	if v := getenv("CROSSVIEW_TICKET_SYNC_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 256 {
			bad("CROSSVIEW_TICKET_SYNC_WORKERS %q is not a number from 1 to 256", v)
		}
		c.TicketSyncWorkers = n
	}
	c.TicketSyncReconcile = 3 * time.Minute
	if v := getenv("CROSSVIEW_TICKET_SYNC_RECONCILE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 10*time.Second {
			bad("CROSSVIEW_TICKET_SYNC_RECONCILE %q is not a duration of at least 10s, like 3m", v)
		}
		c.TicketSyncReconcile = d
	}
	c.SyncLogRetention = 30 * 24 * time.Hour
	if v := getenv("CROSSVIEW_SYNC_LOG_RETENTION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Hour {
			bad("CROSSVIEW_SYNC_LOG_RETENTION %q is not a duration of at least 1h, like 720h (30 days)", v)
		}
		c.SyncLogRetention = d
	}
	c.DataSyncMinInterval = 5 * time.Second
	if v := getenv("CROSSVIEW_DATA_SYNC_MIN_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			bad("CROSSVIEW_DATA_SYNC_MIN_INTERVAL %q is not a duration of at least 1s, like 5s", v)
		}
		c.DataSyncMinInterval = d
	}
	c.DataSyncJobs = 4
	if v := getenv("CROSSVIEW_DATA_SYNC_JOBS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 30 {
			bad("CROSSVIEW_DATA_SYNC_JOBS %q is not a number from 1 to 30 (Zendesk queues at most 30 jobs an account)", v)
		}
		c.DataSyncJobs = n
	}
	if k := getenv("CROSSVIEW_ENCRYPTION_KEY"); k != "" {
		key, err := parseKey(k)
		if err != nil {
			bad("CROSSVIEW_ENCRYPTION_KEY %v", err)
		}
		c.EncryptionKey = key
	} else if mode != ModeSandbox {
		bad("CROSSVIEW_ENCRYPTION_KEY is required: base64 of 32 random bytes (openssl rand -base64 32)")
	}
	for i, k := range strings.FieldsFunc(getenv("CROSSVIEW_ENCRYPTION_OLD_KEYS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		key, err := parseKey(k)
		if err != nil {
			bad("CROSSVIEW_ENCRYPTION_OLD_KEYS entry %d %v", i+1, err)
			continue
		}
		c.OldEncryptionKeys = append(c.OldEncryptionKeys, key)
	}
	if mode == ModeServe {
		if c.SalesforceClientID == "" {
			bad("CROSSVIEW_SALESFORCE_CLIENT_ID is required: the connected app's consumer key")
		}
		if c.SalesforceClientSecret == "" {
			bad("CROSSVIEW_SALESFORCE_CLIENT_SECRET is required: the connected app's consumer secret")
		}
		if (c.ZendeskClientID == "") != (c.ZendeskClientSecret == "") {
			bad("CROSSVIEW_ZENDESK_CLIENT_ID and CROSSVIEW_ZENDESK_CLIENT_SECRET must be set together")
		}
		if c.RedisURL == "" && c.DataDir == "" {
			bad("CROSSVIEW_DATA_DIR must name a directory when CROSSVIEW_REDIS_URL is not set")
		}
	}
	if len(errs) > 0 {
		return Config{}, &Error{Problems: errs}
	}
	return c, nil
}

// Error lists every configuration problem.
type Error struct{ Problems []error }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "  - " + p.Error()
	}
	return "configuration is incomplete or invalid:\n" + strings.Join(lines, "\n")
}

// Unwrap exposes the individual problems.
func (e *Error) Unwrap() []error { return e.Problems }

func checkURL(raw, name string, bad func(string, ...any)) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("%s %q must be an absolute http(s) URL", name, raw)
	}
}

// parseKey decodes base64 (padded or not) of exactly 32 bytes. The value
// itself never appears in an error.
func parseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != 32 {
				return nil, fmt.Errorf("must decode to 32 bytes, not %d", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("is not valid base64")
}

func validAPIVersion(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	if !ok || len(major) == 0 || len(major) > 3 || len(minor) != 1 {
		return false
	}
	for _, r := range major + minor {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
