package zendesktest

import (
	"net/http"
	"strings"
	"time"
)

// handleShowOrg serves GET /api/v2/organizations/{id}.json.
func handleShowOrg(c *call) error {
	o, ok := c.a.Organization(c.id("id"))
	if !ok {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"organization": o})
	return nil
}

// handleShowManyOrgs serves GET /api/v2/organizations/show_many.json?ids=
// or ?external_ids= (up to 100 either way).
func handleShowManyOrgs(c *call) error {
	ids, exts, err := showManyKeys(c)
	if err != nil {
		return err
	}
	c.a.mu.Lock()
	orgs := []Organization{}
	for _, id := range ids {
		if o := c.a.orgs[id]; o != nil {
			orgs = append(orgs, o.clone())
		}
	}
	for _, ext := range exts {
		if o := c.a.orgByExternalID(ext); o != nil {
			orgs = append(orgs, o.clone())
		}
	}
	c.a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, map[string]any{"organizations": orgs, "next_page": nil, "previous_page": nil, "count": len(orgs)})
	return nil
}

// handleSearchOrgs serves GET /api/v2/organizations/search.json with
// external_id= or name=; both match exactly, ignoring case.
func handleSearchOrgs(c *call) error {
	q := c.r.URL.Query()
	ext, name := strings.TrimSpace(q.Get("external_id")), strings.TrimSpace(q.Get("name"))
	if ext == "" && name == "" {
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: external_id or name")
	}
	p, err := parseOffset(q)
	if err != nil {
		return err
	}
	c.a.mu.Lock()
	var found []Organization
	for _, o := range c.a.sortedOrgs() {
		if (ext == "" || strings.EqualFold(o.ExternalID, ext)) && (name == "" || strings.EqualFold(o.Name, name)) {
			found = append(found, o)
		}
	}
	c.a.mu.Unlock()
	writeJSON(c.w, http.StatusOK, offsetBody(c, p, "organizations", len(found), pageOf(p, found)))
	return nil
}

// handleCreateOrUpdateOrg serves POST
// /api/v2/organizations/create_or_update.json. It matches by id, then by
// external_id; the name is not a matching criterion, so a new record with
// a taken name is refused (names are unique). 201 on create, 200 on update.
func handleCreateOrUpdateOrg(c *call) error {
	f, err := readObject(c, "organization")
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	o, created, err := a.upsertOrg(f, orgUpsert)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(c.w, status, map[string]any{"organization": o.clone()})
	return nil
}

// orgWrite says what upsertOrg may do.
type orgWrite int

const (
	orgUpsert orgWrite = iota // match by id or external id, else create
	orgCreate                 // always create
	orgUpdate                 // update the record id or external_id names
)

// upsertOrg creates or updates the organization a body describes.
// Callers hold a.mu.
func (a *Account) upsertOrg(f *fields, mode orgWrite) (*Organization, bool, error) {
	id, _ := f.id("id", "Id")
	ext, hasExt := f.str("external_id", "External")
	name, hasName := f.str("name", "Name")
	domains, hasDomains := f.strs("domain_names", "Domain names")
	tags, hasTags := f.strs("tags", "Tags")
	notes, hasNotes := f.str("notes", "Notes")
	details, hasDetails := f.str("details", "Details")
	var o *Organization
	switch {
	case mode == orgCreate:
	case id != 0:
		if o = a.orgs[id]; o == nil {
			return nil, false, errNotFound()
		}
	case ext != "":
		o = a.orgByExternalID(ext)
	}
	if mode == orgUpdate && o == nil {
		return nil, false, errNotFound()
	}
	created := o == nil
	if created && strings.TrimSpace(name) == "" {
		f.bad("name", "Name: cannot be blank")
	}
	if hasName && strings.TrimSpace(name) != "" {
		if other := a.orgByName(name); other != nil && other != o {
			f.badCode("name", "Name: "+name+" has already been taken", "DuplicateValue")
		}
	}
	if hasExt && ext != "" {
		if other := a.orgByExternalID(ext); other != nil && other != o {
			f.badCode("external_id", "External: "+ext+" has already been taken", "DuplicateValue")
		}
	}
	var cur map[string]any
	if o != nil {
		cur = o.OrganizationFields
	}
	orgFields := f.fieldValues("organization_fields", a.orgFields, cur)
	if err := f.err(); err != nil {
		return nil, false, err
	}
	now := a.now().Truncate(time.Second)
	if created {
		o = &Organization{CreatedAt: now}
		o.ID = a.claimID(0, &a.nextOrg, func(id int64) bool { return a.orgs[id] != nil })
		o.URL = a.orgURL(o.ID)
		a.orgs[o.ID] = o
	}
	if hasName && strings.TrimSpace(name) != "" {
		o.Name = name
	}
	if hasExt {
		o.ExternalID = ext
	}
	defer a.indexOrg(o)
	if hasDomains {
		o.DomainNames = domains // Zendesk replaces the whole list
	}
	if hasTags {
		o.Tags = normalizeTags(tags)
	}
	if hasNotes {
		o.Notes = notes
	}
	if hasDetails {
		o.Details = details
	}
	if orgFields != nil {
		o.OrganizationFields = orgFields
	}
	o.UpdatedAt = now
	return o, created, nil
}
