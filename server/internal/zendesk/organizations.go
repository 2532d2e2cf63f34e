package zendesk

import (
	"context"
	"net/url"
	"strings"
)

// OrganizationByExternalID finds the organization with this external id
// (Zendesk compares external ids ignoring case) through GET
// /api/v2/organizations/search.json?external_id=; ok is false when there
// is none.
func (c *Client) OrganizationByExternalID(ctx context.Context, sub string, cred Credentials, externalID string) (Organization, bool, error) {
	return c.findOrganization(ctx, sub, cred, "external_id", externalID,
		func(o Organization) string { return o.ExternalID })
}

// OrganizationByName finds the organization with exactly this name,
// ignoring case (names are unique in an account), through GET
// /api/v2/organizations/search.json?name=; ok is false when there is none.
func (c *Client) OrganizationByName(ctx context.Context, sub string, cred Credentials, name string) (Organization, bool, error) {
	return c.findOrganization(ctx, sub, cred, "name", name,
		func(o Organization) string { return o.Name })
}

// findOrganization searches by one parameter and keeps only an exact
// match of field, so a looser answer never picks the wrong company.
func (c *Client) findOrganization(ctx context.Context, sub string, cred Credentials, param, value string, field func(Organization) string) (Organization, bool, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return Organization{}, false, nil
	}
	q := url.Values{param: {value}}
	var r struct {
		Organizations []Organization `json:"organizations"`
	}
	if err := c.get(ctx, sub, &cred, "/api/v2/organizations/search.json?"+q.Encode(), &r); err != nil {
		return Organization{}, false, err
	}
	for _, o := range r.Organizations {
		if strings.EqualFold(field(o), value) {
			return o, true, nil
		}
	}
	return Organization{}, false, nil
}
