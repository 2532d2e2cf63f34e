package salesforcetest

import (
	"strings"
	"time"
)

// match evaluates a WHERE predicate on r; a nil predicate matches.
func (x *executor) match(p pred, r *record) bool {
	switch p := p.(type) {
	case nil:
		return true
	case *predLogic:
		for _, item := range p.items {
			if x.match(item, r) != p.and {
				return !p.and
			}
		}
		return p.and
	case *predNot:
		return !x.match(p.inner, r)
	case *predCmp:
		return compareOp(x.value(r, p.path), p.op, p.val)
	case *predLike:
		s, ok := x.value(r, p.path).(string)
		return ok && p.re.MatchString(s)
	case *predIn:
		v := x.value(r, p.path)
		if p.sub != nil {
			s, _ := v.(string)
			in := s != "" && x.joinSet(p.sub)[strings.ToLower(s)]
			return in != p.not
		}
		in := false
		for _, c := range p.vals {
			if compareOp(v, "=", c) {
				in = true
				break
			}
		}
		return in != p.not
	}
	return false
}

// joinSet runs a semi-join subquery once per query and returns the ids it
// selects, lower-cased.
func (x *executor) joinSet(p *plan) map[string]bool {
	if set, ok := x.joins[p]; ok {
		return set
	}
	set := map[string]bool{}
	for _, r := range x.filtered(p) {
		if s, ok := x.value(r, p.cols[0].path).(string); ok {
			set[strings.ToLower(s)] = true
		}
	}
	if x.joins == nil {
		x.joins = map[*plan]map[string]bool{}
	}
	x.joins[p] = set
	return set
}

// compareOp applies op to a stored value and a literal. As in SOQL, null
// equals only null and "!=" is true when exactly one side is null.
func compareOp(v any, op string, c cval) bool {
	if c.rng != nil {
		t, ok := v.(time.Time)
		if !ok {
			return op == "!="
		}
		in := !t.Before(c.rng.start) && t.Before(c.rng.end)
		switch op {
		case "=":
			return in
		case "!=":
			return !in
		case "<":
			return t.Before(c.rng.start)
		case "<=":
			return t.Before(c.rng.end)
		case ">":
			return !t.Before(c.rng.end)
		case ">=":
			return !t.Before(c.rng.start)
		}
		return false
	}
	if c.null || v == nil {
		switch op {
		case "=":
			return c.null && v == nil
		case "!=":
			return c.null != (v == nil)
		}
		return false
	}
	cmp := compareLiteral(v, c)
	switch op {
	case "=":
		return cmp == 0
	case "!=":
		return cmp != 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	}
	return false
}

// compareLiteral orders a non-null stored value against a literal; text
// and ids compare without case.
func compareLiteral(v any, c cval) int {
	switch x := v.(type) {
	case string:
		return strings.Compare(strings.ToLower(x), c.s)
	case bool:
		return boolInt(x) - boolInt(c.b)
	case time.Time:
		return x.Compare(c.t)
	}
	n, _ := number(v)
	switch {
	case n < c.n:
		return -1
	case n > c.n:
		return 1
	}
	return 0
}
