package zafapp

import "testing"

func TestParameterRules(t *testing.T) {
	t.Parallel()
	const mf = "manifest.json"
	first := func(a *testApp) map[string]any { return a.manifest["parameters"].([]any)[0].(map[string]any) }
	add := func(p map[string]any) func(a *testApp) {
		return func(a *testApp) { a.addParam(p, true) }
	}
	oauthBlock := map[string]any{
		"client_id": "id", "client_secret": "secret",
		"authorize_uri": "https://auth.example.test/authorize", "access_token_uri": "https://auth.example.test/token",
	}
	runCases(t, []validationCase{
		{"duplicate name", add(map[string]any{"name": "crossview_url", "type": "text"}),
			errorIn(mf, "duplicate parameter name(s): crossview_url")},
		{"parameter called name", add(map[string]any{"name": "name"}),
			errorIn(mf, `a parameter may not be called "name"`)},
		{"hidden and required", add(map[string]any{"name": "tenant", "type": "hidden", "required": true}),
			errorIn(mf, `parameter "tenant" is hidden and required`)},
		{"hidden, not required", add(map[string]any{"name": "tenant", "type": "hidden"}), nil},
		{"unknown type", add(map[string]any{"name": "colour", "type": "dropdown"}),
			errorIn(mf, `parameter colour: invalid type "dropdown"`)},
		{"mtls needs a Zendesk flag", add(map[string]any{"name": "cert", "type": "mtls"}),
			errorIn(mf, `invalid type "mtls"`)},
		{"type as a number", add(map[string]any{"name": "colour", "type": 3}),
			errorIn(mf, "parameter colour: type must be a string")},
		{"every allowed type", func(a *testApp) {
			for _, typ := range []string{"text", "checkbox", "url", "number", "multiline"} {
				a.addParam(map[string]any{"name": "p_" + typ, "type": typ}, true)
			}
		}, nil},
		{"required as a string", func(a *testApp) { first(a)["required"] = "true" },
			errorIn(mf, `parameter crossview_url: required must be true or false, not "true"`)},
		{"secure as a number", func(a *testApp) { first(a)["secure"] = 0 },
			errorIn(mf, "parameter crossview_url: secure must be true or false")},
		{"unknown attribute", func(a *testApp) { first(a)["label"] = "Crossview URL" },
			errorIn(mf, `parameter crossview_url: unknown attribute "label"`)},
		{"no name", add(map[string]any{"type": "text"}),
			errorIn(mf, "parameters[1] needs a non-empty string name")},
		{"not an object", func(a *testApp) { a.manifest["parameters"] = append(a.manifest["parameters"].([]any), "crossview_url") },
			errorIn(mf, "parameters[1] must be an object, not string")},
		{"two oauth parameters", func(a *testApp) {
			a.manifest["oauth"] = oauthBlock
			a.addParam(map[string]any{"name": "token", "type": "oauth"}, false)
			a.addParam(map[string]any{"name": "token2", "type": "oauth"}, false)
		}, errorIn(mf, "at most one parameter may have type oauth, found 2")},
		{"secure oauth parameter", func(a *testApp) {
			a.manifest["oauth"] = oauthBlock
			a.addParam(map[string]any{"name": "token", "type": "oauth", "secure": true, "scopes": []any{"header"}}, false)
		}, errorIn(mf, `oauth parameter "token" cannot be secure`)},
		{"oauth block and parameter", func(a *testApp) {
			a.manifest["oauth"] = oauthBlock
			a.addParam(map[string]any{"name": "token", "type": "oauth"}, false)
		}, nil},
		{"oauth block without a parameter", func(a *testApp) { a.manifest["oauth"] = oauthBlock },
			errorIn(mf, "no parameter has type oauth")},
		{"oauth block missing fields", func(a *testApp) {
			a.manifest["oauth"] = map[string]any{"client_id": "id", "authorize_uri": ""}
			a.addParam(map[string]any{"name": "token", "type": "oauth"}, false)
		}, errorIn(mf, "oauth is missing client_secret, authorize_uri, access_token_uri")},
		{"oauth block not an object", func(a *testApp) { a.manifest["oauth"] = "yes" },
			errorIn(mf, "oauth must be an object")},
		{"scopes on a plain parameter", func(a *testApp) { first(a)["scopes"] = []any{"header"} },
			errorIn(mf, "parameter crossview_url: scopes are only allowed on secure parameters")},
		{"empty scopes", add(map[string]any{"name": "api_secret", "secure": true, "scopes": []any{}}),
			errorIn(mf, "parameter api_secret: scopes must be a non-empty array")},
		{"unknown scope", add(map[string]any{"name": "api_secret", "secure": true, "scopes": []any{"cookie"}}),
			errorIn(mf, `parameter api_secret: invalid scope "cookie"`)},
		{"secure parameter with scopes", add(map[string]any{
			"name": "api_token", "type": "text", "secure": true, "scopes": []any{"header", "jwt_secret_key"},
		}), nil},
		{"allowed_domain as a number", add(map[string]any{
			"name": "api_secret", "secure": true, "scopes": []any{"header"}, "allowed_domain": 5,
		}), errorIn(mf, "allowed_domain must be a string")},
		{"allowed_domain as a string", add(map[string]any{
			"name": "api_secret", "secure": true, "scopes": []any{"header"}, "allowed_domain": "api.example.test",
		}), nil},
	})
}

func TestSecureSettingWarnings(t *testing.T) {
	t.Parallel()
	const mf = "manifest.json"
	add := func(p map[string]any) func(a *testApp) {
		return func(a *testApp) { a.addParam(p, true) }
	}
	runCases(t, []validationCase{
		{"credential-looking setting in the clear", add(map[string]any{"name": "Salesforce_API_Key", "type": "text"}),
			warningIn(mf, "Salesforce_API_Key look like credentials but are not secure")},
		{"credential-looking name, default type", add(map[string]any{"name": "admin_pwd"}),
			warningIn(mf, "admin_pwd look like credentials")},
		{"credential-looking checkbox is not a credential", add(map[string]any{"name": "use_token", "type": "checkbox"}), nil},
		{"secure setting with a default", add(map[string]any{
			"name": "shared_secret", "secure": true, "scopes": []any{"header"}, "default": "changeme",
		}), warningIn(mf, "shared_secret have a default value")},
		{"hidden setting with a default", add(map[string]any{"name": "tenant", "type": "hidden", "default": "acme"}),
			warningIn(mf, "tenant have a default value")},
		{"secure setting without scopes", add(map[string]any{"name": "shared_secret", "secure": true}),
			warningIn(mf, "secure parameter(s) shared_secret have no scopes")},
	})
}
