package zafapp

import "strings"

// secretLooking reports whether a parameter name suggests a credential, by
// Zendesk's keyword list (token, key, pwd, password; any case).
func secretLooking(name string) bool {
	lower := strings.ToLower(name)
	for _, kw := range []string{"token", "key", "pwd", "password"} {
		if strings.Contains(lower, kw) {
			return true
		}
	}
	return false
}

// checkSecureSettings emits Zendesk's secure-settings warnings: a
// credential-looking text setting that is not secure (its value would reach
// every agent's browser), a default value on a secure or hidden setting
// (shipped in the package for anyone to read), and a secure setting with no
// scopes (Zendesk cannot tell where the proxy may substitute it).
func (a *app) checkSecureSettings(params []param) {
	var insecure, defaulted, unscoped []string
	for _, p := range params {
		if secretLooking(p.name) && (p.typ == "text" || p.typ == "password") && !p.secure {
			insecure = append(insecure, p.name)
		}
		if p.hasDefault && (p.secure || p.typ == "hidden") {
			defaulted = append(defaulted, p.name)
		}
		if p.secure && len(p.scopes) == 0 {
			unscoped = append(unscoped, p.name)
		}
	}
	if len(insecure) > 0 {
		a.r.warnf(manifestFile, "parameter(s) %s look like credentials but are not secure; mark them \"secure\": true",
			strings.Join(insecure, ", "))
	}
	if len(defaulted) > 0 {
		a.r.warnf(manifestFile, "secure or hidden parameter(s) %s have a default value, which anyone with the package can read",
			strings.Join(defaulted, ", "))
	}
	if len(unscoped) > 0 {
		a.r.warnf(manifestFile, "secure parameter(s) %s have no scopes; list where the value may be used (%s)",
			strings.Join(unscoped, ", "), strings.Join(secureParamScopes(), ", "))
	}
}
