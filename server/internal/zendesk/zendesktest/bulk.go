package zendesktest

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// readArray reads a bulk body {"<key>": [{...}, ...]}: 1 to 100 objects.
func readArray(c *call, key string) ([]*fields, error) {
	outer, err := readBody(c)
	if err != nil {
		return nil, err
	}
	var items []map[string]json.RawMessage
	raw, ok := outer[key]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) || json.Unmarshal(raw, &items) != nil || len(items) == 0 {
		return nil, errBadRequest("ParameterMissing", "param is missing or the value is empty: "+key)
	}
	if len(items) > maxBulk {
		return nil, errBadRequest("InvalidValue", key+": at most "+strconv.Itoa(maxBulk)+" records per request")
	}
	out := make([]*fields, len(items))
	for i, it := range items {
		out[i] = &fields{raw: it}
	}
	return out, nil
}

// handleCreateOrUpdateManyUsers serves POST
// /api/v2/users/create_or_update_many.json: up to 100 users, each matched
// by external_id, then email, as create_or_update does; 200 with a
// job_status whose results say, per user, created, updated or why not.
// Accounts without bulk user imports (AccountSpec.BulkUserImports) get
// 403, as Zendesk answers until Support turns them on.
func handleCreateOrUpdateManyUsers(c *call) error {
	if !c.a.spec.BulkUserImports {
		e := errForbidden()
		e.Description = "Bulk user imports are not enabled for this account. Contact Zendesk Customer Support to enable them."
		return e
	}
	items, err := readArray(c, "users")
	if err != nil {
		return err
	}
	caller := c.who.user
	return c.startJob("bulk_create_or_update_users", len(items), bulkJob(items, func(a *Account, f *fields) (int64, bool, error) {
		u, created, err := a.upsertUser(f, caller)
		if err != nil {
			return 0, false, err
		}
		return u.ID, created, nil
	}))
}

// handleCreateManyOrgs serves POST /api/v2/organizations/create_many.json:
// up to 100 new organizations, as a job.
func handleCreateManyOrgs(c *call) error {
	items, err := readArray(c, "organizations")
	if err != nil {
		return err
	}
	return c.startJob("bulk_create_organizations", len(items), orgJob(items, orgCreate))
}

// handleUpdateManyOrgs serves PUT /api/v2/organizations/update_many.json
// with {"organizations": [{"id" or "external_id", ...}, ...]}: up to 100
// updates, as a job.
func handleUpdateManyOrgs(c *call) error {
	items, err := readArray(c, "organizations")
	if err != nil {
		return err
	}
	return c.startJob("bulk_update_organizations", len(items), orgJob(items, orgUpdate))
}

func orgJob(items []*fields, mode orgWrite) func(*Account) []map[string]any {
	return bulkJob(items, func(a *Account, f *fields) (int64, bool, error) {
		o, created, err := a.upsertOrg(f, mode)
		if err != nil {
			return 0, false, err
		}
		return o.ID, created, nil
	})
}

// recordResult names a refused record by what the request gave for it.
func recordResult(m map[string]any, f *fields) map[string]any {
	for _, k := range []string{"external_id", "email", "id"} {
		if f.has(k) && !f.isNull(k) {
			var v any
			_ = json.Unmarshal(f.raw[k], &v) // raw JSON values always decode
			m[k] = v
		}
	}
	return m
}
