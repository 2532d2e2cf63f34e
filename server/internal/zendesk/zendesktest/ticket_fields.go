package zendesktest

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// statusRank orders ticket statuses as Zendesk search does; -1 is not a
// status.
func statusRank(s string) int {
	switch s {
	case "new":
		return 0
	case "open":
		return 1
	case "pending":
		return 2
	case "hold":
		return 3
	case "solved":
		return 4
	case "closed":
		return 5
	}
	return -1
}

// priorityRank orders priorities; -1 is not a priority.
func priorityRank(p string) int {
	switch p {
	case "low":
		return 0
	case "normal":
		return 1
	case "high":
		return 2
	case "urgent":
		return 3
	}
	return -1
}

func validType(t string) bool {
	switch t {
	case "problem", "incident", "question", "task":
		return true
	}
	return false
}

// enumError describes the first invalid enum value of t, or "".
func enumError(t Ticket) string {
	switch {
	case statusRank(t.Status) < 0:
		return "Status: " + t.Status + " is not valid"
	case t.Priority != "" && priorityRank(t.Priority) < 0:
		return "Priority: " + t.Priority + " is not valid"
	case t.Type != "" && !validType(t.Type):
		return "Type: " + t.Type + " is not valid"
	}
	return ""
}

// normalizeTags lowercases tags, turns spaces into underscores and drops
// blanks and duplicates, as Zendesk does.
func normalizeTags(in []string) []string {
	out := []string{}
	for _, t := range in {
		t = strings.ToLower(strings.Join(strings.Fields(t), "_"))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// fieldChange is one changed ticket field.
type fieldChange struct {
	field    string
	previous any
	current  any
}

// diffTickets lists the fields that differ between old and next, in a
// fixed order.
func diffTickets(old, next Ticket) []fieldChange {
	var out []fieldChange
	add := func(field string, prev, cur any, changed bool) {
		if changed {
			out = append(out, fieldChange{field: field, previous: prev, current: cur})
		}
	}
	add("status", old.Status, next.Status, old.Status != next.Status)
	add("priority", old.Priority, next.Priority, old.Priority != next.Priority)
	add("type", old.Type, next.Type, old.Type != next.Type)
	add("subject", old.Subject, next.Subject, old.Subject != next.Subject)
	add("description", old.Description, next.Description, old.Description != next.Description)
	add("assignee_id", old.AssigneeID, next.AssigneeID, old.AssigneeID != next.AssigneeID)
	add("group_id", old.GroupID, next.GroupID, old.GroupID != next.GroupID)
	add("organization_id", old.OrganizationID, next.OrganizationID, old.OrganizationID != next.OrganizationID)
	add("requester_id", old.RequesterID, next.RequesterID, old.RequesterID != next.RequesterID)
	add("tags", old.Tags, next.Tags, !slices.Equal(old.Tags, next.Tags))
	add("external_id", old.ExternalID, next.ExternalID, old.ExternalID != next.ExternalID)
	add("brand_id", old.BrandID, next.BrandID, old.BrandID != next.BrandID)
	add("ticket_form_id", old.TicketFormID, next.TicketFormID, old.TicketFormID != next.TicketFormID)
	// Custom fields change under their field id, as audits name them.
	for _, f := range next.CustomFields {
		prev := customValue(old.CustomFields, f.ID)
		add(strconv.FormatInt(f.ID, 10), prev, f.Value, !reflect.DeepEqual(prev, f.Value))
	}
	return out
}

// customValue is the value of custom field id, nil when unset.
func customValue(fields []CustomField, id int64) any {
	for _, f := range fields {
		if f.ID == id {
			return f.Value
		}
	}
	return nil
}
