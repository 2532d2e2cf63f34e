package salesforcetest

import (
	"strconv"
	"strings"
	"time"
)

// maxOffset is Salesforce's largest OFFSET.
const maxOffset = 2000

// compiler checks a parsed query against an org's schema.
type compiler struct {
	q   string
	s   *schema
	now time.Time
	// hidden reports fields field-level security hides from the caller;
	// nil hides none.
	hidden func(*sobject, *field) bool
}

// compileSOQL parses and checks q; errors are Salesforce's
// MALFORMED_QUERY, INVALID_TYPE, INVALID_FIELD and friends.
func compileSOQL(q string, s *schema, now time.Time) (*plan, *apiError) {
	return compileSOQLAs(q, s, now, nil)
}

// compileSOQLAs compiles q for a caller from whom hidden hides fields:
// they do not exist as far as the query is concerned.
func compileSOQLAs(q string, s *schema, now time.Time, hidden func(*sobject, *field) bool) (*plan, *apiError) {
	ast, err := parseSOQL(q)
	if err != nil {
		return nil, err
	}
	c := &compiler{q: q, s: s, now: now, hidden: hidden}
	obj := s.object(ast.from.text)
	if obj == nil {
		return nil, queryError(q, ast.from.pos, "INVALID_TYPE", "sObject type '"+ast.from.text+
			"' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
	}
	return c.plan(ast, obj, true)
}

func (c *compiler) plan(ast *soqlQuery, obj *sobject, top bool) (*plan, *apiError) {
	p := &plan{obj: obj, limit: -1}
	seen := map[string]bool{}
	for _, item := range ast.items {
		switch {
		case item.count:
			if len(ast.items) > 1 || !top {
				return nil, syntaxError(c.q, item.pos, "COUNT() can only be used alone in the field list")
			}
			p.count = true
		case item.sub != nil:
			cp, err := c.childPlan(item.sub, obj)
			if err != nil {
				return nil, err
			}
			p.cols = append(p.cols, column{child: cp})
		default:
			fp, err := c.path(obj, item.path)
			if err != nil {
				return nil, err
			}
			key := strings.ToLower(fp.String())
			if seen[key] {
				return nil, syntaxError(c.q, item.pos, "duplicate field selected: "+fp.String())
			}
			seen[key] = true
			p.cols = append(p.cols, column{path: fp})
		}
	}
	if ast.where != nil {
		w, err := c.cond(obj, ast.where, top)
		if err != nil {
			return nil, err
		}
		p.where = w
	}
	for _, o := range ast.orderBy {
		if p.count {
			return nil, syntaxError(c.q, o.path[0].pos, "ORDER BY cannot be used with COUNT()")
		}
		fp, err := c.path(obj, o.path)
		if err != nil {
			return nil, err
		}
		if !fp.f.sortable() {
			return nil, queryError(c.q, o.path[0].pos, "INVALID_FIELD",
				"field '"+fp.f.name+"' can not be sorted in a query call")
		}
		p.order = append(p.order, orderKey{path: fp, desc: o.desc, nullsLast: o.nullsLast})
	}
	if ast.limit != nil {
		p.limit, _ = strconv.Atoi(ast.limit.text)
	}
	if ast.offset != nil {
		p.offset, _ = strconv.Atoi(ast.offset.text)
		if p.offset > maxOffset {
			return nil, queryError(c.q, ast.offset.pos, "NUMBER_OUTSIDE_VALID_RANGE",
				"Maximum SOQL offset allowed is 2000")
		}
	}
	return p, nil
}

// childPlan compiles (SELECT ... FROM Contacts ...) inside an Account query.
func (c *compiler) childPlan(sub *soqlQuery, parent *sobject) (*childPlan, *apiError) {
	rel, ok := parent.child(sub.from.text)
	if !ok {
		return nil, queryError(c.q, sub.from.pos, "INVALID_TYPE", "Didn't understand relationship '"+sub.from.text+
			"' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.")
	}
	p, err := c.plan(sub, c.s.object(rel.object), false)
	if err != nil {
		return nil, err
	}
	return &childPlan{rel: rel, plan: p}, nil
}

// path resolves Name, Account.Name or Account.Owner.Name on obj.
func (c *compiler) path(obj *sobject, toks []token) (*fieldPath, *apiError) {
	fp := &fieldPath{}
	cur := obj
	for _, t := range toks[:len(toks)-1] {
		rel := cur.parent(t.text)
		if rel == nil || len(fp.rels) == 5 {
			return nil, queryError(c.q, t.pos, "INVALID_FIELD", "Didn't understand relationship '"+t.text+
				"' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.")
		}
		fp.rels = append(fp.rels, rel)
		cur = c.s.object(rel.refTo)
	}
	last := toks[len(toks)-1]
	fp.f = cur.field(last.text)
	if fp.f != nil && c.hidden != nil && c.hidden(cur, fp.f) {
		fp.f = nil
	}
	if fp.f == nil {
		return nil, queryError(c.q, last.pos, "INVALID_FIELD", noSuchColumn(last.text, cur.name))
	}
	return fp, nil
}

// noSuchColumn is Salesforce's wording for an unknown field.
func noSuchColumn(field, object string) string {
	return "No such column '" + field + "' on entity '" + object +
		"'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
}

// String is the canonical dotted name, e.g. Account.Owner.Name.
func (fp *fieldPath) String() string {
	var parts []string
	for _, r := range fp.rels {
		parts = append(parts, r.relName)
	}
	return strings.Join(append(parts, fp.f.name), ".")
}
