package salesforcetest

import (
	"fmt"
	"strings"
	"time"
)

// cond compiles a WHERE expression. Semi-joins are allowed only in the top
// query's WHERE, and not inside one another.
func (c *compiler) cond(obj *sobject, n condNode, allowJoin bool) (pred, *apiError) {
	switch n := n.(type) {
	case *logicNode:
		out := &predLogic{and: n.and}
		for _, item := range n.items {
			p, err := c.cond(obj, item, allowJoin)
			if err != nil {
				return nil, err
			}
			out.items = append(out.items, p)
		}
		return out, nil
	case *notNode:
		inner, err := c.cond(obj, n.inner, allowJoin)
		if err != nil {
			return nil, err
		}
		return &predNot{inner: inner}, nil
	case *cmpNode:
		fp, err := c.filterPath(obj, n.path)
		if err != nil {
			return nil, err
		}
		if fp.f.typ == typeBoolean && n.op.text != "=" && n.op.text != "!=" && n.op.text != "<>" {
			return nil, queryError(c.q, n.op.pos, "INVALID_QUERY_FILTER_OPERATOR", "invalid operator on boolean field")
		}
		v, err := c.literal(fp.f, n.val)
		if err != nil {
			return nil, err
		}
		op := n.op.text
		if op == "<>" {
			op = "!="
		}
		return &predCmp{path: fp, op: op, val: v}, nil
	case *likeNode:
		fp, err := c.filterPath(obj, n.path)
		if err != nil {
			return nil, err
		}
		if !fp.f.typ.textual() {
			return nil, queryError(c.q, n.pattern.pos, "INVALID_QUERY_FILTER_OPERATOR",
				fmt.Sprintf("invalid operator on %s field", typeWord(fp.f.typ)))
		}
		re, rerr := likeRegexp(n.pattern.text)
		if rerr != nil {
			return nil, syntaxError(c.q, n.pattern.pos, "invalid LIKE pattern")
		}
		return &predLike{path: fp, re: re}, nil
	case *inNode:
		return c.in(obj, n, allowJoin)
	}
	return nil, syntaxError(c.q, 0, "unsupported condition")
}

func (c *compiler) in(obj *sobject, n *inNode, allowJoin bool) (pred, *apiError) {
	fp, err := c.filterPath(obj, n.path)
	if err != nil {
		return nil, err
	}
	out := &predIn{path: fp, not: n.not}
	if n.sub == nil {
		for _, v := range n.vals {
			cv, err := c.literal(fp.f, v)
			if err != nil {
				return nil, err
			}
			if cv.rng != nil {
				return nil, syntaxError(c.q, v.tok.pos, "unexpected token: '"+v.tok.text+"'")
			}
			out.vals = append(out.vals, cv)
		}
		return out, nil
	}
	if !allowJoin {
		return nil, queryError(c.q, n.pos, "INVALID_QUERY_FILTER_OPERATOR",
			"Nesting of semi join sub-selects is not supported")
	}
	if !fp.f.typ.idLike() {
		return nil, queryError(c.q, n.path[0].pos, "INVALID_QUERY_FILTER_OPERATOR",
			"Invalid field for semi/anti join: "+fp.String())
	}
	subObj := c.s.object(n.sub.from.text)
	if subObj == nil {
		return nil, queryError(c.q, n.sub.from.pos, "INVALID_TYPE", "sObject type '"+n.sub.from.text+"' is not supported.")
	}
	if len(n.sub.items) != 1 || n.sub.items[0].path == nil {
		return nil, queryError(c.q, n.sub.items[0].pos, "MALFORMED_QUERY",
			"semi join sub-selects can only select one field")
	}
	sp, err := c.plan(n.sub, subObj, false)
	if err != nil {
		return nil, err
	}
	if f := sp.cols[0].path; len(f.rels) > 0 || !f.f.typ.idLike() {
		return nil, queryError(c.q, n.sub.items[0].pos, "INVALID_FIELD",
			"semi join sub-selects can only query id fields, cannot use: '"+f.String()+"'")
	}
	out.sub = sp
	return out, nil
}

// filterPath resolves a field a condition tests, refusing the fields
// describe marks filterable=false (long and rich text areas).
func (c *compiler) filterPath(obj *sobject, toks []token) (*fieldPath, *apiError) {
	fp, err := c.path(obj, toks)
	if err != nil {
		return nil, err
	}
	if !fp.f.filterable() {
		return nil, queryError(c.q, toks[0].pos, "INVALID_FIELD",
			"field '"+fp.f.name+"' can not be filtered in a query call")
	}
	return fp, nil
}

// literal types a value against the field it is compared with, refusing
// the combinations Salesforce refuses.
func (c *compiler) literal(f *field, v valueNode) (cval, *apiError) {
	if v.kind == valNull {
		return cval{null: true}, nil
	}
	wrong := func() (cval, *apiError) {
		how := "should not be enclosed in quotes"
		if f.typ.textual() || f.typ.idLike() {
			how = "should be enclosed in quotes"
		}
		return cval{}, queryError(c.q, v.tok.pos, "INVALID_FIELD", fmt.Sprintf(
			"value of filter criterion for field '%s' must be of type %s and %s", f.name, typeWord(f.typ), how))
	}
	switch {
	case f.typ.textual() || f.typ.idLike():
		if v.kind != valString {
			return wrong()
		}
		s, ok := decodeString(v.tok.text)
		if !ok {
			return cval{}, syntaxError(c.q, v.tok.pos, "Invalid string literal '"+v.tok.text+
				"'. Illegal character sequence in string literal: \\_ and \\% are only allowed in LIKE")
		}
		if f.typ.idLike() {
			id := normalizeID(s)
			if id == "" {
				return cval{}, queryError(c.q, v.tok.pos, "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: "+s)
			}
			s = id
		}
		return cval{s: strings.ToLower(s)}, nil
	case f.typ == typeBoolean:
		if v.kind != valTrue && v.kind != valFalse {
			return wrong()
		}
		return cval{b: v.kind == valTrue}, nil
	case f.typ.numeric():
		if v.kind != valNumber {
			return wrong()
		}
		var n float64
		if _, err := fmt.Sscan(v.tok.text, &n); err != nil {
			return wrong()
		}
		return cval{n: n}, nil
	case f.typ.temporal():
		switch {
		case v.kind == valDateLiteral:
			r := dateLiteralRange(v.name, v.n, c.now)
			return cval{rng: &r}, nil
		case v.kind == valDate && f.typ == typeDate:
			t, err := time.Parse(dateLayout, v.tok.text)
			if err != nil {
				return cval{}, syntaxError(c.q, v.tok.pos, "unexpected token: '"+v.tok.text+"'")
			}
			return cval{t: t}, nil
		case v.kind == valDateTime && f.typ == typeDateTime:
			t, err := time.Parse(time.RFC3339Nano, v.tok.text)
			if err != nil {
				return cval{}, syntaxError(c.q, v.tok.pos, "unexpected token: '"+v.tok.text+"'")
			}
			return cval{t: t.UTC()}, nil
		}
	}
	return wrong()
}

// typeWord is how Salesforce names a type in filter errors.
func typeWord(t fieldType) string {
	switch {
	case t.textual():
		return "string"
	case t.idLike():
		return "id"
	case t == typeDateTime:
		return "dateTime"
	case t == typeInt:
		return "integer"
	}
	return string(t)
}
