package zafsdk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
)

// EnsureCached builds the bundle from project — the npm files, as a
// binary embeds them — in a directory of its own under cacheRoot:
// crossview/zaf-sdk/<hash of the files>/. So a binary builds the SDK
// wherever it runs, two versions of the npm files never share a build, and
// one build serves every later start. Concurrent starts are safe as with
// Ensure. It returns the bundle's path.
func EnsureCached(ctx context.Context, cacheRoot string, project fs.FS, logger *slog.Logger) (string, error) {
	files, err := readProject(project)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cacheRoot, "crossview", "zaf-sdk", files.hash())
	return ensure(ctx, dir, func() error { return files.writeTo(dir) }, logger)
}

// SameProject reports whether assetsDir holds project's files unchanged,
// so that a checkout's own build (assets/dist) can serve.
func SameProject(assetsDir string, project fs.FS) bool {
	files, err := readProject(project)
	if err != nil {
		return false
	}
	for name, data := range files {
		have, err := os.ReadFile(filepath.Join(assetsDir, name))
		if err != nil || !bytes.Equal(have, data) {
			return false
		}
	}
	return true
}

// projectFiles are the top-level files of an npm project, by name.
type projectFiles map[string][]byte

func readProject(project fs.FS) (projectFiles, error) {
	entries, err := fs.ReadDir(project, ".")
	if err != nil {
		return nil, fmt.Errorf("zafsdk: reading the npm project: %w", err)
	}
	files := projectFiles{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if files[e.Name()], err = fs.ReadFile(project, e.Name()); err != nil {
			return nil, fmt.Errorf("zafsdk: reading %s: %w", e.Name(), err)
		}
	}
	for _, name := range inputs() {
		if _, ok := files[name]; !ok {
			return nil, fmt.Errorf("zafsdk: %s is needed to build the ZAF SDK and is not in the npm project", name)
		}
	}
	return files, nil
}

// hash names a version of the files: the first 16 hex digits of a SHA-256
// over every name and content.
func (p projectFiles) hash() string {
	names := make([]string, 0, len(p))
	for name := range p {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(p[name]))
		h.Write(p[name])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// writeTo writes the files into dir, leaving alone those already there
// unchanged so their modification times keep the bundle fresh.
func (p projectFiles) writeTo(dir string) error {
	for name, data := range p {
		path := filepath.Join(dir, name)
		if have, err := os.ReadFile(path); err == nil && bytes.Equal(have, data) {
			continue
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return fmt.Errorf("zafsdk: writing %s: %w", path, err)
		}
	}
	return nil
}
