package zendesktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Trigger mirrors a ticket trigger. Conditions are checked after every
// ticket create and update; of the actions, notification_webhook is
// carried out (the others are stored, not applied).
type Trigger struct {
	ID          int64
	Title       string
	Active      bool
	Position    int64
	Description string
	CategoryID  string
	Conditions  Conditions
	Actions     []Action
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Conditions are a trigger's conditions: every one of All and, when Any
// is not empty, at least one of Any.
type Conditions struct {
	All []Condition `json:"all"`
	Any []Condition `json:"any"`
}

// Condition is one condition, e.g. {"status", "less_than", "solved"}.
// Value is a string, or nil for operators that take none.
type Condition struct {
	Field    string `json:"field"`
	Operator string `json:"operator"`
	Value    any    `json:"value"`
}

// Action is one action. notification_webhook's Value is
// [webhook id, body], the body a JSON (or XML, or form) string with
// placeholders such as {{ticket.id}}.
type Action struct {
	Field string `json:"field"`
	Value any    `json:"value"`
}

// trigger is a stored trigger. Callers hold the account lock.
type trigger struct {
	Trigger
	fired int // times its conditions held, for the usage sideloads
}

// defaultTriggerCategory is the category triggers land in when none is
// given.
const defaultTriggerCategory = "360000000001"

// AddTrigger stores a trigger as the API would, validating it the same
// way; a zero Position puts it last.
func (a *Account) AddTrigger(t Trigger) (Trigger, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.checkTrigger(t); err != nil {
		return Trigger{}, err
	}
	return a.storeTrigger(t).clone(), nil
}

// Triggers lists the account's triggers by position.
func (a *Account) Triggers() []Trigger {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Trigger, 0, len(a.triggers))
	for _, t := range a.sortedTriggers() {
		out = append(out, t.clone())
	}
	return out
}

// storeTrigger gives a checked trigger its id and times. Callers hold a.mu.
func (a *Account) storeTrigger(t Trigger) *trigger {
	a.nextTrig++
	t.ID = 360056295700 + a.nextTrig
	if t.Position == 0 {
		t.Position = int64(len(a.triggers)) + 1
	}
	if t.CategoryID == "" {
		t.CategoryID = defaultTriggerCategory
	}
	now := a.now().Truncate(time.Second)
	t.CreatedAt, t.UpdatedAt = now, now
	st := &trigger{Trigger: t.clone()}
	a.triggers = append(a.triggers, st)
	return st
}

// sortedTriggers orders triggers as Zendesk fires them: by position, then
// id. Callers hold a.mu.
func (a *Account) sortedTriggers() []*trigger {
	out := slices.Clone(a.triggers)
	slices.SortFunc(out, func(x, y *trigger) int {
		if c := cmpInt(x.Position, y.Position); c != 0 {
			return c
		}
		return cmpInt(x.ID, y.ID)
	})
	return out
}

func (a *Account) triggerByID(id int64) *trigger {
	for _, t := range a.triggers {
		if t.ID == id {
			return t
		}
	}
	return nil
}

func (t Trigger) clone() Trigger {
	t.Conditions.All = slices.Clone(t.Conditions.All)
	t.Conditions.Any = slices.Clone(t.Conditions.Any)
	t.Actions = slices.Clone(t.Actions)
	for i, act := range t.Actions {
		if list, ok := act.Value.([]any); ok {
			t.Actions[i].Value = slices.Clone(list)
		}
	}
	return t
}

// json renders the trigger as the Triggers API does.
func (a *Account) triggerJSON(t *trigger) map[string]any {
	all, anyOf := nonNilConds(t.Conditions.All), nonNilConds(t.Conditions.Any)
	actions := t.Actions
	if actions == nil {
		actions = []Action{}
	}
	return map[string]any{
		"url": fmt.Sprintf("%s/api/v2/triggers/%d.json", a.base, t.ID), "id": t.ID, "title": t.Title,
		"raw_title": t.Title, "active": t.Active, "position": t.Position, "default": false,
		"description": optString(t.Description), "category_id": t.CategoryID,
		"conditions": map[string]any{"all": all, "any": anyOf}, "actions": actions,
		"created_at": stamp(t.CreatedAt), "updated_at": stamp(t.UpdatedAt),
	}
}

