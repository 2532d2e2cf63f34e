package zendesktest

import (
	"encoding/json"
	"html"
	"net/url"
	"strconv"
	"strings"
)

// renderPlaceholders replaces each {{name}} placeholder with value(name),
// escaped for the request format, so a placeholder inside a JSON string
// keeps the body valid JSON. Liquid filters and tags are not supported
// and stay as written; an unknown placeholder renders empty, as Liquid
// renders an undefined variable.
func renderPlaceholders(body string, value func(string) string, format string) string {
	var b strings.Builder
	for {
		start := strings.Index(body, "{{")
		if start < 0 {
			break
		}
		end := strings.Index(body[start:], "}}")
		if end < 0 {
			break
		}
		name := strings.TrimSpace(body[start+2 : start+end])
		b.WriteString(body[:start])
		if placeholderName(name) {
			b.WriteString(escapeFor(format, value(name)))
		} else {
			b.WriteString(body[start : start+end+2])
		}
		body = body[start+end+2:]
	}
	b.WriteString(body)
	return b.String()
}

func placeholderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func escapeFor(format, v string) string {
	switch format {
	case "json":
		b, _ := json.Marshal(v) // a string always marshals
		return string(b[1 : len(b)-1])
	case "xml":
		return html.EscapeString(v)
	case "form_encoded":
		return url.QueryEscape(v)
	}
	return v
}

// placeholderValues returns the placeholder values of a ticket after a
// change. Callers hold a.mu; the function it returns must be called
// before they release it.
func (a *Account) placeholderValues(ch change) func(string) string {
	t := ch.next
	user := func(prefix string, id int64) map[string]string {
		u := a.users[id]
		if u == nil {
			return nil
		}
		return map[string]string{prefix + ".id": strconv.FormatInt(u.ID, 10), prefix + ".name": u.Name,
			prefix + ".email": u.Email, prefix + ".external_id": u.ExternalID, prefix + ".role": u.Role}
	}
	base := strings.TrimPrefix(strings.TrimPrefix(a.base, "http://"), "https://")
	vals := map[string]string{
		"ticket.id": strconv.FormatInt(t.ID, 10), "ticket.title": t.Subject, "ticket.subject": t.Subject,
		"ticket.description": t.Description, "ticket.status": displayStatus(t.Status),
		"ticket.priority": displayName(t.Priority), "ticket.ticket_type": displayName(t.Type),
		"ticket.via": viaName(t.Via.Channel), "ticket.tags": strings.Join(t.Tags, " "),
		"ticket.external_id": t.ExternalID, "ticket.account": a.spec.Subdomain,
		"ticket.url":                       base + "/agent/tickets/" + strconv.FormatInt(t.ID, 10),
		"ticket.link":                      a.base + "/agent/tickets/" + strconv.FormatInt(t.ID, 10),
		"ticket.created_at_with_timestamp": stamp(t.CreatedAt), "ticket.updated_at_with_timestamp": stamp(t.UpdatedAt),
		"ticket.created_at": stamp(t.CreatedAt), "ticket.updated_at": stamp(t.UpdatedAt),
		"ticket.brand.id": optIDText(t.BrandID), "ticket.brand.name": nameOrEmpty(a.brandName(t.BrandID)),
		"ticket.group.id": optIDText(t.GroupID), "ticket.group.name": nameOrEmpty(a.groupName(t.GroupID)),
		"ticket.ticket_form.id": optIDText(t.TicketFormID), "ticket.ticket_form.name": nameOrEmpty(a.formName(t.TicketFormID)),
		"ticket.ticket_form_id": optIDText(t.TicketFormID), "ticket.organization.id": optIDText(t.OrganizationID),
		"ticket.requester_id": optIDText(t.RequesterID), "ticket.assignee_id": optIDText(t.AssigneeID),
		"ticket.organization_id": optIDText(t.OrganizationID), "ticket.group_id": optIDText(t.GroupID),
	}
	if o := a.orgs[t.OrganizationID]; o != nil {
		vals["ticket.organization.name"], vals["ticket.organization.external_id"] = o.Name, o.ExternalID
	}
	for _, m := range []map[string]string{user("ticket.requester", t.RequesterID), user("ticket.assignee", t.AssigneeID)} {
		for k, v := range m {
			vals[k] = v
		}
	}
	if ch.actor != nil {
		for k, v := range user("current_user", ch.actor.ID) {
			vals[k] = v
		}
	}
	for _, f := range t.CustomFields {
		v, _ := conditionValue(f.Value)
		if list, ok := f.Value.([]string); ok {
			v = strings.Join(list, " ")
		}
		vals["ticket.ticket_field_"+strconv.FormatInt(f.ID, 10)] = v
	}
	if rec := a.tickets[t.ID]; rec != nil {
		a.commentPlaceholders(vals, "ticket.latest_comment", rec.comments, false)
		a.commentPlaceholders(vals, "ticket.latest_public_comment", rec.comments, true)
	}
	return func(name string) string { return vals[name] }
}

// commentPlaceholders sets the latest (public) comment's placeholders.
func (a *Account) commentPlaceholders(vals map[string]string, prefix string, comments []Comment, public bool) {
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		if public && !c.Public {
			continue
		}
		vals[prefix+".id"] = strconv.FormatInt(c.ID, 10)
		vals[prefix+".value"], vals[prefix+".html_value"] = c.Body, c.htmlBody()
		vals[prefix+".is_public"] = strconv.FormatBool(c.Public)
		vals[prefix+".author.id"] = strconv.FormatInt(c.AuthorID, 10)
		vals[prefix+".created_at_with_timestamp"] = stamp(c.CreatedAt)
		if u := a.users[c.AuthorID]; u != nil {
			vals[prefix+".author.name"] = u.Name
		}
		return
	}
}

// displayStatus is a status as {{ticket.status}} shows it.
func displayStatus(s string) string {
	if s == "hold" {
		return "On-hold"
	}
	return displayName(s)
}

// displayName capitalizes a value; empty shows as "-", as Zendesk's
// placeholders show an unset priority or type.
func displayName(s string) string { return title(s) }

func nameOrEmpty(s string) string {
	if s == "-" {
		return ""
	}
	return s
}
