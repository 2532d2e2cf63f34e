package zafapp

import "strings"

// oauthRequiredFields are the keys an app's "oauth" block must fill in.
func oauthRequiredFields() []string {
	return []string{"client_id", "client_secret", "authorize_uri", "access_token_uri"}
}

// checkOAuth validates the manifest's "oauth" block: its required fields,
// and that a parameter of type oauth exists to hold the token.
func (a *app) checkOAuth(m map[string]any, params []param) {
	v := m["oauth"]
	if v == nil {
		return
	}
	block, ok := v.(map[string]any)
	if !ok {
		a.r.errorf(manifestFile, "oauth must be an object, not %s", jsonType(v))
		return
	}
	var missing []string
	for _, k := range oauthRequiredFields() {
		if s, _ := block[k].(string); s == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		a.r.errorf(manifestFile, "oauth is missing %s", strings.Join(missing, ", "))
	}
	for _, p := range params {
		if p.typ == "oauth" {
			return
		}
	}
	a.r.errorf(manifestFile, "oauth is configured but no parameter has type oauth to hold the token")
}
