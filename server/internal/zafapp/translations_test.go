package zafapp

import (
	"testing"
	"testing/fstest"
)

func TestTranslationRules(t *testing.T) {
	t.Parallel()
	const en = "translations/en.json"
	public := func(a *testApp) {
		a.manifest["private"] = false
		s := a.appStrings()
		s["short_description"] = "Salesforce in the sidebar."
		s["long_description"] = "Shows Salesforce records beside the ticket."
		s["installation_instructions"] = "Set the Crossview URL."
	}
	runCases(t, []validationCase{
		{"not JSON", func(a *testApp) {
			a.translations = nil
			a.files[en] = &fstest.MapFile{Data: []byte(`{"app": {"name": "Crossview"`)}
		}, errorIn(en, "not valid JSON")},
		{"not an object", func(a *testApp) {
			a.translations = nil
			a.files[en] = &fstest.MapFile{Data: []byte(`["Crossview"]`)}
		}, errorIn(en, "must hold a JSON object, not array")},
		{"no app object", func(a *testApp) { delete(a.translations, "app") },
			errorIn(en, `needs an "app" object`)},
		{"private app without a name", func(a *testApp) { delete(a.appStrings(), "name") },
			errorIn(en, "missing required translation(s): app.name")},
		{"private app with an empty name", func(a *testApp) { a.appStrings()["name"] = "" },
			errorIn(en, "app.name")},
		{"public app needs its descriptions", func(a *testApp) {
			public(a)
			delete(a.appStrings(), "long_description")
			delete(a.appStrings(), "installation_instructions")
		}, errorIn(en, "missing required translation(s): app.installation_instructions, app.long_description")},
		{"private defaults to true", func(a *testApp) { delete(a.manifest, "private") }, nil},
		{"public app with every string", public, nil},
		{"description stands for short_description", func(a *testApp) {
			public(a)
			s := a.appStrings()
			s["description"] = s["short_description"]
			delete(s, "short_description")
		}, nil},
		{"strings keyed by product", func(a *testApp) {
			s := a.appStrings()
			s["support"] = map[string]any{"name": "Crossview"}
			delete(s, "name")
		}, nil},
		{"strings for a product without a location", func(a *testApp) {
			a.appStrings()["chat"] = map[string]any{"name": "Crossview"}
		}, errorIn(en, "app.chat has strings but the manifest declares no chat location")},
		{"product strings without a name", func(a *testApp) {
			s := a.appStrings()
			s["support"] = map[string]any{"short_description": "x"}
			delete(s, "name")
		}, errorIn(en, "missing required translation(s): app.support.name")},
		{"bad locale file name", func(a *testApp) {
			a.files["translations/english.json"] = &fstest.MapFile{Data: []byte(`{}`)}
		}, errorIn("translations/english.json", `"english" is not a locale name`)},
		{"another valid locale", func(a *testApp) {
			a.files["translations/pt-br.json"] = &fstest.MapFile{Data: []byte(`{"app": {"name": "Crossview"}}`)}
		}, nil},
		{"other locale not JSON", func(a *testApp) {
			a.files["translations/de.json"] = &fstest.MapFile{Data: []byte(`{`)}
		}, errorIn("translations/de.json", "not valid JSON")},
		{"parameter entry without a label", func(a *testApp) {
			a.appStrings()["parameters"].(map[string]any)["crossview_url"] = map[string]any{"helpText": "Base URL"}
		}, errorIn(en, "app.parameters.crossview_url needs a label")},
		{"parameter entry not an object", func(a *testApp) {
			a.appStrings()["parameters"].(map[string]any)["crossview_url"] = "Crossview URL"
		}, errorIn(en, "app.parameters.crossview_url must be an object with a label")},
		{"parameters not an object", func(a *testApp) { a.appStrings()["parameters"] = []any{"Crossview URL"} },
			errorIn(en, "app.parameters must be an object keyed by parameter name")},
		{"setting with no label", func(a *testApp) { delete(a.appStrings(), "parameters") },
			warningIn(en, `parameter "crossview_url" has no app.parameters.crossview_url.label`)},
		{"hidden setting needs no label", func(a *testApp) { a.addParam(map[string]any{"name": "tenant", "type": "hidden"}, false) },
			nil},
	})
}
