package zafapp

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"
)

// testApp is an app package under construction: tests start from
// newTestApp, a valid app shaped like Crossview's, break one thing, and
// build it into an fs.FS.
type testApp struct {
	manifest     map[string]any // nil: no manifest.json
	rawManifest  []byte         // when set, written instead of manifest
	translations map[string]any
	files        fstest.MapFS
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	return &testApp{
		manifest: map[string]any{
			"name":             "Crossview",
			"author":           map[string]any{"name": "Crossview", "email": "dev@example.test", "url": "https://example.test"},
			"defaultLocale":    "en",
			"private":          true,
			"version":          "1.0.0",
			"frameworkVersion": "2.0",
			"signedUrls":       true,
			"location": map[string]any{
				"support": map[string]any{
					"ticket_sidebar": map[string]any{
						"url":      "{{setting.crossview_url}}/zendesk/sidebar",
						"flexible": true,
						"signed":   true,
						"size":     map[string]any{"height": "480px"},
					},
				},
			},
			"parameters": []any{
				map[string]any{"name": "crossview_url", "type": "url", "required": true, "secure": false},
			},
		},
		translations: map[string]any{
			"app": map[string]any{
				"name": "Crossview",
				"parameters": map[string]any{
					"crossview_url": map[string]any{"label": "Crossview URL", "helpText": "Base URL"},
				},
			},
		},
		files: fstest.MapFS{
			"assets/logo.png":       {Data: pngOfSize(t, 320, 320)},
			"assets/logo-small.png": {Data: pngOfSize(t, 128, 128)},
		},
	}
}

// build returns the package as a file system.
func (a *testApp) build(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, f := range a.files {
		fsys[name] = f
	}
	switch {
	case a.rawManifest != nil:
		fsys["manifest.json"] = &fstest.MapFile{Data: a.rawManifest}
	case a.manifest != nil:
		fsys["manifest.json"] = &fstest.MapFile{Data: mustJSON(t, a.manifest)}
	}
	if a.translations != nil {
		fsys["translations/en.json"] = &fstest.MapFile{Data: mustJSON(t, a.translations)}
	}
	return fsys
}

// sidebar returns the ticket_sidebar location object, for editing.
func (a *testApp) sidebar() map[string]any {
	return a.manifest["location"].(map[string]any)["support"].(map[string]any)["ticket_sidebar"].(map[string]any)
}

// appStrings returns the "app" object of translations/en.json.
func (a *testApp) appStrings() map[string]any {
	return a.translations["app"].(map[string]any)
}

// addParam appends a parameter and, with a label, its translation.
func (a *testApp) addParam(p map[string]any, label bool) {
	a.manifest["parameters"] = append(a.manifest["parameters"].([]any), p)
	if name, ok := p["name"].(string); ok && label {
		a.appStrings()["parameters"].(map[string]any)[name] = map[string]any{"label": name}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func pngOfSize(t *testing.T, w, h int) []byte {
	t.Helper()
	// Paletted keeps encoding and decoding cheap under -race.
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.White, color.NRGBA{R: 3, G: 54, B: 61, A: 255}})
	img.SetColorIndex(0, 0, 1)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// want describes one expected problem; a nil *want means the app must be
// accepted with no problem at all.
type want struct {
	severity, file, text string
}

// validationCase is one row of the table tests: an edit to the valid test
// app, and the problem it must cause.
type validationCase struct {
	name string
	edit func(a *testApp)
	want *want
}

func runCases(t *testing.T, cases []validationCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestApp(t)
			tc.edit(a)
			problems, err := Validate(a.build(t))
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			checkProblems(t, problems, tc.want)
		})
	}
}

func checkProblems(t *testing.T, problems []Problem, w *want) {
	t.Helper()
	if w == nil {
		if len(problems) > 0 {
			t.Fatalf("want no problems, got:\n%s", formatProblems(problems))
		}
		return
	}
	for _, p := range problems {
		if p.Severity == w.severity && p.File == w.file && strings.Contains(p.Message, w.text) {
			if w.severity == SeverityWarning && HasErrors(problems) {
				t.Fatalf("a warning case must not block the app, got:\n%s", formatProblems(problems))
			}
			return
		}
	}
	t.Fatalf("want %s in %s containing %q, got:\n%s", w.severity, w.file, w.text, formatProblems(problems))
}

func formatProblems(problems []Problem) string {
	if len(problems) == 0 {
		return "  (none)"
	}
	var b strings.Builder
	for _, p := range problems {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func errorIn(file, text string) *want   { return &want{SeverityError, file, text} }
func warningIn(file, text string) *want { return &want{SeverityWarning, file, text} }
