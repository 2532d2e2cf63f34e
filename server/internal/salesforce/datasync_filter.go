package salesforce

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Filter problem codes, stable: CheckObject reports them as health
// problems and FilterError carries them.
const (
	FilterFieldMissing       = "datasync_filter_field_missing"
	FilterFieldNotFilterable = "datasync_filter_field_not_filterable"
	FilterOperator           = "datasync_filter_operator"
	FilterValue              = "datasync_filter_value"
	FilterPicklistValue      = "datasync_filter_picklist_value"
	FilterGroupInvalid       = "datasync_filter_group"
	FilterTooLong            = "datasync_filter_too_long"
)

// maxFilterURL bounds a compiled filter, URL-encoded, so the query that
// carries it stays under Salesforce's 16,384-byte limit on a request's
// URI and headers.
const maxFilterURL = 12000

// FilterError is a filter condition Salesforce would refuse or could not
// read as meant: an unknown or unfilterable field, an operator its type
// does not take, a value that is not of its type. Nothing is sent.
type FilterError struct {
	Code     string // one of the Filter* codes
	Object   string
	Field    string // as the settings name it
	Operator string
	Value    string
	Reason   string // what is wrong, in words an admin can act on
}

func (e *FilterError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s filter: %s", e.Object, e.Reason)
	}
	return fmt.Sprintf("%s filter on %s: %s", e.Object, e.Field, e.Reason)
}

// CompileFilter turns a filter into a SOQL condition for d's object:
// nested AND/OR groups to any depth, each field checked against the
// describe (it exists and is filterable), each operator against the
// field's type, each value typed (strings quoted and escaped, numbers,
// booleans, dates and date-times as SOQL literals, picklist values among
// the picklist's; like takes % and _ as its wildcards, as SOQL does). A
// nil or empty filter is "". The error is the first
// *FilterError; CheckObject lists them all.
func CompileFilter(d *ObjectDescribe, g *crossview.FilterGroup) (string, error) {
	s, problems := compileFilter(d, g)
	if len(problems) > 0 {
		return "", problems[0]
	}
	return s, nil
}

func compileFilter(d *ObjectDescribe, g *crossview.FilterGroup) (string, []*FilterError) {
	if emptyFilter(g) {
		return "", nil
	}
	k := &filterCompiler{d: d}
	s := k.group(*g)
	if len(k.problems) == 0 && len(url.QueryEscape(s)) > maxFilterURL {
		k.fail(FilterTooLong, crossview.FilterCondition{}, "the filter is too long for one Salesforce query; use fewer conditions or an in list")
	}
	return s, k.problems
}

type filterCompiler struct {
	d        *ObjectDescribe
	problems []*FilterError
}

func (k *filterCompiler) fail(code string, c crossview.FilterCondition, format string, args ...any) string {
	k.problems = append(k.problems, &FilterError{Code: code, Object: k.d.Name, Field: c.Field,
		Operator: c.Operator, Value: c.Value, Reason: fmt.Sprintf(format, args...)})
	return ""
}

// group joins a group's conditions and subgroups, in parentheses: SOQL
// wants them wherever AND and OR meet.
func (k *filterCompiler) group(g crossview.FilterGroup) string {
	op := strings.ToUpper(strings.TrimSpace(g.Op))
	if op != "AND" && op != "OR" {
		k.fail(FilterGroupInvalid, crossview.FilterCondition{}, "a group joins its conditions with \"and\" or \"or\", not %q", g.Op)
	}
	var parts []string
	for _, c := range g.Conditions {
		parts = append(parts, k.condition(c))
	}
	for _, sub := range g.Groups {
		if emptyFilter(&sub) {
			k.fail(FilterGroupInvalid, crossview.FilterCondition{}, "a nested group has no conditions; remove it")
			continue
		}
		parts = append(parts, k.group(sub))
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, " "+op+" ") + ")"
}

// condition compiles one comparison. The field is written as the describe
// spells it, never as the settings do.
func (k *filterCompiler) condition(c crossview.FilterCondition) string {
	name := strings.TrimSpace(c.Field)
	if strings.Contains(name, ".") {
		return k.fail(FilterFieldMissing, c, "a filter tests %s's own fields, not a related record's (%q)", k.d.Name, c.Field)
	}
	f, ok := k.d.Field(name)
	if !ok {
		return k.fail(FilterFieldMissing, c, "%s has no field %q that the connected user can see", k.d.Name, c.Field)
	}
	if !f.Filterable {
		return k.fail(FilterFieldNotFilterable, c, "Salesforce cannot filter on %s (%s)", f.Name, typeName(f))
	}
	op := strings.ToLower(strings.Join(strings.Fields(c.Operator), " "))
	if !crossview.ValidOperator(op) {
		return k.fail(FilterOperator, c, "%q is not an operator (use =, !=, <, <=, >, >=, like, not like, in, not in, is null or is not null)", c.Operator)
	}
	kind := kindOf(f)
	if why := operatorMisfit(kind, op); why != "" {
		return k.fail(FilterOperator, c, "%s is %s: %s", f.Name, typeName(f), why)
	}
	switch op {
	case "is null":
		return f.Name + " = null"
	case "is not null":
		return f.Name + " != null"
	case "in", "not in":
		return k.in(f, kind, op, c)
	}
	lit, ok := k.literal(f, kind, c, c.Value)
	if !ok {
		return ""
	}
	switch op {
	case "like":
		return f.Name + " LIKE " + lit
	case "not like":
		return "(NOT " + f.Name + " LIKE " + lit + ")"
	}
	return f.Name + " " + op + " " + lit
}

func (k *filterCompiler) in(f *FieldDescribe, kind fieldKind, op string, c crossview.FilterCondition) string {
	if len(c.Values) == 0 {
		return k.fail(FilterValue, c, "%s needs at least one value", op)
	}
	lits := make([]string, 0, len(c.Values))
	for _, v := range c.Values {
		lit, ok := k.literal(f, kind, c, v)
		if !ok {
			return ""
		}
		lits = append(lits, lit)
	}
	return f.Name + " " + strings.ToUpper(op) + " (" + strings.Join(lits, ", ") + ")"
}
