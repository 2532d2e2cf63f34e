package zendesktest

import (
	"strconv"
	"time"
)

// audit is one ticket change as Zendesk records it: who, when, through
// which channel, and the events (Create, Change, Comment) it holds. Audits
// feed the PUT answer, the ticket event export and the ticket metrics.
type audit struct {
	id, ticketID int64
	at           time.Time // full precision; exports show seconds
	author       int64     // 0 is the system
	channel      string
	events       []auditEvent
}

type auditEvent struct {
	id       int64
	typ      string // Create, Change or Comment
	field    string
	value    any
	previous any
	comment  *Comment
}

// recordAudit stores the audit of a ticket change (old nil: created) and
// updates the ticket's metrics. A comment gets its id and audit id here.
// Callers hold a.mu.
func (a *Account) recordAudit(rec *ticketRecord, old *Ticket, next Ticket, actor int64, c *Comment, channel string) *audit {
	at := rec.changed
	au := &audit{id: a.eventID(), ticketID: next.ID, at: at, author: actor, channel: channel}
	if c != nil {
		c.ID, c.AuditID, c.CreatedAt = a.eventID(), au.id, at.Truncate(time.Second)
		for i := range c.Attachments {
			if c.Attachments[i].ID == 0 {
				c.Attachments[i].ID = a.eventID()
			}
		}
		if c.Via.Channel == "" {
			c.Via.Channel = channel
		}
		stored := c.clone()
		rec.comments = append(rec.comments, stored)
		au.events = append(au.events, auditEvent{id: c.ID, typ: "Comment", comment: &stored})
	}
	if old == nil {
		for _, ch := range diffTickets(Ticket{}, next) {
			if ch.field == "description" {
				continue // the description is the first comment
			}
			au.events = append(au.events, auditEvent{id: a.eventID(), typ: "Create", field: ch.field, value: ch.current})
		}
	} else {
		for _, ch := range diffTickets(*old, next) {
			au.events = append(au.events, auditEvent{id: a.eventID(), typ: "Change", field: ch.field,
				value: ch.current, previous: ch.previous})
		}
	}
	rec.audits = append(rec.audits, au)
	a.audits = append(a.audits, au)
	rec.metrics.update(old, next, c, at, a.users)
	return au
}

// eventID is the next audit, event or comment id. Callers hold a.mu.
func (a *Account) eventID() int64 {
	a.nextEvent++
	return a.nextEvent
}

// auditJSON is the audit as the Ticket Audits API shows it.
func (a *Account) auditJSON(au *audit) map[string]any {
	events := make([]map[string]any, 0, len(au.events))
	for _, ev := range au.events {
		switch ev.typ {
		case "Comment":
			w := ev.comment.wire(a.base)
			events = append(events, map[string]any{"id": w.ID, "type": "Comment", "author_id": w.AuthorID,
				"body": w.Body, "html_body": w.HTMLBody, "plain_body": w.PlainBody, "public": w.Public,
				"attachments": w.Attachments, "audit_id": w.AuditID})
		case "Create":
			events = append(events, map[string]any{"id": ev.id, "type": "Create", "field_name": ev.field,
				"value": auditValue(ev.value)})
		default:
			events = append(events, map[string]any{"id": ev.id, "type": "Change", "field_name": ev.field,
				"value": auditValue(ev.value), "previous_value": auditValue(ev.previous)})
		}
	}
	return map[string]any{"id": au.id, "ticket_id": au.ticketID, "created_at": stamp(au.at),
		"author_id": actorNumber(au.author), "via": map[string]any{"channel": au.channel}, "metadata": map[string]any{},
		"events": events}
}

// auditValue renders a field value as audits do: ids and names as
// strings, empty values as null, lists as lists.
func auditValue(v any) any {
	switch v := v.(type) {
	case int64:
		if v == 0 {
			return nil
		}
		return strconv.FormatInt(v, 10)
	case string:
		if v == "" {
			return nil
		}
		return v
	case []string:
		return nonNil(v)
	}
	return v
}

// actorNumber is a user id, or -1 for the system.
func actorNumber(id int64) int64 {
	if id == 0 {
		return -1
	}
	return id
}

// viaName is the channel as the ticket event export names it.
func viaName(channel string) string {
	switch channel {
	case "web":
		return "Web form"
	case "api":
		return "Web service"
	case "email":
		return "Mail"
	case "chat":
		return "Chat"
	case "rule":
		return "Rule"
	}
	return channel
}
