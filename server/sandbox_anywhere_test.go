package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBuiltSandboxRunsAnywhere builds the crossview binary and runs its
// sandbox from an empty directory, far from the repository, with a fresh
// home: it must build the ZAF SDK into the user cache directory and serve
// /demo with it.
func TestBuiltSandboxRunsAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and the ZAF SDK with npm")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatal("the sandbox builds the ZAF SDK with npm, which is not on PATH")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()

	bin := filepath.Join(t.TempDir(), "crossview")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// Reuse the machine's npm download cache when there is one: the test
	// is about where Crossview puts its build, not about downloading
	// packages again.
	npmCache, _ := exec.CommandContext(ctx, npm, "config", "get", "cache").Output()

	work, home := t.TempDir(), t.TempDir()
	cacheHome := filepath.Join(home, "cache")
	cmd := exec.CommandContext(ctx, bin, "sandbox")
	cmd.Dir = work
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + cacheHome,
		"CROSSVIEW_ADDR=127.0.0.1:0",
		"CROSSVIEW_LOG_LEVEL=warn",
	}
	if c := strings.TrimSpace(string(npmCache)); c != "" {
		cmd.Env = append(cmd.Env, "npm_config_cache="+c)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()

	base := readDemoURL(t, stdout, stderr)
	// Do what /demo does: post its signed token into the sidebar frame.
	page := httpGet(t, ctx, base+"/demo")
	m := regexp.MustCompile(`name="token" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("/demo carries no signed token:\n%s", page)
	}
	sidebar := httpPostForm(t, ctx, base+"/zendesk/sidebar?origin="+url.QueryEscape(base)+"&app_guid=anywhere", url.Values{"token": {m[1]}})
	if !strings.Contains(sidebar, `src="/assets/vendor/zaf_sdk.min.js"`) {
		t.Fatalf("the sidebar does not load the sandbox's own ZAF SDK:\n%s", sidebar)
	}
	sdk := httpGet(t, ctx, base+"/assets/vendor/zaf_sdk.min.js")
	if len(sdk) < 5<<10 || !strings.Contains(sdk, "ZAFClient") {
		t.Fatalf("the served ZAF SDK is %d bytes and lacks ZAFClient", len(sdk))
	}

	bundles, err := filepath.Glob(filepath.Join(cacheHome, "crossview", "zaf-sdk", "*", "dist", "zaf_sdk.min.js"))
	if err != nil || len(bundles) != 1 {
		t.Errorf("want one bundle in the user cache directory, found %v (%v)", bundles, err)
	}
	if left, _ := os.ReadDir(work); len(left) > 0 {
		t.Errorf("the sandbox wrote into the directory it was started from: %v", left)
	}
}

// readDemoURL waits for the sandbox's "Open <url>/demo" line.
func readDemoURL(t *testing.T, stdout io.Reader, stderr *lockedBuffer) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`Open (http://\S+)/demo`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("the sandbox exited before serving; stderr:\n%s", stderr.String())
		}
		return u
	case <-time.After(4 * time.Minute):
		t.Fatalf("the sandbox did not start in 4 minutes; stderr:\n%s", stderr.String())
	}
	return ""
}

func httpGet(t *testing.T, ctx context.Context, target string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	return doRequest(t, req)
}

func httpPostForm(t *testing.T, ctx context.Context, target string, form url.Values) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return doRequest(t, req)
}

func doRequest(t *testing.T, req *http.Request) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v", req.Method, req.URL, resp.StatusCode, err)
	}
	return string(body)
}

// lockedBuffer collects a child process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
