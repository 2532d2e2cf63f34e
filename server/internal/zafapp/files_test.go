package zafapp

import (
	"testing"
	"testing/fstest"
)

func TestLogoRules(t *testing.T) {
	t.Parallel()
	const logo, small = "assets/logo.png", "assets/logo-small.png"
	tiny, tall, large := pngOfSize(t, 100, 100), pngOfSize(t, 320, 319), pngOfSize(t, 320, 320)
	runCases(t, []validationCase{
		{"large logo wrong size", func(a *testApp) { a.files[logo].Data = tiny },
			errorIn(logo, "is 100×100 pixels; it must be 320×320")},
		{"large logo not square", func(a *testApp) { a.files[logo].Data = tall },
			errorIn(logo, "is 320×319 pixels")},
		{"small logo wrong size", func(a *testApp) { a.files[small].Data = large },
			errorIn(small, "is 320×320 pixels; it must be 128×128")},
		{"logo not a PNG", func(a *testApp) { a.files[logo].Data = []byte("GIF89a....") },
			errorIn(logo, "not a valid PNG image")},
		{"logo truncated", func(a *testApp) { d := a.files[logo].Data; a.files[logo].Data = d[:len(d)-20] },
			errorIn(logo, "not a valid PNG image")},
		{"private app without a logo", func(a *testApp) { delete(a.files, small) },
			warningIn(small, "missing; Zendesk will show a default icon")},
		{"public app without a logo", func(a *testApp) {
			a.manifest["private"] = false
			s := a.appStrings()
			s["short_description"], s["long_description"], s["installation_instructions"] = "a", "b", "c"
			delete(a.files, logo)
		}, errorIn(logo, "missing; a public app needs a 320×320 PNG")},
	})
}

func TestMimeRules(t *testing.T) {
	t.Parallel()
	file := func(name string, data []byte) func(a *testApp) {
		return func(a *testApp) { a.files[name] = &fstest.MapFile{Data: data} }
	}
	runCases(t, []validationCase{
		{"pdf", file("assets/manual.pdf", []byte("%PDF-1.7")), errorIn("assets/manual.pdf", "pdf files are not allowed")},
		{"zip by extension", file("assets/bundle.ZIP", []byte("x")), errorIn("assets/bundle.ZIP", "zip files are not allowed")},
		{"zip renamed to js", file("assets/app.js", []byte("PK\x03\x04\x14\x00")), errorIn("assets/app.js", "zip files are not allowed")},
		{"gzip renamed", file("assets/app.css", []byte("\x1f\x8b\x08\x00")), errorIn("assets/app.css", "gzip files")},
		{"rar renamed", file("assets/a.bin2", []byte("Rar!\x1a\x07\x01\x00")), errorIn("assets/a.bin2", "rar files")},
		{"7z renamed", file("assets/a.dat", []byte("7z\xbc\xaf\x27\x1c\x00\x04")), errorIn("assets/a.dat", "7z files")},
		{"bzip2 renamed", file("assets/a.dat", []byte("BZh91AY&SY\x00")), errorIn("assets/a.dat", "bz2 files")},
		{"office document renamed", file("assets/a.dat", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")), errorIn("assets/a.dat", "doc files")},
		{"mp3 renamed", file("assets/ding.ogg", []byte("ID3\x03\x00")), errorIn("assets/ding.ogg", "mp3 files")},
		{"shell script", file("install.sh", []byte("#!/bin/sh\n")), errorIn("install.sh", "sh files are not allowed")},
		{"jar", file("lib/x.jar", []byte("x")), errorIn("lib/x.jar", "jar files")},
		{"docx", file("docs/guide.docx", []byte("x")), errorIn("docs/guide.docx", "docx files")},
		{"text mentioning BZh", file("assets/notes.txt", []byte("BZh is bzip2's magic")), nil},
		{"html and js are fine", func(a *testApp) {
			a.files["assets/iframe.html"] = &fstest.MapFile{Data: []byte("<!doctype html>")}
			a.files["assets/main.js"] = &fstest.MapFile{Data: []byte("ZAFClient.init()")}
			a.files["assets/empty.css"] = &fstest.MapFile{Data: nil}
		}, nil},
		{"zips zcli leaves in tmp/", file("tmp/app-20260101.zip", []byte("PK\x03\x04")), nil},
		{"dot files are not packaged", file(".cache/old.zip", []byte("PK\x03\x04")), nil},
		{"files .zcliignore drops", func(a *testApp) {
			a.files["docs/manual.pdf"] = &fstest.MapFile{Data: []byte("%PDF-1.7")}
			a.files[".zcliignore"] = &fstest.MapFile{Data: []byte("# docs stay out\r\n\r\ndocs/**\r\n")}
		}, nil},
		{"a bare directory name drops nothing", func(a *testApp) {
			a.files["docs/manual.pdf"] = &fstest.MapFile{Data: []byte("%PDF-1.7")}
			a.files[".zcliignore"] = &fstest.MapFile{Data: []byte("docs\n")}
		}, errorIn("docs/manual.pdf", "pdf files")},
		{"files .zcliignore does not drop", func(a *testApp) {
			a.files["docs/manual.pdf"] = &fstest.MapFile{Data: []byte("%PDF-1.7")}
			a.files[".zcliignore"] = &fstest.MapFile{Data: []byte("doc/**\n")}
		}, errorIn("docs/manual.pdf", "pdf files")},
	})
}

func TestGlobMatch(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"tmp/**", "tmp/app.zip", true},
		{"tmp/**", "tmp", true},
		{"tmp/**", "tmp/a/b/c.zip", true},
		{"tmp/**", "assets/tmp/x", false},
		{"README.md", "README.md", true},
		{"README.md", "docs/README.md", false},
		{"**/*.map", "assets/js/app.js.map", true},
		{"**/*.map", "app.js.map", true},
		{"assets/*.svg", "assets/logo.svg", true},
		{"assets/*.svg", "assets/icons/logo.svg", false},
		{"assets/logo.???", "assets/logo.svg", true},
		{"[", "[", false}, // malformed patterns match nothing
	} {
		if got := ignored([]string{tc.pattern}, tc.name); got != tc.want {
			t.Errorf("pattern %q on %q = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
