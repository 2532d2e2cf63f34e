package zendesktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// eventTypes maps a changed ticket field to its event type. external_id
// has none.
func eventType(field string) string {
	switch field {
	case "status", "priority", "type", "subject", "description", "tags":
		return field + "_changed"
	case "assignee_id":
		return "agent_assignment_changed"
	case "group_id":
		return "group_assignment_changed"
	case "organization_id":
		return "organization_changed"
	case "requester_id":
		return "requester_changed"
	}
	return ""
}

// emitTicketEvents queues the events of a ticket change (old nil means
// created) for every subscribed webhook. Queuing under a.mu keeps events
// in the order the changes happened. actor 0 is the system.
func (a *Account) emitTicketEvents(old *Ticket, next Ticket, actor int64, c *Comment) {
	if len(a.webhooks) == 0 {
		return
	}
	type named struct {
		typ  string
		body map[string]any
	}
	var evs []named
	if old == nil {
		evs = append(evs, named{"ticket.created", map[string]any{}})
	} else {
		for _, ch := range diffTickets(*old, next) {
			if typ := eventType(ch.field); typ != "" {
				evs = append(evs, named{"ticket." + typ, changeDetail(ch)})
			}
		}
	}
	if c != nil {
		evs = append(evs, named{"ticket.comment_added", map[string]any{"comment": map[string]any{
			"id": strconv.FormatInt(c.ID, 10), "body": c.Body,
			"is_public": c.Public, "author": map[string]any{"id": actorID(c.AuthorID)},
		}}})
	}
	detail := a.eventDetail(next, actor)
	for _, e := range evs {
		typ := "zen:event-type:" + e.typ
		id := uuid()
		body, _ := json.Marshal(map[string]any{ // maps of JSON values always marshal
			"type": typ, "account_id": a.id, "id": id, "time": a.now().Format("2006-01-02T15:04:05.000000000Z"),
			"zendesk_event_version": "2022-11-06", "subject": "zen:ticket:" + strconv.FormatInt(next.ID, 10),
			"detail": detail, "event": e.body,
		})
		for _, wh := range a.webhooks {
			if wh.subscribed(typ) {
				wh.push(invocation{eventID: id, eventType: typ, ticketID: next.ID, body: body})
			}
		}
	}
}

// eventDetail is the ticket as event subscriptions describe it: ids as
// strings, enums in upper case.
func (a *Account) eventDetail(t Ticket, actor int64) map[string]any {
	return map[string]any{
		"id": strconv.FormatInt(t.ID, 10), "actor_id": actorID(actor),
		"subject": t.Subject, "description": t.Description,
		"status": strings.ToUpper(t.Status), "priority": upperOrNil(t.Priority), "type": upperOrNil(t.Type),
		"requester_id": optIDString(t.RequesterID), "submitter_id": optIDString(t.SubmitterID),
		"assignee_id": optIDString(t.AssigneeID), "organization_id": optIDString(t.OrganizationID),
		"group_id": optIDString(t.GroupID), "external_id": optString(t.ExternalID),
		"brand_id": optIDString(t.BrandID), "form_id": optIDString(t.TicketFormID),
		"tags": nonNil(slices.Clone(t.Tags)), "is_public": true, "via": t.Via,
		"created_at": stamp(t.CreatedAt), "updated_at": stamp(t.UpdatedAt),
	}
}

// changeDetail is the "event" object of a field change.
func changeDetail(ch fieldChange) map[string]any {
	switch prev := ch.previous.(type) {
	case []string:
		cur := ch.current.([]string)
		return map[string]any{
			"tags_added":   nonNil(slices.DeleteFunc(slices.Clone(cur), func(t string) bool { return slices.Contains(prev, t) })),
			"tags_removed": nonNil(slices.DeleteFunc(slices.Clone(prev), func(t string) bool { return slices.Contains(cur, t) })),
		}
	case int64:
		return map[string]any{"previous": optIDString(prev), "current": optIDString(ch.current.(int64))}
	case string:
		cur := ch.current.(string)
		if ch.field == "status" || ch.field == "priority" || ch.field == "type" {
			return map[string]any{"previous": upperOrNil(prev), "current": upperOrNil(cur)}
		}
		return map[string]any{"previous": prev, "current": cur}
	}
	return map[string]any{}
}

func upperOrNil(s string) *string {
	if s == "" {
		return nil
	}
	u := strings.ToUpper(s)
	return &u
}

// actorID is the acting user as a string; "-1" is the system.
func actorID(id int64) string {
	if id == 0 {
		return "-1"
	}
	return strconv.FormatInt(id, 10)
}

// uuid returns a random version 4 UUID.
func uuid() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
