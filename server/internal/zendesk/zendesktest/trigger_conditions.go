package zendesktest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Operators, as the conditions reference names them.
const (
	opIs         = "is"
	opIsNot      = "is_not"
	opLess       = "less_than"
	opGreater    = "greater_than"
	opChanged    = "changed"
	opNotChanged = "not_changed"
	opTo         = "value"              // changed to
	opNotTo      = "not_value"          // not changed to
	opFrom       = "value_previous"     // changed from
	opNotFrom    = "not_value_previous" // not changed from
	opIncludes   = "includes"
	opNotInclude = "not_includes"
	opPresent    = "present"
	opNotPresent = "not_present"
)

// fieldOperators lists the operators a condition field takes; nil means
// the field is not supported.
func fieldOperators(field string) []string {
	changes := []string{opIs, opIsNot, opChanged, opNotChanged, opTo, opNotTo, opFrom, opNotFrom}
	switch field {
	case "status", "priority":
		return append(changes, opLess, opGreater)
	case "type", "group_id", "assignee_id", "organization_id", "requester_id", "brand_id", "ticket_form_id":
		return changes
	case "update_type", "comment_is_public":
		return []string{opIs}
	case "via_id", "current_via_id", "role":
		return []string{opIs, opIsNot}
	case "current_tags":
		return []string{opIncludes, opNotInclude}
	}
	if _, ok := customFieldID(field); ok {
		return append(changes, opPresent, opNotPresent)
	}
	return nil
}

// customFieldID reads "custom_fields_<id>".
func customFieldID(field string) (int64, bool) {
	s, ok := strings.CutPrefix(field, "custom_fields_")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// needsValue says whether an operator compares against a value.
func needsValue(op string) bool {
	return op != opChanged && op != opNotChanged && op != opPresent && op != opNotPresent
}

// checkCondition describes what is wrong with a condition, or "".
func checkCondition(c Condition) string {
	ops := fieldOperators(c.Field)
	if ops == nil {
		return fmt.Sprintf("Conditions: %q is not a valid condition", c.Field)
	}
	if !slices.Contains(ops, c.Operator) {
		return fmt.Sprintf("Conditions: %q is not a valid operator for %q", c.Operator, c.Field)
	}
	if !needsValue(c.Operator) {
		return ""
	}
	v, ok := conditionValue(c.Value)
	if !ok || !validConditionValue(c.Field, v) {
		return fmt.Sprintf("Conditions: %v is not a valid value for %q", c.Value, c.Field)
	}
	return ""
}

// conditionValue reads a condition value: a string (numbers are allowed
// for ids), or null as "".
func conditionValue(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), v == float64(int64(v))
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

func validConditionValue(field, v string) bool {
	switch field {
	case "status":
		return statusRank(v) >= 0
	case "priority":
		return v == "" || priorityRank(v) >= 0
	case "type":
		return v == "" || validType(v)
	case "update_type":
		return v == "Create" || v == "Change"
	case "comment_is_public":
		return v == "true" || v == "false" || v == "not_relevant" || v == "requester_can_see_comment"
	case "role":
		return v == "end_user" || v == "agent" || v == "admin"
	case "via_id", "current_via_id":
		return isDigits(v)
	case "current_tags":
		return strings.TrimSpace(v) != ""
	case "assignee_id", "requester_id":
		return v == "" || v == "current_user" || isDigits(v) || (field == "assignee_id" && v == "requester_id")
	case "group_id", "organization_id", "brand_id", "ticket_form_id":
		return v == "" || isDigits(v)
	}
	return true
}

// change is what a trigger sees of one ticket create or update.
type change struct {
	old     *Ticket // nil: created
	next    Ticket
	actor   *User // nil: the system
	comment *Comment
	channel string
}

// matches says whether the trigger's conditions hold for the change.
func (t *trigger) matches(ch change) bool {
	for _, c := range t.Conditions.All {
		if !ch.holds(c) {
			return false
		}
	}
	if len(t.Conditions.Any) == 0 {
		return true
	}
	return slices.ContainsFunc(t.Conditions.Any, ch.holds)
}

// holds evaluates one (validated) condition.
func (ch change) holds(c Condition) bool {
	want, _ := conditionValue(c.Value)
	switch c.Field {
	case "update_type":
		return (want == "Create") == (ch.old == nil)
	case "comment_is_public":
		switch want {
		case "not_relevant":
			return true
		case "true", "requester_can_see_comment":
			return ch.comment != nil && ch.comment.Public
		}
		return ch.comment != nil && !ch.comment.Public
	case "role":
		role := "end_user"
		if ch.actor != nil && ch.actor.Role != RoleEndUser {
			role = ch.actor.Role
		}
		return (role == want) == (c.Operator == opIs)
	case "via_id":
		return (viaID(ch.next.Via.Channel) == want) == (c.Operator == opIs)
	case "current_via_id":
		return (viaID(ch.channel) == want) == (c.Operator == opIs)
	case "current_tags":
		wanted := normalizeTags(strings.Fields(want))
		hit := slices.ContainsFunc(wanted, func(tag string) bool { return slices.Contains(ch.next.Tags, tag) })
		return hit == (c.Operator == opIncludes)
	}
	prev, cur := "", ch.fieldValue(ch.next, c.Field)
	if ch.old != nil {
		prev = ch.fieldValue(*ch.old, c.Field)
	}
	changed := prev != cur
	if want == "current_user" && ch.actor != nil {
		want = strconv.FormatInt(ch.actor.ID, 10)
	} else if want == "requester_id" {
		want = optIDText(ch.next.RequesterID)
	}
	switch c.Operator {
	case opIs:
		return cur == want
	case opIsNot:
		return cur != want
	case opLess, opGreater:
		rank := statusRank
		if c.Field == "priority" {
			rank = priorityRank
		}
		if cur == "" {
			return false
		}
		if c.Operator == opLess {
			return rank(cur) < rank(want)
		}
		return rank(cur) > rank(want)
	case opChanged:
		return changed
	case opNotChanged:
		return !changed
	case opTo:
		return changed && cur == want
	case opNotTo:
		return !(changed && cur == want)
	case opFrom:
		return changed && prev == want
	case opNotFrom:
		return !(changed && prev == want)
	case opPresent:
		return cur != ""
	case opNotPresent:
		return cur == ""
	}
	return false
}

// fieldValue is a ticket field as conditions compare it: a string, ""
// for none.
func (ch change) fieldValue(t Ticket, field string) string {
	switch field {
	case "status":
		return t.Status
	case "priority":
		return t.Priority
	case "type":
		return t.Type
	case "group_id":
		return optIDText(t.GroupID)
	case "assignee_id":
		return optIDText(t.AssigneeID)
	case "organization_id":
		return optIDText(t.OrganizationID)
	case "requester_id":
		return optIDText(t.RequesterID)
	case "brand_id":
		return optIDText(t.BrandID)
	case "ticket_form_id":
		return optIDText(t.TicketFormID)
	}
	if id, ok := customFieldID(field); ok {
		v, _ := conditionValue(customValue(t.CustomFields, id))
		if list, ok := customValue(t.CustomFields, id).([]string); ok {
			v = strings.Join(list, " ")
		}
		return v
	}
	return ""
}

func optIDText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// viaID is the via type id of a channel, as via_id conditions name it.
func viaID(channel string) string {
	switch channel {
	case "web":
		return "0"
	case "email":
		return "4"
	case "api":
		return "5"
	case "rule":
		return "8"
	case "chat":
		return "29"
	}
	return "-1"
}
