package zafapp

import "testing"

func TestManifestRules(t *testing.T) {
	t.Parallel()
	const mf = "manifest.json"
	runCases(t, []validationCase{
		{"no manifest", func(a *testApp) { a.manifest = nil },
			errorIn(mf, "no manifest.json")},
		{"manifest is not JSON", func(a *testApp) { a.rawManifest = []byte(`{"name": "Crossview",}`) },
			errorIn(mf, "not valid JSON")},
		{"manifest is an array", func(a *testApp) { a.rawManifest = []byte(`[]`) },
			errorIn(mf, "must hold a JSON object")},
		{"duplicate key", func(a *testApp) {
			a.rawManifest = []byte(`{"signedUrls": true, "signedUrls": false}`)
		}, errorIn(mf, `duplicate key "signedUrls"`)},
		{"author missing", func(a *testApp) { delete(a.manifest, "author") },
			errorIn(mf, "missing required key(s): author")},
		{"defaultLocale missing", func(a *testApp) { delete(a.manifest, "defaultLocale") },
			errorIn(mf, "missing required key(s): defaultLocale")},
		{"location missing", func(a *testApp) { delete(a.manifest, "location") },
			errorIn(mf, "missing required key(s): location")},
		{"frameworkVersion missing", func(a *testApp) { delete(a.manifest, "frameworkVersion") },
			errorIn(mf, "missing required key(s): frameworkVersion")},
		{"frameworkVersion 1.0", func(a *testApp) { a.manifest["frameworkVersion"] = "1.0" },
			errorIn(mf, `frameworkVersion "1.0" is not supported; use one of: 2.0`)},
		{"frameworkVersion as a number", func(a *testApp) { a.manifest["frameworkVersion"] = 2 },
			errorIn(mf, "frameworkVersion must be a string, not 2")},
		{"signedUrls as a string", func(a *testApp) { a.manifest["signedUrls"] = "true" },
			errorIn(mf, `signedUrls must be true or false, not "true"`)},
		{"private as a string", func(a *testApp) { a.manifest["private"] = "yes" },
			errorIn(mf, "private must be true or false")},
		{"singleInstall as a number", func(a *testApp) { a.manifest["singleInstall"] = 1 },
			errorIn(mf, "singleInstall must be true or false")},
		{"version as a number", func(a *testApp) { a.manifest["version"] = 1.0 },
			errorIn(mf, "version must be a string")},
		{"defaultLocale as a number", func(a *testApp) { a.manifest["defaultLocale"] = 7 },
			errorIn(mf, "defaultLocale must be a string")},
		{"author as a string", func(a *testApp) { a.manifest["author"] = "Crossview" },
			errorIn(mf, "author must be an object")},
		{"author email as a number", func(a *testApp) { a.manifest["author"].(map[string]any)["email"] = 42 },
			errorIn(mf, "author.email must be a string")},
		{"author url without http", func(a *testApp) { a.manifest["author"].(map[string]any)["url"] = "example.test" },
			errorIn(mf, `author.url must start with http:// or https://, not "example.test"`)},
		{"termsConditionsURL without http", func(a *testApp) { a.manifest["termsConditionsURL"] = "ftp://example.test/terms" },
			errorIn(mf, "termsConditionsURL must start with http")},
		{"domainWhitelist with a number", func(a *testApp) { a.manifest["domainWhitelist"] = []any{"example.test", 3} },
			errorIn(mf, "domainWhitelist must be an array of strings")},
		{"domainWhitelist of strings is fine", func(a *testApp) { a.manifest["domainWhitelist"] = []any{"example.test"} },
			nil},
		{"parameters as an object", func(a *testApp) { a.manifest["parameters"] = map[string]any{"crossview_url": "url"} },
			errorIn(mf, "parameters must be an array, not object")},
		{"experiments as an array", func(a *testApp) { a.manifest["experiments"] = []any{"hashParams"} },
			errorIn(mf, "experiments must be an object")},
		{"noTemplate in a 2.0 app", func(a *testApp) { a.manifest["noTemplate"] = true },
			errorIn(mf, "noTemplate is not supported")},
		{"noTemplate false is fine", func(a *testApp) { a.manifest["noTemplate"] = false },
			nil},
		{"misspelt key", func(a *testApp) { a.manifest["signedURLs"] = true },
			warningIn(mf, `unknown key "signedURLs"`)},
		{"defaultLocale not a locale", func(a *testApp) { a.manifest["defaultLocale"] = "english" },
			errorIn(mf, `defaultLocale "english" is not a locale name`)},
		{"defaultLocale without its translation file", func(a *testApp) { a.manifest["defaultLocale"] = "fr" },
			errorIn(mf, `defaultLocale is "fr" but translations/fr.json is missing`)},
		{"default translation file missing", func(a *testApp) { a.translations = nil },
			errorIn(mf, "translations/en.json is missing")},
		{"requirementsOnly app with a location", func(a *testApp) {
			a.manifest["requirementsOnly"] = true
			delete(a.manifest, "frameworkVersion")
		}, errorIn(mf, "must not declare locations")},
		{"requirementsOnly app with a frameworkVersion", func(a *testApp) {
			a.manifest["requirementsOnly"] = true
			delete(a.manifest, "location")
		}, errorIn(mf, "must not set frameworkVersion")},
		{"requirementsOnly app needs neither", func(a *testApp) {
			a.manifest["requirementsOnly"] = true
			delete(a.manifest, "location")
			delete(a.manifest, "frameworkVersion")
		}, nil},
		{"private marketingOnly app", func(a *testApp) {
			a.manifest["marketingOnly"] = true
			delete(a.manifest, "location")
			delete(a.manifest, "frameworkVersion")
		}, errorIn(mf, "a marketingOnly app cannot be private")},
		{"marketingOnly app with parameters", func(a *testApp) {
			a.manifest["marketingOnly"] = true
			a.manifest["private"] = false
		}, errorIn(mf, "a marketingOnly app may not declare parameters")},
	})
}

func TestValidLocale(t *testing.T) {
	t.Parallel()
	for locale, want := range map[string]bool{
		"en": true, "fil": true, "pt-br": true, "pt-BR": true, "zh-Hant": false, "es-419": true,
		"e": false, "engl": false, "EN": false, "en-": false, "en-b": false, "en_us": false, "": false,
	} {
		if got := validLocale(locale); got != want {
			t.Errorf("validLocale(%q) = %v, want %v", locale, got, want)
		}
	}
}
