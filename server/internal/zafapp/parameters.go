package zafapp

import (
	"fmt"
	"slices"
	"strings"
)

// parameterTypes are the setting types Zendesk accepts. ("mtls" exists
// only behind a Zendesk feature flag and is refused like any unknown type.)
func parameterTypes() []string {
	return []string{"text", "checkbox", "url", "number", "multiline", "hidden", "oauth"}
}

// parameterAttributes are the keys a parameter object may hold. Labels and
// help texts live in the translation files, not here.
func parameterAttributes() []string {
	return []string{"name", "type", "required", "secure", "default", "scopes", "allowed_domain"}
}

// secureParamScopes are where Zendesk's proxy may substitute a secure
// setting's value.
func secureParamScopes() []string {
	return []string{"header", "body", "url", "jwt_secret_key", "jwt_claim", "basic_auth_username", "basic_auth_password"}
}

// param is one well-formed parameter, as later checks need it.
type param struct {
	name       string
	typ        string
	required   bool
	secure     bool
	hasDefault bool
	scopes     []string
}

// checkParameters validates the "parameters" array and returns the
// parameters that are objects with a name.
func (a *app) checkParameters(m map[string]any) []param {
	raw, ok := m["parameters"].([]any)
	if !ok {
		return nil // absent, or not an array (reported by checkManifest)
	}
	var params []param
	for i, entry := range raw {
		obj, ok := entry.(map[string]any)
		if !ok {
			a.r.errorf(manifestFile, "parameters[%d] must be an object, not %s", i, jsonType(entry))
			continue
		}
		if p, ok := a.checkParameter(i, obj); ok {
			params = append(params, p)
		}
	}

	var names, dups []string
	for _, p := range params {
		if slices.Contains(names, p.name) && !slices.Contains(dups, p.name) {
			dups = append(dups, p.name)
		}
		names = append(names, p.name)
	}
	if len(dups) > 0 {
		a.r.errorf(manifestFile, "duplicate parameter name(s): %s", strings.Join(dups, ", "))
	}
	oauth := 0
	for _, p := range params {
		if p.name == "name" {
			a.r.errorf(manifestFile, "a parameter may not be called \"name\" (Zendesk reserves it for the installation name)")
		}
		if p.typ == "hidden" && p.required {
			a.r.errorf(manifestFile, "parameter %q is hidden and required; an admin could never fill it in", p.name)
		}
		if p.typ == "oauth" {
			oauth++
			if p.secure {
				a.r.errorf(manifestFile, "oauth parameter %q cannot be secure", p.name)
			}
		}
	}
	if oauth > 1 {
		a.r.errorf(manifestFile, "at most one parameter may have type oauth, found %d", oauth)
	}
	return params
}

// checkParameter validates one parameter object; ok is false when it has no
// usable name.
func (a *app) checkParameter(i int, obj map[string]any) (param, bool) {
	name, _ := obj["name"].(string)
	where := name
	if name == "" {
		where = fmt.Sprintf("parameters[%d]", i)
		a.r.errorf(manifestFile, "%s needs a non-empty string name", where)
	}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(parameterAttributes(), k) {
			a.r.errorf(manifestFile, "parameter %s: unknown attribute %q (allowed: %s)", where, k, strings.Join(parameterAttributes(), ", "))
		}
	}

	p := param{name: name, typ: "text"}
	switch t := obj["type"].(type) {
	case nil:
	case string:
		p.typ = t
		if !slices.Contains(parameterTypes(), t) {
			a.r.errorf(manifestFile, "parameter %s: invalid type %q (allowed: %s)", where, t, strings.Join(parameterTypes(), ", "))
		}
	default:
		a.r.errorf(manifestFile, "parameter %s: type must be a string, not %s", where, describe(t))
	}
	for _, k := range []string{"required", "secure"} {
		v, present := obj[k]
		if !present || v == nil {
			continue
		}
		b, isBool := v.(bool)
		if !isBool {
			a.r.errorf(manifestFile, "parameter %s: %s must be true or false, not %s", where, k, describe(v))
		}
		if k == "required" {
			p.required = b
		} else {
			p.secure = b
		}
	}
	_, p.hasDefault = obj["default"]
	if v, present := obj["scopes"]; present {
		p.scopes = a.checkScopes(where, v, p.secure)
	}
	if v, present := obj["allowed_domain"]; present {
		if _, isString := v.(string); !isString {
			a.r.errorf(manifestFile, "parameter %s: allowed_domain must be a string, not %s", where, describe(v))
		}
	}
	return p, name != ""
}

// checkScopes validates a secure parameter's scopes and returns them.
func (a *app) checkScopes(where string, v any, secure bool) []string {
	if !secure {
		a.r.errorf(manifestFile, "parameter %s: scopes are only allowed on secure parameters", where)
	}
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		a.r.errorf(manifestFile, "parameter %s: scopes must be a non-empty array (allowed: %s)", where, strings.Join(secureParamScopes(), ", "))
		return nil
	}
	var scopes []string
	for _, e := range arr {
		s, _ := e.(string)
		if !slices.Contains(secureParamScopes(), s) {
			a.r.errorf(manifestFile, "parameter %s: invalid scope %s (allowed: %s)", where, describe(e), strings.Join(secureParamScopes(), ", "))
			continue
		}
		scopes = append(scopes, s)
	}
	return scopes
}
