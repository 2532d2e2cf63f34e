package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"syscall"

	"github.com/crossview/crossview/assets"
	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zafsdk"
)

// vendorZAFSDK is where the sandbox serves the ZAF SDK it built from npm.
const vendorZAFSDK = "/assets/vendor/zaf_sdk.min.js"

// sandboxRun is a running sandbox: the emulated world and Crossview wired
// to it exactly as production is wired to the real services.
type sandboxRun struct {
	app     *app
	world   *sandbox.World
	handler http.Handler
	dataDir string
	url     string
}

// runSandbox serves the sandbox until ctx ends.
func runSandbox(ctx context.Context, cfg config.Config, logger *slog.Logger, stdout io.Writer) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("listening on %s: %w (another program has the port: stop it, or set CROSSVIEW_ADDR, e.g. CROSSVIEW_ADDR=:8081)", cfg.Addr, err)
		}
		return fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	sb, err := startSandbox(ctx, cfg, logger, ln.Addr().(*net.TCPAddr))
	if err != nil {
		_ = ln.Close()
		return err
	}
	defer sb.close()
	go sb.app.admin.RunHealthChecks(ctx, cfg.HealthInterval)
	fmt.Fprintf(stdout, "Crossview sandbox is running. Open %s/demo (admin pages: %s/admin)\n", sb.url, sb.url)
	return serveHTTP(ctx, ln, sb.handler, logger)
}

// startSandbox starts the emulators, a fresh store and Crossview, connects
// the emulated account and orgs through the real connect path, and turns
// the sidebar on.
func startSandbox(ctx context.Context, cfg config.Config, logger *slog.Logger, addr *net.TCPAddr) (*sandboxRun, error) {
	sb := &sandboxRun{}
	ok := false
	defer func() {
		if !ok {
			sb.close()
		}
	}()
	var err error
	if sb.dataDir, err = os.MkdirTemp("", "crossview-sandbox-"); err != nil {
		return nil, fmt.Errorf("sandbox data directory: %w", err)
	}
	port := strconv.Itoa(addr.Port)
	sb.url = "http://localhost:" + port
	if cfg.PublicURL != "http://localhost:8080" {
		sb.url = cfg.PublicURL
	}
	clientSecret := rand.Text()
	if sb.world, err = sandbox.Start(sandbox.Options{ClientID: "crossview-sandbox", ClientSecret: clientSecret, Logger: logger.With("component", "emulator")}); err != nil {
		return nil, err
	}
	cfg.DataDir, cfg.PublicURL = sb.dataDir, sb.url
	cfg.ZendeskURL = sb.world.Zendesk.URLTemplate()
	cfg.SalesforceLoginURL, cfg.SalesforceSandboxLoginURL = sb.world.Cloud.LoginURL(), sb.world.Cloud.LoginURL()
	cfg.SalesforceClientID, cfg.SalesforceClientSecret = "crossview-sandbox", clientSecret
	// The emulated orgs answer on loopback over plain http.
	cfg.SalesforceInstanceHosts += ",http://127.0.0.1"
	cfg.ZendeskClientID, cfg.ZendeskClientSecret = "crossview-sandbox", clientSecret
	if len(cfg.EncryptionKey) == 0 {
		cfg.EncryptionKey = make([]byte, 32)
		_, _ = rand.Read(cfg.EncryptionKey)
	}
	var vendor map[string][]byte
	if cfg.SandboxZAFSDK {
		path, err := buildZAFSDK(ctx, logger)
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("reading the ZAF SDK: %w", err)
		}
		vendor = map[string][]byte{"zaf_sdk.min.js": b}
		cfg.ZAFSDKURL = vendorZAFSDK
	}
	if sb.app, err = newApp(cfg, logger); err != nil {
		return nil, err
	}
	if err := sb.wire(ctx, "http://127.0.0.1:"+port); err != nil {
		return nil, err
	}
	sb.app.startTicketSync() // until close
	sb.app.startDataSync()

	// /demo frames the sidebar from Crossview's own origin, so that origin
	// may frame it too (only in the sandbox).
	ancestors := []string{"http://localhost:" + port, "http://127.0.0.1:" + port}
	if o := originOf(sb.url); o != ancestors[0] {
		ancestors = append(ancestors, o)
	}
	sb.handler = sb.app.handler(sb.world, vendor, cfg.ZAFSDKURL, ancestors)
	ok = true
	return sb, nil
}

