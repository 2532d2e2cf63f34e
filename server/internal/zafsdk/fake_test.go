package zafsdk

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeAssets makes an assets directory whose npm project has no
// dependencies (so npm ci works offline in a blink) and whose build:zaf
// script runs buildJS with node. Each build appends a line to builds.log.
func fakeAssets(t *testing.T, buildJS string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"package.json": `{"name": "fake-assets", "version": "1.0.0", "private": true,
			"scripts": {"build:zaf": "node build.js"}}`,
		"package-lock.json": `{"name": "fake-assets", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
			"packages": {"": {"name": "fake-assets", "version": "1.0.0"}}}`,
		"build.js": buildJS,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goodBuild stands in for esbuild: it takes a moment, so concurrent callers
// overlap, then writes a bundle.
const goodBuild = `
const fs = require("fs");
fs.appendFileSync("builds.log", "build\n");
const until = Date.now() + 300;
while (Date.now() < until) {}
fs.mkdirSync("dist", {recursive: true});
fs.writeFileSync("dist/zaf_sdk.min.js", "var ZAFClient={init:function(){return false}};");
`

// builds counts how often the fake build ran.
func builds(t *testing.T, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "builds.log"))
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(data), "build\n")
}

// logBuffer is a logger whose output the test reads; safe for concurrent
// callers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	return slog.New(slog.NewTextHandler(lb, nil)), lb
}
