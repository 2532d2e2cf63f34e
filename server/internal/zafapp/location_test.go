package zafapp

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestLocationRules(t *testing.T) {
	t.Parallel()
	const mf = "manifest.json"
	setURL := func(u string) func(a *testApp) {
		return func(a *testApp) { a.sidebar()["url"] = u }
	}
	support := func(a *testApp) map[string]any {
		return a.manifest["location"].(map[string]any)["support"].(map[string]any)
	}
	runCases(t, []validationCase{
		{"http URL", setURL("http://crossview.example.test/zendesk/sidebar"),
			errorIn(mf, `url "http://crossview.example.test/zendesk/sidebar" must use https`)},
		{"https URL", setURL("https://crossview.example.test/zendesk/sidebar"), nil},
		{"http on localhost", setURL("http://localhost:8080/zendesk/sidebar"), nil},
		{"http on another loopback name", setURL("http://127.0.0.1:8080/zendesk/sidebar"),
			errorIn(mf, "must use https")},
		{"relative URL outside assets", setURL("sidebar.html"),
			errorIn(mf, `relative url "sidebar.html" must point into assets/`)},
		{"protocol-relative URL", setURL("//crossview.example.test/zendesk/sidebar"),
			errorIn(mf, "must point into assets/")},
		{"relative URL to a missing asset", setURL("assets/sidebar.html"),
			errorIn(mf, `url "assets/sidebar.html" names a file that is not in the package`)},
		{"relative URL to a present asset", func(a *testApp) {
			a.sidebar()["url"] = "assets/sidebar.html?v=1"
			a.files["assets/sidebar.html"] = &fstest.MapFile{Data: []byte("<!doctype html>")}
		}, nil},
		{"relative URL to an asset .zcliignore drops", func(a *testApp) {
			a.sidebar()["url"] = "assets/sidebar.html"
			a.files["assets/sidebar.html"] = &fstest.MapFile{Data: []byte("<!doctype html>")}
			a.files[".zcliignore"] = &fstest.MapFile{Data: []byte("assets/*.html\n")}
		}, errorIn(mf, "names a file that is not in the package")},
		{"URL from an undeclared setting", setURL("{{setting.base_url}}/zendesk/sidebar"),
			errorIn(mf, `url uses {{setting.base_url}} but no parameter "base_url" is declared`)},
		{"legacy v1 URL stub", setURL("_legacy"),
			errorIn(mf, `framework 2.0 locations must be URLs, not "_legacy"`)},
		{"no URL", func(a *testApp) { delete(a.sidebar(), "url") },
			errorIn(mf, "location.support.ticket_sidebar has no url")},
		{"no URL but autoLoad off", func(a *testApp) {
			delete(a.sidebar(), "url")
			a.sidebar()["autoLoad"] = false
		}, nil},
		{"unknown location", func(a *testApp) { support(a)["ticket_sidebarr"] = map[string]any{"url": "https://x.example.test"} },
			errorIn(mf, `unknown location "ticket_sidebarr"`)},
		{"location of another product", func(a *testApp) { support(a)["chat_sidebar"] = map[string]any{"url": "https://x.example.test"} },
			errorIn(mf, `location.support: unknown location "chat_sidebar"`)},
		{"unknown product", func(a *testApp) {
			a.manifest["location"].(map[string]any)["supporrt"] = map[string]any{}
		}, errorIn(mf, `unknown product "supporrt"`)},
		{"legacy product name", func(a *testApp) {
			loc := a.manifest["location"].(map[string]any)
			loc["zendesk"] = loc["support"]
			delete(loc, "support")
		}, nil},
		{"chat location", func(a *testApp) {
			a.manifest["location"].(map[string]any)["chat"] = map[string]any{"chat_sidebar": "https://x.example.test/chat"}
		}, nil},
		{"product value not an object", func(a *testApp) { a.manifest["location"].(map[string]any)["support"] = "ticket_sidebar" },
			errorIn(mf, "location.support must be an object of locations")},
		{"v1 array form", func(a *testApp) { a.manifest["location"] = []any{"ticket_sidebar"} },
			errorIn(mf, "the array form is framework v1's")},
		{"no location at all", func(a *testApp) { a.manifest["location"] = map[string]any{"support": map[string]any{}} },
			errorIn(mf, "missing required key(s): location")},
		{"misspelt option", func(a *testApp) { a.sidebar()["singed"] = true },
			errorIn(mf, `unknown option "singed"`)},
		{"flexible as a string", func(a *testApp) { a.sidebar()["flexible"] = "yes" },
			errorIn(mf, `flexible must be true or false, not "yes"`)},
		{"signed as a string", func(a *testApp) { a.sidebar()["signed"] = "true" },
			errorIn(mf, "signed must be true or false")},
		{"autoLoad as a number", func(a *testApp) { a.sidebar()["autoLoad"] = 0 },
			errorIn(mf, "autoLoad must be true or false")},
		{"size as a string", func(a *testApp) { a.sidebar()["size"] = "480px" },
			errorIn(mf, "size must be an object with width and/or height")},
		{"size height as a number", func(a *testApp) { a.sidebar()["size"] = map[string]any{"height": 480} },
			errorIn(mf, `size.height must be a CSS length string like "480px", not 480`)},
		{"size with depth", func(a *testApp) { a.sidebar()["size"] = map[string]any{"depth": "2px"} },
			errorIn(mf, `size may only hold width and height, not "depth"`)},
		{"size with width and height", func(a *testApp) {
			a.sidebar()["size"] = map[string]any{"width": "100%", "height": "480px"}
		}, nil},
		{"objectTypes not strings", func(a *testApp) { a.sidebar()["objectTypes"] = []any{1} },
			errorIn(mf, "objectTypes must be an array of strings")},
		{"URL shorthand over http", func(a *testApp) { support(a)["background"] = "http://x.example.test/bg" },
			errorIn(mf, "location.support.background: url \"http://x.example.test/bg\" must use https")},
		{"URL shorthand to an asset", func(a *testApp) {
			support(a)["background"] = "assets/background.html"
			a.files["assets/background.html"] = &fstest.MapFile{Data: []byte("<!doctype html>")}
		}, nil},
	})
}

func TestSettingReferences(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"{{setting.base}}/zendesk/sidebar", []string{"base"}},
		{"https://{{setting.host}}:{{setting.port}}/x", []string{"host", "port"}},
		{"{{setting.open", nil},
		{"https://example.test/", nil},
	} {
		if diff := cmp.Diff(tc.want, settingReferences(tc.in)); diff != "" {
			t.Errorf("settingReferences(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}
