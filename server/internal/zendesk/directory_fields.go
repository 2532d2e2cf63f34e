package zendesk

import (
	"context"

	"github.com/crossview/crossview/server/internal/crossview"
)

// objectFieldWire is a custom user or organization field definition.
type objectFieldWire struct {
	Key     string `json:"key"`
	Type    string `json:"type"`
	Title   string `json:"title"`
	Active  bool   `json:"active"`
	Options []struct {
		Value string `json:"value"`
	} `json:"custom_field_options"`
}

// Fields lists the account's active custom user and organization fields,
// with their types and, for dropdowns and multiselects, their option
// values: what the settings check mappings against.
func (d *Directory) Fields(ctx context.Context, t crossview.Tenant) (user, org []crossview.ZendeskField, err error) {
	sub, cred := t.Subdomain, CredentialsOf(t)
	read := func(path, key, what string) ([]crossview.ZendeskField, error) {
		defs, err := listAll[objectFieldWire](ctx, d, sub, cred, path, key)
		if err != nil {
			return nil, dirError("read the custom "+what+" fields", err)
		}
		out := []crossview.ZendeskField{}
		for _, f := range defs {
			if !f.Active {
				continue
			}
			zf := crossview.ZendeskField{Key: f.Key, Type: f.Type, Title: f.Title}
			for _, o := range f.Options {
				zf.Options = append(zf.Options, o.Value)
			}
			out = append(out, zf)
		}
		return out, nil
	}
	if user, err = read("/api/v2/user_fields.json", "user_fields", "user"); err != nil {
		return nil, nil, err
	}
	if org, err = read("/api/v2/organization_fields.json", "organization_fields", "organization"); err != nil {
		return nil, nil, err
	}
	return user, org, nil
}
