package zendesk

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"github.com/crossview/crossview/server/internal/crossview"
)

// SyncHookTitle is the title of the trigger and the name of the webhook
// ticket sync creates in Zendesk. When a second connection of the same
// account syncs tickets, its trigger's title gets " — {connection name}"
// so titles stay unique.
const SyncHookTitle = "(Crossview) Sync tickets to Salesforce"

// syncWebhookSubscription connects a webhook to triggers (not to Zendesk
// events).
const syncWebhookSubscription = "conditional_ticket_events"

// wantWebhook is the webhook Provision makes.
func wantWebhook(endpoint string) webhookWire {
	return webhookWire{
		Name: SyncHookTitle, Status: "active", Endpoint: endpoint, HTTPMethod: "POST", RequestFormat: "json",
		Subscriptions: []string{syncWebhookSubscription},
		Description:   "Tells Crossview which tickets changed, so it can sync them to Salesforce. Managed by Crossview.",
	}
}

// syncTriggerBody is the JSON the trigger sends: our own small format,
// naming the ticket, its update time and the connection.
func syncTriggerBody(connID string) string {
	id, _ := json.Marshal(connID) // a string always marshals
	return `{"type":"ticket_sync","ticket_id":"{{ticket.id}}","updated_at":"{{ticket.updated_at_with_timestamp}}","connection":` + string(id) + `}`
}

// wantTrigger is the trigger Provision makes: on tickets created or
// updated (any), and the admin's conditions (all), notify the webhook.
func wantTrigger(conn crossview.Connection, webhookID, title string) triggerWire {
	all := make([]conditionWire, 0, len(conn.TicketSync.Conditions))
	for _, c := range conn.TicketSync.Conditions {
		var v any
		if c.Value != "" {
			v = c.Value
		}
		all = append(all, conditionWire{Field: c.Field, Operator: c.Operator, Value: v})
	}
	return triggerWire{
		Title: title, Active: true,
		Description: "Sends ticket changes to Salesforce for the Crossview connection " + conn.Name +
			". Change its conditions in Crossview's admin pages; edits made here show there as a problem.",
		Conditions: triggerConditions{All: all, Any: []conditionWire{
			{Field: "update_type", Operator: "is", Value: "Create"},
			{Field: "update_type", Operator: "is", Value: "Change"},
		}},
		Actions: []triggerAction{{Field: "notification_webhook", Value: []any{webhookID, syncTriggerBody(conn.ID)}}},
	}
}

// suffixedTitle is the trigger title of a connection that shares the
// account with another syncing connection.
func suffixedTitle(conn crossview.Connection) string {
	name := conn.Name
	if name == "" {
		name = conn.ID
	}
	return SyncHookTitle + " — " + name
}

// titleOK says whether a trigger's title is one Provision gives it.
func titleOK(title string, conn crossview.Connection) bool {
	return title == SyncHookTitle || title == suffixedTitle(conn)
}

// titleFor picks the title for conn's trigger (self, 0 for a new one):
// the plain title unless another trigger has it.
func titleFor(triggers []triggerWire, conn crossview.Connection, self int64) string {
	for _, t := range triggers {
		if t.ID != self && t.Title == SyncHookTitle {
			return suffixedTitle(conn)
		}
	}
	return SyncHookTitle
}

// webhookTarget reads a trigger's notification_webhook action: the
// webhook id and the body.
func webhookTarget(a triggerAction) (id, body string, ok bool) {
	list, isList := a.Value.([]any)
	if a.Field != "notification_webhook" || !isList || len(list) != 2 {
		return "", "", false
	}
	id, ok1 := list[0].(string)
	body, ok2 := list[1].(string)
	return id, body, ok1 && ok2
}

// ownTrigger finds the trigger an earlier Provision made for conn (one
// that crashed before its caller stored the ids): its action's body names
// the connection.
func ownTrigger(triggers []triggerWire, connID string) (triggerWire, string, bool) {
	for _, t := range triggers {
		for _, a := range t.Actions {
			id, body, ok := webhookTarget(a)
			var b struct{ Type, Connection string }
			if ok && json.Unmarshal([]byte(body), &b) == nil && b.Type == "ticket_sync" && b.Connection == connID {
				return t, id, true
			}
		}
	}
	return triggerWire{}, "", false
}

// webhookAsMade says whether a webhook still does what Provision made it
// do, apart from status, endpoint and name (named separately).
func webhookAsMade(w webhookWire) bool {
	return w.HTTPMethod == "POST" && w.RequestFormat == "json" && slices.Equal(w.Subscriptions, []string{syncWebhookSubscription})
}

// sameRules compares conditions and actions as Zendesk stores them:
// conditions in any order with values as text, a webhook body as JSON.
func sameRules(got, want triggerWire) bool {
	return sameConditions(got.Conditions.All, want.Conditions.All) &&
		sameConditions(got.Conditions.Any, want.Conditions.Any) &&
		sameActions(got.Actions, want.Actions)
}

func sameConditions(got, want []conditionWire) bool {
	key := func(cs []conditionWire) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.Field + "\x00" + c.Operator + "\x00" + valueText(c.Value)
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(got), key(want))
}

// valueText is a condition value as text; null and "" are the same.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sameActions compares actions with want's, which are all
// notification_webhook actions.
func sameActions(got, want []triggerAction) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range want {
		gid, gbody, gok := webhookTarget(got[i])
		wid, wbody, _ := webhookTarget(want[i])
		if !gok || gid != wid || !sameJSON(gbody, wbody) {
			return false
		}
	}
	return true
}

// sameJSON compares two JSON texts by value; text that is not JSON must
// match exactly.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	return reflect.DeepEqual(x, y)
}
