package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/crossview/crossview/server/internal/browsertest"
	"github.com/crossview/crossview/server/internal/config"
)

// startTestSandbox runs the whole sandbox in-process on a free port.
func startTestSandbox(tb testing.TB, env ...string) (string, *sandboxRun) {
	tb.Helper()
	vars := map[string]string{}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	cfg, err := config.Load(func(k string) string { return vars[k] }, config.ModeSandbox)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	sb, err := startSandbox(ctx, cfg, logger, ln.Addr().(*net.TCPAddr))
	if err != nil {
		_ = ln.Close()
		tb.Fatal(err)
	}
	srv := &http.Server{Handler: sb.handler, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			tb.Errorf("serve: %v", err)
		}
	}()
	tb.Cleanup(func() {
		_ = srv.Close()
		sb.close()
	})
	return "http://" + ln.Addr().String(), sb
}

// sectionsJS reads the org sections the sidebar iframe shows.
const sectionsJS = `(() => {
  const f = document.getElementById('zaf-sidebar');
  const d = f && f.contentDocument;
  const panel = d && d.querySelector('[data-testid="panel"]');
  if (!panel || panel.getAttribute('data-ticket-id') !== f.getAttribute('data-ticket-id')) return null;
  return Array.from(panel.querySelectorAll('[data-testid="org-section"]')).map(s => ({
    name: s.querySelector('[data-testid="org-name"]').textContent,
    text: s.innerText,
    problem: (s.querySelector('[data-testid="org-problem"]') || {}).innerText || '',
    links: Array.from(s.querySelectorAll('a[href]')).map(a => a.href + ' ' + a.target),
  }));
})()`

type section struct {
	Name    string   `json:"name"`
	Text    string   `json:"text"`
	Problem string   `json:"problem"`
	Links   []string `json:"links"`
}

func waitSections(t *testing.T, ctx context.Context, extra string) []section {
	t.Helper()
	expr := sectionsJS
	if extra != "" {
		expr = `(() => { const s = ` + sectionsJS + `; return s && (` + extra + `) ? s : null })()`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		// A poll started just before a navigation fails with "target
		// navigated"; poll again on the new page.
		secs, err := chromedp.Run(ctx, chromedp.Poll[[]section](expr, chromedp.WithPollingTimeout(20*time.Second)))
		if err == nil {
			return secs
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sidebar did not render: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDemoSidebarInChromium loads /demo in a real browser: the real ZAF SDK
// inside the framed sidebar, the signed POST, the panel from two orgs, and
// one org made to fail.
func TestDemoSidebarInChromium(t *testing.T) {
	base, sb := startTestSandbox(t)
	ctx := browsertest.New(t, 1280, 2000)
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo?ticket=1")); err != nil {
		t.Fatal(err)
	}
	secs := waitSections(t, ctx, "")
	if len(secs) != 2 {
		t.Fatalf("%d org sections, want 2: %+v", len(secs), secs)
	}
	a, b := secs[0], secs[1]
	if a.Name != "Northwind Traders" || b.Name != "Northwind EMEA (UAT)" {
		t.Fatalf("org order/names: %q, %q", a.Name, b.Name)
	}
	for _, want := range []string{"Siobhan O'Brien", "Head of Finance", "Globex Corporation", "Globex – 200 seat expansion", "USD 48,000"} {
		if !strings.Contains(a.Text, want) {
			t.Errorf("org A lacks %q:\n%s", want, a.Text)
		}
	}
	// The recent cases are the org's own, or, once ticket sync (on in the
	// sandbox for this org) has run, the Cases it made of the customer's
	// tickets, which are newer.
	if !strings.Contains(a.Text, "VAT applied at 20% instead of 19% on INV-20931") && !strings.Contains(a.Text, "Invoice shows the wrong VAT rate") {
		t.Errorf("org A lists neither the customer's Case nor the one synced from their ticket:\n%s", a.Text)
	}
	if strings.Contains(a.Text, "Globex – Renewal 2026") {
		t.Error("a closed opportunity is listed as open")
	}
	if !strings.Contains(b.Text, "Globex GmbH") || !strings.Contains(strings.ToLower(b.Text), "sandbox") {
		t.Errorf("org B:\n%s", b.Text)
	}
	// Org B counts in euros and says so on each amount.
	if !strings.Contains(b.Text, "EUR 150,000") {
		t.Errorf("org B's amount lacks its currency:\n%s", b.Text)
	}
	orgA := sb.world.OrgSeeds[0].Org.InstanceURL()
	found := false
	for _, l := range a.Links {
		if strings.HasPrefix(l, orgA+"/lightning/r/Account/001") && strings.HasSuffix(l, "/view _blank") {
			found = true
		}
	}
	if !found {
		t.Errorf("no Lightning link to the Account opening in a new tab: %v", a.Links)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "demo.png", shot)
	shot, err = chromedp.Run(ctx, chromedp.Screenshot(`aside.demo__apps`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "sidebar.png", shot)

	// Make org B fail: its section names the failure, org A still renders.
	if err := chromedp.Do(ctx, chromedp.Click(`[data-testid="fail-b"]`)); err != nil {
		t.Fatal(err)
	}
	secs = waitSections(t, ctx, `s.length === 2 && s[1].problem !== ''`)
	if !strings.Contains(secs[1].Problem, "Salesforce unavailable") || !strings.Contains(secs[1].Problem, "503") {
		t.Errorf("failing org B shows %q", secs[1].Problem)
	}
	// The forced refresh failed, so the last good answer stays, labelled.
	if !strings.Contains(secs[1].Problem, "Showing the data fetched") || !strings.Contains(secs[1].Text, "Globex GmbH") {
		t.Errorf("failing org B should keep its earlier data, labelled:\n%s", secs[1].Text)
	}
	if secs[0].Problem != "" || !strings.Contains(secs[0].Text, "Globex Corporation") {
		t.Errorf("org A broke along with org B:\n%s", secs[0].Text)
	}
	shot, err = chromedp.Run(ctx, chromedp.Screenshot(`aside.demo__apps`))
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "sidebar-org-failing.png", shot)

	// A requester Salesforce does not know: each org says so.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/demo?ticket=6")); err != nil {
		t.Fatal(err)
	}
	secs = waitSections(t, ctx, "")
	if !strings.Contains(secs[0].Text, "No Contact or Lead in this org matches") {
		t.Errorf("no-match section:\n%s", secs[0].Text)
	}
}

// saveScreenshot writes a PNG into $CROSSVIEW_SCREENSHOTS (the README's
// pictures are made this way); without it the shot is only checked.
func saveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	if len(png) < 1000 {
		t.Fatalf("screenshot %s is %d bytes", name, len(png))
	}
	dir := os.Getenv("CROSSVIEW_SCREENSHOTS")
	if dir == "" {
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
