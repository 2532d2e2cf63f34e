package zafsdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Paths inside the assets directory.
const (
	bundlePath = "dist/zaf_sdk.min.js"
	// The lock lives in dist/ (git-ignored, and unlike node_modules/ never
	// deleted by npm ci while a build holds it).
	lockPath = "dist/.zaf_sdk.lock"
)

// inputs are the npm files whose change calls for a new bundle.
func inputs() []string { return []string{"package.json", "package-lock.json"} }

// Ensure returns the path of the built SDK bundle under assetsDir, building
// it with npm when it is missing or older than package-lock.json (or
// package.json, which holds the build script). It is safe to call from
// several processes at once: the build runs under an exclusive flock on a
// lock file in assetsDir, and a caller that finds the lock taken waits for
// it, then uses the bundle the other process built. Progress goes to
// logger, which may be nil.
func Ensure(ctx context.Context, assetsDir string, logger *slog.Logger) (string, error) {
	return ensure(ctx, assetsDir, nil, logger)
}

// ensure is Ensure with a prepare step that runs under the lock before
// the bundle's freshness is judged (EnsureCached writes the npm files).
func ensure(ctx context.Context, assetsDir string, prepare func() error, logger *slog.Logger) (string, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	bundle := filepath.Join(assetsDir, bundlePath)
	if err := os.MkdirAll(filepath.Dir(bundle), 0o755); err != nil {
		return "", fmt.Errorf("zafsdk: creating %s: %w", filepath.Dir(bundle), err)
	}
	unlock, err := lock(ctx, filepath.Join(assetsDir, lockPath), logger)
	if err != nil {
		return "", err
	}
	defer unlock()
	if prepare != nil {
		if err := prepare(); err != nil {
			return "", err
		}
	}

	newest, err := newestInput(assetsDir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(bundle); err == nil && fi.Size() > 0 && !fi.ModTime().Before(newest) {
		return bundle, nil
	}

	start := time.Now()
	if err := build(ctx, assetsDir, logger); err != nil {
		// Never leave a half-written bundle that would look fresh.
		_ = os.Remove(bundle)
		return "", err
	}
	fi, err := os.Stat(bundle)
	if err != nil || fi.Size() == 0 {
		return "", fmt.Errorf("zafsdk: npm run build:zaf succeeded but wrote no %s", bundlePath)
	}
	// Stamp the bundle no older than its inputs, even if they carry
	// timestamps from the future (a checkout on a skewed clock), so the
	// next call does not rebuild.
	stamp := time.Now()
	if newest.After(stamp) {
		stamp = newest
	}
	if err := os.Chtimes(bundle, stamp, stamp); err != nil {
		return "", fmt.Errorf("zafsdk: stamping %s: %w", bundle, err)
	}
	logger.Info("ZAF SDK ready", "path", bundle, "bytes", fi.Size(), "took", time.Since(start).Round(time.Millisecond))
	return bundle, nil
}

// newestInput returns the latest modification time of the npm inputs.
func newestInput(assetsDir string) (time.Time, error) {
	var newest time.Time
	for _, name := range inputs() {
		fi, err := os.Stat(filepath.Join(assetsDir, name))
		if err != nil {
			return time.Time{}, fmt.Errorf("zafsdk: %s is needed to build the ZAF SDK: %w", name, err)
		}
		if fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	return newest, nil
}

// build installs the pinned npm packages and bundles the SDK.
func build(ctx context.Context, assetsDir string, logger *slog.Logger) error {
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("zafsdk: Node.js and npm are needed to build the ZAF SDK (npm is not on PATH): %w", err)
	}
	logger.Info("installing ZAF SDK from npm…", "dir", assetsDir)
	if err := npm(ctx, assetsDir, "ci", "--no-audit", "--no-fund"); err != nil {
		return err
	}
	logger.Info("bundling ZAF SDK with esbuild…")
	return npm(ctx, assetsDir, "run", "build:zaf")
}

// maxOutput bounds how much of a failed command's output an error carries:
// the end, where npm puts the reason.
const maxOutput = 4 << 10

func npm(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "npm", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	}
	text := strings.TrimSpace(string(out))
	if len(text) > maxOutput {
		text = "…" + text[len(text)-maxOutput:]
	}
	return fmt.Errorf("zafsdk: npm %s in %s: %w\n%s", strings.Join(args, " "), dir, err, text)
}

// FindAssetsDir walks up from dir to the directory holding go.mod and
// returns its assets/ directory.
func FindAssetsDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("zafsdk: resolving %s: %w", dir, err)
	}
	for d := abs; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			assets := filepath.Join(d, "assets")
			if fi, err := os.Stat(assets); err != nil || !fi.IsDir() {
				return "", fmt.Errorf("zafsdk: module root %s has no assets directory", d)
			}
			return assets, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("zafsdk: looking for go.mod in %s: %w", d, err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("zafsdk: no go.mod in %s or any directory above it", abs)
		}
		d = parent
	}
}
