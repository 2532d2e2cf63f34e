package zafapp

import (
	"fmt"
	"io/fs"
	"strings"
)

// checkTranslations validates every translations/<locale>.json: the locale
// name, that it is a JSON object, and for the default locale (and en.json,
// which Zendesk always checks) the app keys an admin sees.
func (a *app) checkTranslations(m map[string]any, params []param) error {
	defaultLocale, _ := m["defaultLocale"].(string)
	for _, file := range a.files {
		locale, ok := translationLocale(file)
		if !ok {
			continue
		}
		if !validLocale(locale) {
			a.r.errorf(file, "%q is not a locale name like \"en\" or \"pt-br\"", locale)
		}
		data, err := fs.ReadFile(a.fsys, file)
		if err != nil {
			return fmt.Errorf("zafapp: reading %s: %w", file, err)
		}
		v, err := parseJSON(data)
		if err != nil {
			a.r.errorf(file, "not valid JSON: %v", err)
			continue
		}
		doc, ok := v.(map[string]any)
		if !ok {
			a.r.errorf(file, "must hold a JSON object, not %s", jsonType(v))
			continue
		}
		if locale == defaultLocale || locale == "en" {
			a.checkAppStrings(file, doc, m, params, locale == defaultLocale)
		}
	}
	return nil
}

func translationLocale(file string) (string, bool) {
	rest, ok := strings.CutPrefix(file, "translations/")
	if !ok {
		return "", false
	}
	return strings.CutSuffix(rest, ".json")
}

// requiredAppKeys are the "app" strings Zendesk needs: a private app only
// shows its name, a public one is listed with descriptions and setup steps.
func requiredAppKeys(private bool) []string {
	if private {
		return []string{"name"}
	}
	return []string{"name", "short_description", "installation_instructions", "long_description"}
}

func (a *app) checkAppStrings(file string, doc, m map[string]any, params []param, isDefault bool) {
	appStrings, ok := doc["app"].(map[string]any)
	if !ok {
		a.r.errorf(file, "needs an \"app\" object with at least app.name")
		return
	}
	private := m["private"] == nil || isTrue(m["private"]) // Zendesk's default is private
	required := requiredAppKeys(private)

	// A multi-product app may key its strings by product instead.
	var products []string
	for _, k := range sortedKeys(appStrings) {
		if _, isProduct := productLocations(k); isProduct {
			products = append(products, k)
		}
	}
	if len(products) == 0 {
		a.requireKeys(file, "app", appStrings, required)
	} else {
		declared, _ := m["location"].(map[string]any)
		for _, product := range products {
			if _, ok := declared[product]; !ok {
				a.r.errorf(file, "app.%s has strings but the manifest declares no %s location", product, product)
			}
			sub, _ := appStrings[product].(map[string]any)
			a.requireKeys(file, "app."+product, sub, required)
		}
	}

	labels, hasLabels := appStrings["parameters"]
	if hasLabels {
		a.checkParameterLabels(file, labels)
	}
	if !isDefault {
		return
	}
	labelObj, _ := labels.(map[string]any)
	for _, p := range params {
		if p.typ == "hidden" || p.typ == "oauth" {
			continue // never shown on the settings form
		}
		if _, ok := labelObj[p.name]; !ok {
			a.r.warnf(file, "parameter %q has no app.parameters.%s.label; admins will see its raw name", p.name, p.name)
		}
	}
}

func (a *app) requireKeys(file, where string, obj map[string]any, required []string) {
	var missing []string
	for _, k := range required {
		v, ok := obj[k]
		if !ok && k == "short_description" {
			v, ok = obj["description"] // accepted as an alias
		}
		if s, isString := v.(string); !ok || !isString || s == "" {
			missing = append(missing, where+"."+k)
		}
	}
	if len(missing) > 0 {
		a.r.errorf(file, "missing required translation(s): %s", strings.Join(missing, ", "))
	}
}

// checkParameterLabels validates app.parameters: each entry an object with
// a label, as Zendesk requires when the key is present.
func (a *app) checkParameterLabels(file string, v any) {
	labels, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(file, "app.parameters must be an object keyed by parameter name, not %s", jsonType(v))
		return
	}
	for _, name := range sortedKeys(labels) {
		entry, ok := labels[name].(map[string]any)
		if !ok {
			a.r.errorf(file, "app.parameters.%s must be an object with a label, not %s", name, jsonType(labels[name]))
			continue
		}
		if label, isString := entry["label"].(string); !isString || label == "" {
			a.r.errorf(file, "app.parameters.%s needs a label", name)
		}
	}
}
