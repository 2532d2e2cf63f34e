package salesforcetest

import (
	"strconv"
	"strings"
)

// condition parses a WHERE expression. SOQL requires parentheses whenever
// operators are mixed, so "a AND b OR c" and "a AND NOT b" are errors, and
// NOT applies to one simple expression.
func (p *parser) condition() (condNode, *apiError) {
	start := p.peek()
	if start.is("NOT") {
		p.next()
		inner, err := p.simple()
		if err != nil {
			return nil, err
		}
		if t := p.peek(); t.is("AND") || t.is("OR") {
			return nil, p.unexpected(t)
		}
		return &notNode{inner: inner, pos: start.pos}, nil
	}
	first, err := p.simple()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if !t.is("AND") && !t.is("OR") {
		return first, nil
	}
	node := &logicNode{and: t.is("AND"), items: []condNode{first}, pos: start.pos}
	for {
		t := p.peek()
		if !t.is("AND") && !t.is("OR") {
			return node, nil
		}
		if t.is("AND") != node.and {
			return nil, p.unexpected(t)
		}
		p.next()
		if p.peek().is("NOT") {
			return nil, p.unexpected(p.peek())
		}
		item, err := p.simple()
		if err != nil {
			return nil, err
		}
		node.items = append(node.items, item)
	}
}

// simple parses a parenthesised condition or one field expression.
func (p *parser) simple() (condNode, *apiError) {
	if p.peek().kind == tokLParen {
		p.next()
		c, err := p.condition()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokRParen); err != nil {
			return nil, err
		}
		return c, nil
	}
	path, err := p.fieldPath()
	if err != nil {
		return nil, err
	}
	t := p.next()
	switch {
	case t.kind == tokOp:
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		return &cmpNode{path: path, op: t, val: v}, nil
	case t.is("LIKE"):
		pat := p.next()
		if pat.kind != tokString {
			return nil, p.unexpected(pat)
		}
		return &likeNode{path: path, pattern: pat}, nil
	case t.is("IN"):
		return p.inList(path, false, t.pos)
	case t.is("NOT"):
		in := p.next()
		if !in.is("IN") {
			return nil, p.unexpected(in)
		}
		return p.inList(path, true, t.pos)
	}
	return nil, p.unexpected(t)
}

// inList parses (v1, v2, ...) or a (SELECT ...) semi-join.
func (p *parser) inList(path []token, not bool, pos int) (condNode, *apiError) {
	if _, err := p.expect(tokLParen); err != nil {
		return nil, err
	}
	n := &inNode{path: path, not: not, pos: pos}
	if p.peek().is("SELECT") {
		sub, err := p.query(true)
		if err != nil {
			return nil, err
		}
		n.sub = sub
	} else {
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
			if p.peek().kind != tokComma {
				break
			}
			p.next()
		}
	}
	if _, err := p.expect(tokRParen); err != nil {
		return nil, err
	}
	return n, nil
}

// value parses a literal: string, number, true/false/null, a date or
// date-time, or a date literal such as TODAY or LAST_N_DAYS:7.
func (p *parser) value() (valueNode, *apiError) {
	t := p.next()
	switch t.kind {
	case tokString:
		return valueNode{kind: valString, tok: t}, nil
	case tokNumber:
		return valueNode{kind: valNumber, tok: t}, nil
	case tokDate:
		return valueNode{kind: valDate, tok: t}, nil
	case tokDateTime:
		return valueNode{kind: valDateTime, tok: t}, nil
	case tokIdent:
		upper := strings.ToUpper(t.text)
		switch upper {
		case "TRUE":
			return valueNode{kind: valTrue, tok: t}, nil
		case "FALSE":
			return valueNode{kind: valFalse, tok: t}, nil
		case "NULL":
			return valueNode{kind: valNull, tok: t}, nil
		}
		if fixedDateLiteral(upper) {
			return valueNode{kind: valDateLiteral, tok: t, name: upper}, nil
		}
		if nDateLiteral(upper) {
			if _, err := p.expect(tokColon); err != nil {
				return valueNode{}, err
			}
			num, err := p.integer()
			if err != nil {
				return valueNode{}, err
			}
			n, _ := strconv.Atoi(num.text)
			return valueNode{kind: valDateLiteral, tok: t, name: upper, n: n}, nil
		}
	}
	return valueNode{}, p.unexpected(t)
}