func nonNilConds(c []Condition) []Condition {
	if c == nil {
		return []Condition{}
	}
	return c
}

// checkTrigger validates a trigger as Zendesk does on create and update:
// a title, at least one condition and one action, known fields, operators
// and values, and webhooks that exist and are connected to triggers.
// Callers hold a.mu.
func (a *Account) checkTrigger(t Trigger) error {
	details := map[string][]fieldError{}
	bad := func(key, msg string) { details[key] = append(details[key], fieldError{Description: msg}) }
	if strings.TrimSpace(t.Title) == "" {
		bad("title", "Title: cannot be blank")
	}
	if len(t.Conditions.All)+len(t.Conditions.Any) == 0 {
		bad("conditions", "Conditions: cannot be blank")
	}
	for _, c := range append(slices.Clone(t.Conditions.All), t.Conditions.Any...) {
		if msg := checkCondition(c); msg != "" {
			bad("base", msg)
		}
	}
	if len(t.Actions) == 0 {
		bad("actions", "Actions: cannot be blank")
	}
	for _, act := range t.Actions {
		if msg := a.checkAction(act); msg != "" {
			bad("base", msg)
		}
	}
	if len(details) > 0 {
		return errRecordInvalid(details)
	}
	return nil
}

// validAction says whether a trigger may hold an action; only
// notification_webhook is carried out.
func validAction(field string) bool {
	switch field {
	case "notification_webhook", "notification_user", "notification_group", "notification_target",
		"status", "priority", "type", "group_id", "assignee_id", "set_tags", "current_tags", "remove_tags",
		"comment_value", "comment_value_html", "comment_mode_is_public", "brand_id", "ticket_form_id":
		return true
	}
	return strings.HasPrefix(field, "custom_fields_")
}

// checkAction describes what is wrong with an action, or "". Callers hold
// a.mu.
func (a *Account) checkAction(act Action) string {
	if !validAction(act.Field) {
		return fmt.Sprintf("Actions: %q is not a valid action", act.Field)
	}
	if act.Field != "notification_webhook" {
		return ""
	}
	id, body, ok := webhookAction(act)
	if !ok {
		return "Actions: notification_webhook needs a webhook id and a body"
	}
	wh := a.webhookByID(id)
	switch {
	case wh == nil:
		return fmt.Sprintf("Actions: webhook %q does not exist", id)
	case !wh.conditional():
		return fmt.Sprintf("Actions: webhook %q is subscribed to Zendesk events and cannot be used in triggers", id)
	}
	if spec := wh.snapshot(); spec.RequestFormat == "json" && spec.HTTPMethod != "GET" && spec.HTTPMethod != "DELETE" &&
		!json.Valid([]byte(renderPlaceholders(body, func(string) string { return "0" }, "json"))) {
		return "Actions: the webhook body is not valid JSON"
	}
	return ""
}

// webhookAction reads a notification_webhook value: [id, body].
func webhookAction(act Action) (id, body string, ok bool) {
	list, isList := act.Value.([]any)
	if !isList || len(list) != 2 {
		return "", "", false
	}
	id, ok1 := list[0].(string)
	body, ok2 := list[1].(string)
	return id, body, ok1 && ok2 && id != ""
}

// fireTriggers runs the active triggers, in order, against a ticket
// change and queues the webhook requests of those whose conditions hold.
// Queuing under a.mu keeps requests in the order the changes happened.
// Callers hold a.mu.
func (a *Account) fireTriggers(ch change) {
	var values func(string) string
	for _, t := range a.sortedTriggers() {
		if !t.Active || !t.matches(ch) {
			continue
		}
		t.fired++
		for _, act := range t.Actions {
			id, body, ok := webhookAction(act)
			if act.Field != "notification_webhook" || !ok {
				continue
			}
			wh := a.webhookByID(id)
			if wh == nil {
				continue
			}
			if values == nil {
				values = a.placeholderValues(ch)
			}
			rendered := renderPlaceholders(body, values, wh.snapshot().RequestFormat)
			wh.push(invocation{triggerID: t.ID, ticketID: ch.next.ID, body: []byte(rendered)})
		}
	}
}
