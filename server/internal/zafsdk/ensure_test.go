package zafsdk

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEnsureBuildsOnceThenReusesTheBundle(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, goodBuild)
	logger, logs := newLogger()

	path, err := Ensure(t.Context(), dir, logger)
	if err != nil {
		t.Fatalf("Ensure: %v", err)
	}
	if want := filepath.Join(dir, "dist", "zaf_sdk.min.js"); path != want {
		t.Errorf("path = %q, want %q", path, want)
	}
	if n := builds(t, dir); n != 1 {
		t.Fatalf("first call ran %d builds, want 1", n)
	}
	if !strings.Contains(logs.String(), "installing ZAF SDK from npm") {
		t.Errorf("the build was not announced; logs:\n%s", logs)
	}

	if _, err := Ensure(t.Context(), dir, nil); err != nil {
		t.Fatalf("second Ensure: %v", err)
	}
	if n := builds(t, dir); n != 1 {
		t.Errorf("second call rebuilt a fresh bundle (%d builds)", n)
	}
}

func TestEnsureRebuildsWhenInputsChange(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string)
	}{
		{"lockfile newer", func(t *testing.T, dir string) {
			// An hour ahead also proves the rebuilt bundle is then
			// stamped fresh rather than rebuilt on every call.
			future := time.Now().Add(time.Hour)
			if err := os.Chtimes(filepath.Join(dir, "package-lock.json"), future, future); err != nil {
				t.Fatal(err)
			}
		}},
		{"package.json newer", func(t *testing.T, dir string) {
			// The build script lives in package.json, so editing it counts.
			future := time.Now().Add(time.Minute)
			if err := os.Chtimes(filepath.Join(dir, "package.json"), future, future); err != nil {
				t.Fatal(err)
			}
		}},
		{"bundle deleted", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "dist", "zaf_sdk.min.js")); err != nil {
				t.Fatal(err)
			}
		}},
		{"bundle empty", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, "dist", "zaf_sdk.min.js"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := fakeAssets(t, goodBuild)
			if _, err := Ensure(t.Context(), dir, nil); err != nil {
				t.Fatal(err)
			}
			tc.change(t, dir)
			for range 2 {
				if _, err := Ensure(t.Context(), dir, nil); err != nil {
					t.Fatal(err)
				}
			}
			if n := builds(t, dir); n != 2 {
				t.Errorf("ran %d builds, want 2: one at first, one after the change, none after that", n)
			}
		})
	}
}

func TestEnsureBuildsOnceForConcurrentCallers(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, goodBuild)
	logger, logs := newLogger()
	const callers = 6
	var wg sync.WaitGroup
	paths := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { paths[i], errs[i] = Ensure(t.Context(), dir, logger) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if paths[i] != paths[0] {
			t.Errorf("caller %d got %q, caller 0 got %q", i, paths[i], paths[0])
		}
	}
	if n := builds(t, dir); n != 1 {
		t.Errorf("%d concurrent callers ran %d builds, want 1", callers, n)
	}
	if !strings.Contains(logs.String(), "waiting for another process") {
		t.Errorf("no caller reported waiting; logs:\n%s", logs)
	}
}

func TestEnsureGivesUpWaitingWhenCancelled(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, goodBuild)
	if err := os.MkdirAll(filepath.Join(dir, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lock(t.Context(), filepath.Join(dir, lockPath), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err = Ensure(ctx, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "waiting for the ZAF SDK build lock") {
		t.Fatalf("want a lock-wait error, got %v", err)
	}
	if n := builds(t, dir); n != 0 {
		t.Errorf("built %d times while another holder had the lock", n)
	}
}

func TestEnsureReportsBuildFailure(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, `
const fs = require("fs");
fs.mkdirSync("dist", {recursive: true});
fs.writeFileSync("dist/zaf_sdk.min.js", "var ZAFCl"); // half written
console.error("✘ [ERROR] Could not resolve \"./client\"");
process.exit(1);
`)
	_, err := Ensure(t.Context(), dir, nil)
	if err == nil {
		t.Fatal("Ensure succeeded with a failing build")
	}
	for _, want := range []string{"npm run build:zaf", `Could not resolve "./client"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, statErr := os.Stat(filepath.Join(dir, "dist", "zaf_sdk.min.js")); !os.IsNotExist(statErr) {
		t.Errorf("a failed build left its bundle behind (stat: %v)", statErr)
	}
}

func TestEnsureReportsABuildThatWritesNothing(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, `console.log("nothing to do")`)
	_, err := Ensure(t.Context(), dir, nil)
	if err == nil || !strings.Contains(err.Error(), "wrote no dist/zaf_sdk.min.js") {
		t.Fatalf("want a missing-output error, got %v", err)
	}
}

func TestEnsureNeedsNpm(t *testing.T) {
	// Not parallel: it empties PATH for the whole process.
	dir := fakeAssets(t, goodBuild)
	t.Setenv("PATH", t.TempDir())
	_, err := Ensure(t.Context(), dir, nil)
	if err == nil || !strings.Contains(err.Error(), "Node.js and npm are needed to build the ZAF SDK") {
		t.Fatalf("want the npm-missing error, got %v", err)
	}
}

func TestEnsureNeedsTheLockfile(t *testing.T) {
	t.Parallel()
	dir := fakeAssets(t, goodBuild)
	if err := os.Remove(filepath.Join(dir, "package-lock.json")); err != nil {
		t.Fatal(err)
	}
	_, err := Ensure(t.Context(), dir, nil)
	if err == nil || !strings.Contains(err.Error(), "package-lock.json is needed") {
		t.Fatalf("want a missing-lockfile error, got %v", err)
	}
}

func TestFindAssetsDir(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mkdir := func(p string) {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mkdir("mod/assets")
	mkdir("mod/server/internal/x")
	mkdir("bare/sub")
	for _, p := range []string{"mod/go.mod", "bare/go.mod"} {
		if err := os.WriteFile(filepath.Join(root, p), []byte("module x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		from, want, wantErr string
	}{
		{from: "mod", want: "mod/assets"},
		{from: "mod/server/internal/x", want: "mod/assets"},
		{from: "mod/assets", want: "mod/assets"},
		{from: "bare/sub", wantErr: "has no assets directory"},
	} {
		got, err := FindAssetsDir(filepath.Join(root, tc.from))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("FindAssetsDir(%s) = %q, %v; want error %q", tc.from, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != filepath.Join(root, tc.want) {
			t.Errorf("FindAssetsDir(%s) = %q, %v; want %s", tc.from, got, err, tc.want)
		}
	}
}
