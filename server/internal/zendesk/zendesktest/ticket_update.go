package zendesktest

import (
	"encoding/json"
	"html"
	"net/http"
	"slices"
	"strings"
	"time"
)

// applyTicketUpdate applies the fields of a PUT body to cur. It returns
// RecordInvalid for bad values. Read-only and unknown fields are ignored,
// as Zendesk does. Callers hold a.mu.
func (a *Account) applyTicketUpdate(cur Ticket, f *fields) (Ticket, *Comment, error) {
	if cur.Status == "closed" {
		return cur, nil, invalidField("status", "Status: closed prevents ticket update")
	}
	if err := a.checkSafeUpdate(cur, f); err != nil {
		return cur, nil, err
	}
	next := cur.clone()
	if s, ok := f.str("subject", "Subject"); ok {
		next.Subject = s
	}
	if s, ok := f.str("status", "Status"); ok {
		switch {
		case statusRank(s) < 0:
			f.bad("status", "Status: "+s+" is not valid")
		case s == "new" && cur.Status != "new":
			f.bad("status", "Status: new is not valid")
		case s == "closed" && cur.Status != "solved":
			f.bad("base", "Status: closed is not valid")
		default:
			next.Status = s
		}
	}
	if s, ok := f.str("priority", "Priority"); ok {
		if s != "" && priorityRank(s) < 0 {
			f.bad("priority", "Priority: "+s+" is not valid")
		} else {
			next.Priority = s
		}
	}
	if s, ok := f.str("type", "Type"); ok {
		if s != "" && !validType(s) {
			f.bad("type", "Type: "+s+" is not valid")
		} else {
			next.Type = s
		}
	}
	if id, ok := f.id("assignee_id", "Assignee"); ok {
		if u := a.users[id]; id != 0 && (u == nil || !u.Active || u.Role == RoleEndUser) {
			f.bad("assignee_id", "Assignee: is not an agent")
		} else {
			next.AssigneeID = id
		}
	}
	if id, ok := f.id("requester_id", "Requester"); ok {
		if u := a.users[id]; u == nil || !u.Active {
			f.bad("requester_id", "Requester: is invalid")
		} else {
			next.RequesterID = id
		}
	}
	if id, ok := f.id("organization_id", "Organization"); ok {
		if id != 0 && a.orgs[id] == nil {
			f.bad("organization_id", "Organization: is invalid")
		} else {
			next.OrganizationID = id
		}
	}
	if id, ok := f.id("group_id", "Group"); ok {
		if id != 0 && a.membersLocked().groups[id] == nil {
			f.bad("group_id", "Group: is invalid")
		} else {
			next.GroupID = id
		}
	}
	if id, ok := f.id("brand_id", "Brand"); ok {
		if id != 0 && a.brands[id] == nil {
			f.bad("brand_id", "Brand: is invalid")
		} else {
			next.BrandID = id
		}
	}
	if id, ok := f.id("ticket_form_id", "Ticket form"); ok {
		if id != 0 && a.ticketForms[id] == nil {
			f.bad("ticket_form_id", "Ticket form: is invalid")
		} else {
			next.TicketFormID = id
		}
	}
	for _, name := range []string{"custom_fields", "fields"} {
		if vals, ok := f.customFields(name); ok {
			next.CustomFields = mergeCustomFields(next.CustomFields, vals)
		}
	}
	if s, ok := f.str("external_id", "External"); ok {
		next.ExternalID = s
	}
	if tags, ok := f.strs("tags", "Tags"); ok {
		next.Tags = normalizeTags(tags)
	}
	if tags, ok := f.strs("additional_tags", "Tags"); ok {
		next.Tags = normalizeTags(append(next.Tags, tags...))
	}
	if tags, ok := f.strs("remove_tags", "Tags"); ok {
		drop := normalizeTags(tags)
		next.Tags = slices.DeleteFunc(next.Tags, func(t string) bool { return slices.Contains(drop, t) })
	}
	c := readComment(f)
	return next, c, f.err()
}

// checkSafeUpdate refuses a safe_update whose updated_stamp is not the
// ticket's current updated_at.
func (a *Account) checkSafeUpdate(cur Ticket, f *fields) error {
	var safe bool
	if !f.has("safe_update") || json.Unmarshal(f.raw["safe_update"], &safe) != nil || !safe {
		return nil
	}
	stampStr, _ := f.str("updated_stamp", "Updated stamp")
	at, err := time.Parse(time.RFC3339, stampStr)
	if err != nil || !at.Equal(cur.UpdatedAt) {
		return &apiError{status: http.StatusConflict, Code: "UpdateConflict",
			Description: "Safe Update prevented the update due to outdated ticket data. Please fetch the latest ticket data and try again."}
	}
	return nil
}

func readComment(f *fields) *Comment {
	if !f.has("comment") || f.isNull("comment") {
		return nil
	}
	var raw struct {
		Body     *string `json:"body"`
		HTMLBody *string `json:"html_body"`
		Public   *bool   `json:"public"`
		AuthorID *int64  `json:"author_id"`
	}
	if json.Unmarshal(f.raw["comment"], &raw) != nil {
		f.bad("comment", "Comment: is invalid")
		return nil
	}
	c := &Comment{Public: raw.Public == nil || *raw.Public}
	if raw.AuthorID != nil {
		c.AuthorID = *raw.AuthorID
	}
	switch {
	case raw.Body != nil && *raw.Body != "":
		c.Body = *raw.Body
	case raw.HTMLBody != nil && *raw.HTMLBody != "":
		c.HTMLBody = *raw.HTMLBody
		c.Body = stripTags(*raw.HTMLBody)
	default:
		f.bad("comment", "Comment: cannot be blank")
		return nil
	}
	return c
}

// stripTags turns an HTML comment body into its plain text, roughly as
// Zendesk does for plain_body.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(strings.TrimSpace(b.String()))
}

// mergeCustomFields sets each given value over cur, by field id, keeping
// the list ordered by id.
func mergeCustomFields(cur, vals []CustomField) []CustomField {
	out := slices.Clone(cur)
	for _, v := range vals {
		i := slices.IndexFunc(out, func(c CustomField) bool { return c.ID == v.ID })
		if i >= 0 {
			out[i].Value = v.Value
		} else {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(x, y CustomField) int { return cmpInt(x.ID, y.ID) })
	return out
}
