package zendesk

import (
	"context"
	"net/http"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// UpsertOrganizations creates or updates up to 100 organizations. Each is
// found by external id (one show_many call), else by its Match criteria
// in order (name, domain or "field:<key>", from an index of the
// account's organizations); then new ones go to organizations/create_many
// and changed ones to organizations/update_many, both background jobs,
// awaited together. Zendesk has no organizations/create_or_update_many,
// and its create_or_update takes one record a call, so Crossview matches
// first and writes in bulk. Domain names and tags are merged with the
// organization's; other mapped fields follow Salesforce. An organization
// already as wanted is "unchanged" and not written.
func (d *Directory) UpsertOrganizations(ctx context.Context, t crossview.Tenant, orgs []crossview.OrgWrite) ([]crossview.WriteResult, error) {
	if err := checkBatch(len(orgs)); err != nil {
		return nil, err
	}
	sub, cred := t.Subdomain, CredentialsOf(t)
	keys := make([]string, len(orgs))
	for i, o := range orgs {
		keys[i] = o.ExternalID
	}
	res := newResults(keys)
	found, err := d.orgsByExternalID(ctx, sub, cred, keys)
	if err != nil {
		return nil, dirError("look up organizations by external id", err)
	}
	var creates, updates []map[string]any
	var createdAt, updatedAt []int
	merged := map[int]dirOrg{}  // what an updated organization will hold
	claimed := map[int64]bool{} // two Accounts never take one organization
	for i, w := range orgs {
		if !res.todo(i) {
			continue
		}
		cur, ok := found[lower(w.ExternalID)]
		if !ok && needsIndex(w.Match) {
			x, err := d.orgIndexFor(ctx, sub, cred)
			if err != nil {
				return nil, dirError("read the organizations to match by name, domain or field", err)
			}
			var problem string
			if cur, ok, problem = x.match(w); problem != "" {
				res.fail(i, problem)
				continue
			}
		}
		if !ok || claimed[cur.ID] {
			creates, createdAt = append(creates, orgCreate(w)), append(createdAt, i)
			continue
		}
		claimed[cur.ID] = true
		body, next := orgUpdate(cur, w)
		if body == nil {
			res.set(i, statusUnchanged, cur.ID, "")
			continue
		}
		updates, updatedAt = append(updates, body), append(updatedAt, i)
		merged[i] = next
	}
	if err := d.writeOrgs(ctx, sub, cred, creates, updates, func(created bool, n int, jr jobResult) {
		at := updatedAt
		if created {
			at = createdAt
		}
		i := at[n]
		res.job(i, jr)
		if jr.Success {
			o := merged[i]
			if created {
				o = orgOf(orgs[i])
			}
			o.ID = int64(jr.ID)
			d.cachedOrgIndex(sub).put(o)
		}
	}); err != nil {
		return nil, err
	}
	return res.done(), nil
}

// writeOrgs starts the create and update jobs and hands each record's
// result to each, by its place in creates or updates.
func (d *Directory) writeOrgs(ctx context.Context, sub string, cred Credentials, creates, updates []map[string]any, each func(created bool, n int, jr jobResult)) error {
	var ids []string
	var createJob, updateJob string
	var err error
	if len(creates) > 0 {
		if createJob, err = d.submit(ctx, sub, cred, http.MethodPost, "/api/v2/organizations/create_many.json", map[string]any{"organizations": creates}); err != nil {
			return dirError("create organizations", err)
		}
		ids = append(ids, createJob)
	}
	if len(updates) > 0 {
		if updateJob, err = d.submit(ctx, sub, cred, http.MethodPut, "/api/v2/organizations/update_many.json", map[string]any{"organizations": updates}); err != nil {
			return dirError("update organizations", err)
		}
		ids = append(ids, updateJob)
	}
	if len(ids) == 0 {
		return nil
	}
	jobs, err := d.await(ctx, sub, cred, ids)
	if err != nil {
		return dirError("wait for Zendesk's organization jobs", err)
	}
	if createJob != "" {
		for n, jr := range outcomes(jobs[createJob], len(creates)) {
			each(true, n, jr)
		}
	}
	if updateJob != "" {
		for n, jr := range outcomes(jobs[updateJob], len(updates)) {
			each(false, n, jr)
		}
	}
	return nil
}

// orgOf is the organization a write describes.
func orgOf(w crossview.OrgWrite) dirOrg {
	o := dirOrg{Name: strings.TrimSpace(w.Name), ExternalID: w.ExternalID, OrganizationFields: w.Fields}
	o.DomainNames, _ = addDomains(nil, w.DomainNames)
	o.Tags, _ = addTags(nil, w.Tags)
	if w.Notes != nil {
		o.Notes = *w.Notes
	}
	if w.Details != nil {
		o.Details = *w.Details
	}
	return o
}

// orgCreate is the create_many body of a new organization.
func orgCreate(w crossview.OrgWrite) map[string]any {
	o := orgOf(w)
	body := map[string]any{"external_id": o.ExternalID, "name": o.Name}
	if len(o.DomainNames) > 0 {
		body["domain_names"] = o.DomainNames
	}
	if len(o.Tags) > 0 {
		body["tags"] = o.Tags
	}
	if w.Notes != nil {
		body["notes"] = o.Notes
	}
	if w.Details != nil {
		body["details"] = o.Details
	}
	if len(w.Fields) > 0 {
		body["organization_fields"] = w.Fields
	}
	return body
}

// orgUpdate is the update_many body that brings cur to w (nil when cur is
// already as wanted) and what cur will then hold. Domain names and tags
// are added to cur's; the external id is set, so the next sync finds the
// organization by it.
func orgUpdate(cur dirOrg, w crossview.OrgWrite) (map[string]any, dirOrg) {
	body := map[string]any{}
	next := cur
	if cur.ExternalID != w.ExternalID {
		body["external_id"], next.ExternalID = w.ExternalID, w.ExternalID
	}
	if name := strings.TrimSpace(w.Name); name != "" && name != cur.Name {
		body["name"], next.Name = name, name
	}
	if ds, grew := addDomains(cur.DomainNames, w.DomainNames); grew {
		body["domain_names"], next.DomainNames = ds, ds
	}
	if ts, grew := addTags(cur.Tags, w.Tags); grew {
		body["tags"], next.Tags = ts, ts
	}
	if w.Notes != nil && *w.Notes != cur.Notes {
		body["notes"], next.Notes = *w.Notes, *w.Notes
	}
	if w.Details != nil && *w.Details != cur.Details {
		body["details"], next.Details = *w.Details, *w.Details
	}
	if f := changedFields(cur.OrganizationFields, w.Fields); f != nil {
		body["organization_fields"] = f
		next.OrganizationFields = map[string]any{}
		for k, v := range cur.OrganizationFields {
			next.OrganizationFields[k] = v
		}
		for k, v := range f {
			next.OrganizationFields[k] = v
		}
	}
	if len(body) == 0 {
		return nil, cur
	}
	body["id"] = cur.ID
	return body, next
}
