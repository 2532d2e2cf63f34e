package zafsdk

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// fakeProject is the npm project of fakeAssets as a file system, as the
// binary embeds the real one.
func fakeProject(t *testing.T, buildJS string) fstest.MapFS {
	t.Helper()
	dir := fakeAssets(t, buildJS)
	project := fstest.MapFS{}
	for _, name := range []string{"package.json", "package-lock.json", "build.js"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		project[name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
	return project
}

func TestEnsureCachedBuildsUnderTheCacheRoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	project := fakeProject(t, goodBuild)

	path, err := EnsureCached(t.Context(), root, project, nil)
	if err != nil {
		t.Fatalf("EnsureCached: %v", err)
	}
	dir := filepath.Dir(filepath.Dir(path))
	if filepath.Dir(dir) != filepath.Join(root, "crossview", "zaf-sdk") || filepath.Base(path) != "zaf_sdk.min.js" {
		t.Fatalf("bundle at %s, want <root>/crossview/zaf-sdk/<hash>/dist/zaf_sdk.min.js", path)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), "ZAFClient") {
		t.Fatalf("bundle: %q, %v", b, err)
	}

	again, err := EnsureCached(t.Context(), root, project, nil)
	if err != nil || again != path {
		t.Fatalf("second call: %q, %v; want %q", again, err, path)
	}
	if n := builds(t, dir); n != 1 {
		t.Errorf("two starts ran %d builds, want 1", n)
	}
}

func TestEnsureCachedKeepsVersionsApart(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	older := fakeProject(t, goodBuild)
	newer := fakeProject(t, goodBuild)
	newer["package-lock.json"].Data = []byte(strings.Replace(string(newer["package-lock.json"].Data), `"requires": true`, `"requires": false`, 1))

	a, err := EnsureCached(t.Context(), root, older, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EnsureCached(t.Context(), root, newer, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatalf("two lock files share one bundle: %s", a)
	}
	// Each keeps its own build: going back to the older one builds nothing.
	if _, err := EnsureCached(t.Context(), root, older, nil); err != nil {
		t.Fatal(err)
	}
	if n := builds(t, filepath.Dir(filepath.Dir(a))); n != 1 {
		t.Errorf("the older project was built %d times, want 1", n)
	}
}

func TestEnsureCachedBuildsOnceForConcurrentStarts(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	project := fakeProject(t, goodBuild)
	const callers = 4
	var wg sync.WaitGroup
	paths := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { paths[i], errs[i] = EnsureCached(t.Context(), root, project, nil) })
	}
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || paths[i] != paths[0] {
			t.Fatalf("caller %d: %q, %v (caller 0: %q)", i, paths[i], errs[i], paths[0])
		}
	}
	if n := builds(t, filepath.Dir(filepath.Dir(paths[0]))); n != 1 {
		t.Errorf("%d concurrent starts ran %d builds, want 1", callers, n)
	}
}

func TestSameProject(t *testing.T) {
	t.Parallel()
	project := fakeProject(t, goodBuild)
	dir := t.TempDir()
	for name, f := range project {
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !SameProject(dir, project) {
		t.Error("a directory holding the project's files is not the same project")
	}
	if err := os.WriteFile(filepath.Join(dir, "package-lock.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if SameProject(dir, project) {
		t.Error("a directory with another lock file is the same project")
	}
	if SameProject(t.TempDir(), project) {
		t.Error("an empty directory is the same project")
	}
}
