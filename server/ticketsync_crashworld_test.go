package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// crashWorld is an emulated Zendesk account and Salesforce org that outlive
// the Crossview processes a test starts, kills and restarts against them.
type crashWorld struct {
	t     *testing.T
	zd    *zendesktest.Server
	acct  *zendesktest.Account
	admin zendesktest.User
	cloud *salesforcetest.Cloud
	org   *salesforcetest.Org
	// apiToken is the Zendesk admin's, refreshToken the Salesforce admin's.
	apiToken, refreshToken, accessToken string
	bin                                 string
	env                                 []string
	dataDir                             string
	// zdShift moves the Zendesk emulator's clock (seeding a past).
	zdShift atomic.Int64
}

const (
	crashSubdomain    = "acme"
	crashClientID     = "crossview-sync-test"
	crashClientSecret = "sync-test-secret"
)

// newCrashWorld starts the emulators and builds the crossview binary.
func newCrashWorld(t *testing.T, redisURL string) *crashWorld {
	t.Helper()
	w := &crashWorld{t: t, dataDir: filepath.Join(t.TempDir(), "data")}
	var err error
	zdNow := func() time.Time { return time.Now().Add(time.Duration(w.zdShift.Load())) }
	if w.zd, err = zendesktest.New(zendesktest.Options{Now: zdNow}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.zd.Close() })
	if w.acct, err = w.zd.AddAccount(zendesktest.AccountSpec{Subdomain: crashSubdomain, RateLimit: envInt("CROSSVIEW_TEST_ZENDESK_RATE", 1_000_000), HighVolumeAPI: true, BulkUserImports: true}); err != nil {
		t.Fatal(err)
	}
	w.admin = w.acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.example", Role: "admin"})
	w.apiToken = w.acct.IssueAPIToken()

	if w.cloud, err = salesforcetest.New(salesforcetest.Options{ClientID: crashClientID, ClientSecret: crashClientSecret}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.cloud.Close() })
	if w.org, err = w.cloud.AddOrg(salesforcetest.OrgSpec{Name: "Acme Corp", DailyAPILimit: 5_000_000}); err != nil {
		t.Fatal(err)
	}
	sfAdmin := w.org.AddUser(salesforcetest.User{Username: "admin@acme.sf", FirstName: "Sam", LastName: "Salesforce",
		ProfileName: "System Administrator", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true}})
	w.accessToken, w.refreshToken = w.org.IssueTokens(sfAdmin.ID)

	w.bin = buildCrossview(t)
	w.env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"CROSSVIEW_DATA_DIR=" + w.dataDir,
		"CROSSVIEW_ENCRYPTION_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"CROSSVIEW_ZENDESK_URL=" + w.zd.URLTemplate(),
		"CROSSVIEW_SALESFORCE_LOGIN_URL=" + w.cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_SANDBOX_LOGIN_URL=" + w.cloud.LoginURL(),
		"CROSSVIEW_SALESFORCE_CLIENT_ID=" + crashClientID,
		"CROSSVIEW_SALESFORCE_CLIENT_SECRET=" + crashClientSecret,
		"CROSSVIEW_SALESFORCE_INSTANCE_HOSTS=http://127.0.0.1",
		"CROSSVIEW_LOG_LEVEL=debug",
	}
	if redisURL != "" {
		w.env = append(w.env, "CROSSVIEW_REDIS_URL="+redisURL)
	}
	return w
}

// buildCrossview builds the binary the test runs as separate processes,
// so that it can kill them with SIGKILL.
func buildCrossview(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "crossview")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cli runs `crossview args...` against the world's store and returns its
// standard output.
func (w *crashWorld) cli(publicURL string, args ...string) string {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.bin, args...)
	cmd.Env = append(append([]string(nil), w.env...), "CROSSVIEW_PUBLIC_URL="+publicURL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		w.t.Fatalf("crossview %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// replica is one `crossview serve` process; it can be killed and started
// again on the same address.
type replica struct {
	w    *crashWorld
	addr string
	name string

	mu   sync.Mutex
	cmd  *exec.Cmd
	logs *lockedBuffer
	all  []*lockedBuffer // every run's output, for the overlap check
}

func (w *crashWorld) replica(name, addr string) *replica {
	r := &replica{w: w, addr: addr, name: name}
	w.t.Cleanup(r.stop)
	return r
}

func (r *replica) url() string { return "http://" + r.addr }

// start runs the process and waits until it is ready.
func (r *replica) start() {
	r.w.t.Helper()
	cmd := exec.CommandContext(context.WithoutCancel(r.w.t.Context()), r.w.bin, "serve")
	cmd.Env = append(append([]string(nil), r.w.env...), "CROSSVIEW_ADDR="+r.addr, "CROSSVIEW_PUBLIC_URL="+r.url())
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		r.w.t.Fatal(err)
	}
	r.mu.Lock()
	r.cmd, r.logs = cmd, logs
	r.all = append(r.all, logs)
	r.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(r.url() + "/readyz") //nolint:noctx // a short poll in a test
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	r.w.t.Fatalf("replica %s never became ready:\n%s", r.name, logs.String())
}

// kill ends the process with SIGKILL: no shutdown, no flushing.
func (r *replica) kill() {
	r.mu.Lock()
	cmd := r.cmd
	r.cmd = nil
	r.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
}

// stop ends the process gracefully.
func (r *replica) stop() {
	r.mu.Lock()
	cmd := r.cmd
	r.cmd = nil
	r.mu.Unlock()
	if cmd != nil {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
}

// deliver posts a signed ticket-sync webhook to a replica as Zendesk
// would, retrying (as Zendesk does) until it is accepted; it reports how
// many tries it took.
func (w *crashWorld) deliver(ctx context.Context, base, connID, secret string, ticketID int64, updated time.Time) (int, error) {
	body, _ := json.Marshal(map[string]string{
		"type": "ticket_sync", "ticket_id": fmt.Sprint(ticketID),
		"updated_at": updated.UTC().Format(time.RFC3339), "connection": connID,
	})
	u := base + "/zendesk/webhook/" + crashSubdomain + "?connection=" + url.QueryEscape(connID)
	for try := 1; ; try++ {
		ts := time.Now().UTC().Format(time.RFC3339)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Zendesk-Webhook-Signature-Timestamp", ts)
		req.Header.Set("X-Zendesk-Webhook-Signature", zendesktest.SignWebhook(secret, ts, body))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return try, nil
			}
			if resp.StatusCode < 500 {
				return try, fmt.Errorf("delivery for ticket %d refused: %d %s", ticketID, resp.StatusCode, b)
			}
		}
		select {
		case <-ctx.Done():
			return try, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// soql runs a query against the org with the admin's token, every page.
func (w *crashWorld) soql(q string) []map[string]any {
	w.t.Helper()
	var out []map[string]any
	next := "/services/data/v66.0/query?q=" + url.QueryEscape(q)
	for next != "" {
		req, _ := http.NewRequestWithContext(w.t.Context(), http.MethodGet, w.org.InstanceURL()+next, nil)
		req.Header.Set("Authorization", "Bearer "+w.accessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.t.Fatal(err)
		}
		var page struct {
			Records        []map[string]any `json:"records"`
			NextRecordsURL string           `json:"nextRecordsUrl"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			w.t.Fatalf("query %q: %d %v", q, resp.StatusCode, err)
		}
		out = append(out, page.Records...)
		next = page.NextRecordsURL
	}
	return out
}

// envInt reads a number from the environment, or def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
