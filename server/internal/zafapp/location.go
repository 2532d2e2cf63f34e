package zafapp

import (
	"net/url"
	"slices"
	"strings"
)

// productLocations lists, per product key of the manifest's "location"
// object, the locations Zendesk knows (zendesk_apps_support Location and
// Product). Legacy product names are accepted as aliases.
func productLocations(product string) ([]string, bool) {
	switch product {
	case "support", "zendesk":
		return []string{"top_bar", "nav_bar", "ticket_sidebar", "new_ticket_sidebar", "user_sidebar",
			"organization_sidebar", "background", "modal", "ticket_editor", "system_top_bar"}, true
	case "chat", "zopim":
		return []string{"chat_sidebar", "background"}, true
	case "standalone_chat", "lotus_box":
		return []string{"nav_bar", "system_top_bar"}, true
	case "sell":
		return []string{"deal_card", "person_card", "company_card", "lead_card", "background", "modal",
			"dashboard", "note_editor", "call_log_editor", "email_editor"}, true
	}
	return nil, false
}

// locationOptions are the keys a location object may hold.
func locationOptions() []string {
	return []string{"autoHide", "autoLoad", "flexible", "legacy", "objectTypes", "signed", "size", "url"}
}

// legacyURLStub is the URL framework v1 used for locations without an
// iframe; framework 2.0 has none.
const legacyURLStub = "_legacy"

// checkLocations validates the "location" object: products, location
// names, options and URLs.
func (a *app) checkLocations(m map[string]any) {
	v := m["location"]
	special := isTrue(m["requirementsOnly"]) || isTrue(m["marketingOnly"])
	if special {
		if v != nil {
			a.r.errorf(manifestFile, "a requirementsOnly or marketingOnly app must not declare locations")
		}
		return
	}
	if v == nil {
		return // reported as a missing key
	}
	products, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(manifestFile, "location must be an object like {\"support\": {\"ticket_sidebar\": {...}}}; "+
			"the %s form is framework v1's and is not accepted for 2.0", jsonType(v))
		return
	}
	declared := declaredParameterNames(m)
	count := 0
	for _, product := range sortedKeys(products) {
		known, ok := productLocations(product)
		if !ok {
			a.r.errorf(manifestFile, "location: unknown product %q (known: support, chat, standalone_chat, sell)", product)
			continue
		}
		locs, ok := products[product].(map[string]any)
		if !ok {
			a.r.errorf(manifestFile, "location.%s must be an object of locations, not %s", product, jsonType(products[product]))
			continue
		}
		for _, name := range sortedKeys(locs) {
			count++
			if !slices.Contains(known, name) {
				a.r.errorf(manifestFile, "location.%s: unknown location %q (known: %s)", product, name, strings.Join(known, ", "))
				continue
			}
			a.checkLocation(product+"."+name, locs[name], declared)
		}
	}
	if count == 0 {
		a.r.errorf(manifestFile, "missing required key(s): location (no location is declared)")
	}
}

// checkLocation validates one location, given as a URL string or an
// options object.
func (a *app) checkLocation(where string, v any, declared []string) {
	opts, isObject := v.(map[string]any)
	if !isObject {
		opts = map[string]any{"url": v} // "background": "assets/iframe.html" shorthand
	}
	for _, k := range sortedKeys(opts) {
		if !slices.Contains(locationOptions(), k) {
			a.r.errorf(manifestFile, "location.%s: unknown option %q (allowed: %s)", where, k, strings.Join(locationOptions(), ", "))
		}
	}
	for _, k := range []string{"flexible", "signed", "autoLoad", "autoHide", "legacy"} {
		if b, ok := opts[k]; ok && b != nil {
			if _, isBool := b.(bool); !isBool {
				a.r.errorf(manifestFile, "location.%s: %s must be true or false, not %s", where, k, describe(b))
			}
		}
	}
	if s, ok := opts["size"]; ok {
		a.checkSize(where, s)
	}
	if ot, ok := opts["objectTypes"]; ok && !isStringArray(ot) {
		a.r.errorf(manifestFile, "location.%s: objectTypes must be an array of strings", where)
	}

	u, _ := opts["url"].(string)
	if u == "" {
		if opts["autoLoad"] != false {
			a.r.errorf(manifestFile, "location.%s has no url; every location that loads needs one", where)
		}
		return
	}
	a.checkLocationURL(where, u, declared)
}

func (a *app) checkSize(where string, v any) {
	size, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(manifestFile, "location.%s: size must be an object with width and/or height, not %s", where, jsonType(v))
		return
	}
	for _, k := range sortedKeys(size) {
		if k != "width" && k != "height" {
			a.r.errorf(manifestFile, "location.%s: size may only hold width and height, not %q", where, k)
			continue
		}
		if _, isString := size[k].(string); !isString {
			a.r.errorf(manifestFile, "location.%s: size.%s must be a CSS length string like \"480px\", not %s", where, k, describe(size[k]))
		}
	}
}

// checkLocationURL applies Zendesk's URL rules: an absolute URL must use
// https (or point at localhost); a relative one must name a file under
// assets/ that is in the package; a URL built from settings is left to run
// time, but the settings it names must exist.
func (a *app) checkLocationURL(where, raw string, declared []string) {
	if raw == legacyURLStub {
		a.r.errorf(manifestFile, "location.%s: framework 2.0 locations must be URLs, not %q", where, raw)
		return
	}
	if strings.Contains(raw, "{{setting.") {
		for _, name := range settingReferences(raw) {
			if !slices.Contains(declared, name) {
				a.r.errorf(manifestFile, "location.%s: url uses {{setting.%s}} but no parameter %q is declared", where, name, name)
			}
		}
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		a.r.errorf(manifestFile, "location.%s: url %q does not parse: %v", where, raw, err)
	case u.IsAbs():
		if u.Scheme != "https" && u.Hostname() != "localhost" {
			a.r.errorf(manifestFile, "location.%s: url %q must use https (only localhost may use http)", where, raw)
		}
	case !strings.HasPrefix(u.Path, "assets/"):
		a.r.errorf(manifestFile, "location.%s: relative url %q must point into assets/", where, raw)
	case !a.has(u.Path):
		a.r.errorf(manifestFile, "location.%s: url %q names a file that is not in the package", where, raw)
	}
}

// settingReferences returns the setting names a URL template interpolates,
// in order: "{{setting.base}}/x" yields ["base"].
func settingReferences(s string) []string {
	var names []string
	for {
		_, rest, ok := strings.Cut(s, "{{setting.")
		if !ok {
			return names
		}
		name, after, ok := strings.Cut(rest, "}}")
		if !ok {
			return names
		}
		names = append(names, strings.TrimSpace(name))
		s = after
	}
}

// declaredParameterNames returns the names of the manifest's parameters,
// ignoring malformed entries (checkParameters reports those).
func declaredParameterNames(m map[string]any) []string {
	params, _ := m["parameters"].([]any)
	var names []string
	for _, p := range params {
		if obj, ok := p.(map[string]any); ok {
			if name, ok := obj["name"].(string); ok {
				names = append(names, name)
			}
		}
	}
	return names
}