// buildZAFSDK builds the ZAF SDK bundle, or finds it built: in assets/dist
// when started inside a checkout with the npm files this binary was built
// from (where CI and npm ci put it), else in the user cache directory, so
// a built binary runs anywhere.
func buildZAFSDK(ctx context.Context, logger *slog.Logger) (string, error) {
	project := assets.NPMProject()
	if dir, err := zafsdk.FindAssetsDir("."); err == nil && zafsdk.SameProject(dir, project) {
		return zafsdk.Ensure(ctx, dir, logger)
	}
	root, err := os.UserCacheDir()
	if err != nil {
		root = os.TempDir()
		logger.Info("no user cache directory; building the ZAF SDK under the temporary directory", "dir", root, "reason", err)
	}
	return zafsdk.EnsureCached(ctx, root, project, logger)
}

// wire registers the emulated accounts and connects the orgs through the
// real connect path, with the features each link turns on.
func (sb *sandboxRun) wire(ctx context.Context, selfURL string) error {
	a, w := sb.app, sb.world
	for _, acct := range w.Accounts {
		if acct.Account.Subdomain() == sandbox.LabsSubdomain {
			continue // left for an admin to sign in to and connect
		}
		t := acct.Tenant()
		t.CreatedAt, t.UpdatedAt = a.now(), a.now()
		if err := a.store.PutTenant(ctx, t); err != nil {
			return err
		}
	}
	for i, l := range w.Links {
		o := w.Org(l.OrgKey)
		_, refresh := o.Org.IssueTokens(o.Admin.ID)
		conn, err := a.admin.ConnectWithRefreshToken(ctx, "sandbox", l.Subdomain, o.Environment, refresh)
		if err != nil {
			return fmt.Errorf("connecting %s to %s: %w", o.Name, l.Subdomain, err)
		}
		conn.Name = o.Name
		conn.Sidebar.Order = i
		conn.TicketSync = sandbox.TicketSyncSettings()
		conn.DataSync = sandbox.DataSyncSettings()
		syncs := []crossview.Feature{crossview.FeatureTicketSync, crossview.FeatureAccountSync, crossview.FeatureContactSync}
		for _, f := range l.Features {
			conn.Features[f] = !slices.Contains(syncs, f) // the syncs are turned on below, as an admin would
		}
		if err := a.store.PutConnection(ctx, conn); err != nil {
			return err
		}
		// The real path: for ticket sync, the org's Case fields checked,
		// the trigger and webhook made in the emulated Zendesk; for account
		// and contact sync, the mappings checked against the describe and
		// the Zendesk fields; each then backfills.
		for _, f := range syncs {
			if !slices.Contains(l.Features, f) {
				continue
			}
			if _, err := a.admin.SetFeature(ctx, l.Subdomain, "sandbox", conn.ID, f, true); err != nil {
				return fmt.Errorf("turning %s on for %s and %s: %w", f, o.Name, l.Subdomain, err)
			}
		}
	}
	w.HookUp(selfURL)
	w.SetCaseFinder(sb.syncedCase)
	return nil
}

// syncedCase finds the Case ticket sync made for a ticket, for /demo's
// links to it.
func (sb *sandboxRun) syncedCase(ctx context.Context, tenant string, ticketID int64) (string, string, bool) {
	cs, err := sb.app.store.Connections(ctx, tenant)
	if err != nil {
		return "", "", false
	}
	for _, c := range cs {
		if !c.Active(crossview.FeatureTicketSync) {
			continue
		}
		if st, ok, err := sb.app.ticketSync.State(ctx, c, ticketID); err == nil && ok && st.CaseID != "" {
			return c.InstanceURL, st.CaseID, true
		}
	}
	return "", "", false
}

func (sb *sandboxRun) close() {
	if sb.app != nil {
		sb.app.close()
	}
	if sb.world != nil {
		sb.world.Close()
	}
	if sb.dataDir != "" {
		_ = os.RemoveAll(sb.dataDir)
	}
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}
