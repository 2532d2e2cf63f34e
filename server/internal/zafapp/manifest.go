package zafapp

import (
	"slices"
	"strings"
)

// supportedFrameworkVersions are the ZAF versions Zendesk accepts for a new
// or updated app (zendesk_apps_support AppVersion: only "2.0" today).
func supportedFrameworkVersions() []string { return []string{"2.0"} }

// manifestKeys are the top-level keys Zendesk reads from manifest.json.
func manifestKeys() []string {
	return []string{
		"author", "defaultLocale", "domainWhitelist", "experiments", "frameworkVersion",
		"gaID", "location", "marketingOnly", "name", "noTemplate", "oauth", "parameters",
		"private", "remoteInstallationURL", "requirementsOnly", "signedUrls",
		"singleInstall", "termsConditionsURL", "version",
	}
}

// checkManifest runs the top-level manifest checks: required keys, value
// types, URLs, the framework version and the default locale.
func (a *app) checkManifest(m map[string]any) {
	for _, k := range sortedKeys(m) {
		if !slices.Contains(manifestKeys(), k) {
			a.r.warnf(manifestFile, "unknown key %q is ignored by Zendesk (check its spelling)", k)
		}
	}

	special := isTrue(m["requirementsOnly"]) || isTrue(m["marketingOnly"])
	required := []string{"author", "defaultLocale"}
	if !special {
		required = append(required, "location", "frameworkVersion")
	}
	var missing []string
	for _, k := range required {
		if m[k] == nil {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		a.r.errorf(manifestFile, "missing required key(s): %s", strings.Join(missing, ", "))
	}

	for _, k := range []string{"requirementsOnly", "marketingOnly", "singleInstall", "signedUrls", "private"} {
		if v, ok := m[k]; ok {
			if _, isBool := v.(bool); !isBool {
				a.r.errorf(manifestFile, "%s must be true or false, not %s", k, describe(v))
			}
		}
	}
	for _, k := range []string{"name", "defaultLocale", "version", "frameworkVersion", "remoteInstallationURL", "termsConditionsURL", "gaID"} {
		if v := m[k]; v != nil {
			if _, isString := v.(string); !isString {
				a.r.errorf(manifestFile, "%s must be a string, not %s", k, describe(v))
			}
		}
	}
	if v, ok := m["experiments"]; ok {
		if _, isObject := v.(map[string]any); !isObject {
			a.r.errorf(manifestFile, "experiments must be an object, not %s", jsonType(v))
		}
	}
	if v := m["domainWhitelist"]; v != nil && !isStringArray(v) {
		a.r.errorf(manifestFile, "domainWhitelist must be an array of strings")
	}
	if v := m["parameters"]; v != nil {
		if _, isArray := v.([]any); !isArray {
			a.r.errorf(manifestFile, "parameters must be an array, not %s", jsonType(v))
		}
	}

	a.checkAuthor(m["author"])
	if u, ok := m["termsConditionsURL"].(string); ok && !isHTTPURL(u) {
		a.r.errorf(manifestFile, "termsConditionsURL must start with http:// or https://, not %q", u)
	}
	a.checkFrameworkVersion(m, special)
	a.checkDefaultLocale(m["defaultLocale"])
	if isTrue(m["marketingOnly"]) {
		if params, _ := m["parameters"].([]any); len(params) > 0 {
			a.r.errorf(manifestFile, "a marketingOnly app may not declare parameters")
		}
		if isTrue(m["private"]) || m["private"] == nil {
			a.r.errorf(manifestFile, "a marketingOnly app cannot be private (private defaults to true)")
		}
	}
}

func (a *app) checkAuthor(v any) {
	if v == nil {
		return // reported as missing
	}
	author, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(manifestFile, "author must be an object with name, email and url, not %s", jsonType(v))
		return
	}
	for _, k := range []string{"name", "email", "url"} {
		if f := author[k]; f != nil {
			if _, isString := f.(string); !isString {
				a.r.errorf(manifestFile, "author.%s must be a string, not %s", k, describe(f))
			}
		}
	}
	if u, ok := author["url"].(string); ok && !isHTTPURL(u) {
		a.r.errorf(manifestFile, "author.url must start with http:// or https://, not %q", u)
	}
}

func (a *app) checkFrameworkVersion(m map[string]any, special bool) {
	v, present := m["frameworkVersion"]
	if special {
		if present {
			a.r.errorf(manifestFile, "a requirementsOnly or marketingOnly app must not set frameworkVersion")
		}
		return
	}
	s, ok := v.(string)
	if !ok {
		return // missing or wrong type, already reported
	}
	if !slices.Contains(supportedFrameworkVersions(), s) {
		a.r.errorf(manifestFile, "frameworkVersion %q is not supported; use one of: %s",
			s, strings.Join(supportedFrameworkVersions(), ", "))
	}
	if nt := m["noTemplate"]; nt != nil && nt != false {
		a.r.errorf(manifestFile, "noTemplate is not supported by framework version 2.0: every location is an iframe")
	}
}

func (a *app) checkDefaultLocale(v any) {
	locale, ok := v.(string)
	if !ok {
		return // missing or wrong type, already reported
	}
	if !validLocale(locale) {
		a.r.errorf(manifestFile, "defaultLocale %q is not a locale name like \"en\" or \"pt-br\"", locale)
		return
	}
	if file := "translations/" + locale + ".json"; !a.has(file) {
		a.r.errorf(manifestFile, "defaultLocale is %q but %s is missing", locale, file)
	}
}

// validLocale matches Zendesk's locale pattern /^[a-z]{2,3}(-\w{2,3})?$/.
func validLocale(s string) bool {
	lang, region, hasRegion := strings.Cut(s, "-")
	if len(lang) < 2 || len(lang) > 3 || strings.IndexFunc(lang, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		return false
	}
	if !hasRegion {
		return true
	}
	isWord := func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	return len(region) >= 2 && len(region) <= 3 && strings.IndexFunc(region, func(r rune) bool { return !isWord(r) }) < 0
}

func isTrue(v any) bool { b, ok := v.(bool); return ok && b }

func isStringArray(v any) bool {
	arr, ok := v.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}
