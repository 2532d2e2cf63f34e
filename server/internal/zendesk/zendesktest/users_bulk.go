package zendesktest

import "encoding/json"

// bulkImportsOff is the 403 Zendesk answers the bulk user endpoints until
// Support turns bulk user imports on for the account.
func bulkImportsOff(a *Account) error {
	if a.spec.BulkUserImports {
		return nil
	}
	e := errForbidden()
	e.Description = "Bulk user imports are not enabled for this account. Contact Zendesk Customer Support to enable them."
	return e
}

// handleCreateManyUsers serves POST /api/v2/users/create_many.json: up to
// 100 new users, as a job. Nothing is matched: an email or external id
// another user has refuses the record. 403 without bulk user imports.
func handleCreateManyUsers(c *call) error {
	if err := bulkImportsOff(c.a); err != nil {
		return err
	}
	items, err := readArray(c, "users")
	if err != nil {
		return err
	}
	caller := c.who.user
	return c.startJob("bulk_create_users", len(items), bulkJob(items, func(a *Account, f *fields) (int64, bool, error) {
		u, created, err := a.writeUser(f, nil, caller)
		if err != nil {
			return 0, false, err
		}
		return u.ID, created, nil
	}))
}

// handleUpdateManyUsers serves PUT /api/v2/users/update_many.json, as a
// job of up to 100 updates: a batch update {"users": [{"id" or
// "external_id", ...}]}, or a bulk update ?ids= or ?external_ids= with
// one {"user": {...}} for all. Tags replace the user's list (the
// additional_tags of Update Many Tickets is not documented for users).
// Agents may update end users only.
func handleUpdateManyUsers(c *call) error {
	caller := c.who.user
	update := func(a *Account, f *fields) (int64, bool, error) {
		var u *User
		if id, _ := f.id("id", "Id"); id != 0 {
			u = a.users[id]
		} else if ext := f.peek("external_id"); ext != "" {
			u = a.userByExternalID(ext)
		}
		if u == nil {
			return 0, false, errNotFound()
		}
		u, _, err := a.writeUser(f, u, caller)
		if err != nil {
			return 0, false, err
		}
		return u.ID, false, nil
	}
	q := c.r.URL.Query()
	if q.Get("ids") == "" && q.Get("external_ids") == "" {
		items, err := readArray(c, "users")
		if err != nil {
			return err
		}
		return c.startJob("bulk_update_users", len(items), bulkJob(items, update))
	}
	ids, exts, err := showManyKeys(c)
	if err != nil {
		return err
	}
	one, err := readObject(c, "user")
	if err != nil {
		return err
	}
	// Each record gets its own copy of the body, naming it by id or
	// external id, so refusals are collected per record.
	var items []*fields
	for _, id := range ids {
		items = append(items, withKey(one, "id", id))
	}
	for _, ext := range exts {
		items = append(items, withKey(one, "external_id", ext))
	}
	return c.startJob("bulk_update_users", len(items), bulkJob(items, update))
}

// withKey copies a body with one more field.
func withKey(f *fields, name string, v any) *fields {
	raw := make(map[string]json.RawMessage, len(f.raw)+1)
	for k, x := range f.raw {
		raw[k] = x
	}
	raw[name], _ = json.Marshal(v) // ids and strings always marshal
	return &fields{raw: raw}
}
