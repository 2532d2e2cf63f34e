package crossview

import (
	"strings"
	"unicode"
)

// ParseFilter reads a data-sync filter written as admins write one:
//
//	(Industry = 'Technology' OR Industry = 'Retail') AND AnnualRevenue >= 1000000
//	Type IN ('Customer', 'Partner') AND NOT_USED__c IS NULL
//
// Conditions are a field, an operator (= != < <= > >= LIKE, NOT LIKE, IN,
// NOT IN, IS NULL, IS NOT NULL) and a value (a quoted string with \' for a
// quote, or a bare number, date or true/false); AND binds tighter than OR,
// and parentheses group to any depth. The empty string is no filter.
func ParseFilter(s string) (*FilterGroup, error) {
	p := &filterParser{toks: nil}
	if err := p.lex(s); err != nil {
		return nil, err
	}
	if len(p.toks) == 0 {
		return nil, nil
	}
	g, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, Errorf(EINVALID, "unexpected %q in the filter", p.toks[p.pos].text)
	}
	return g, nil
}

type filterToken struct {
	text   string
	quoted bool
}

type filterParser struct {
	toks []filterToken
	pos  int
}

func (p *filterParser) lex(s string) error {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')' || r == ',':
			p.toks = append(p.toks, filterToken{text: string(r)})
			i++
		case r == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(rs) && rs[j] != '\''; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return Errorf(EINVALID, "a quoted value in the filter is not closed")
			}
			p.toks = append(p.toks, filterToken{text: b.String(), quoted: true})
			i = j + 1
		case strings.ContainsRune("=!<>", r):
			j := i + 1
			if j < len(rs) && rs[j] == '=' {
				j++
			}
			op := string(rs[i:j])
			if op == "!" {
				return Errorf(EINVALID, "unknown operator %q in the filter", op)
			}
			p.toks = append(p.toks, filterToken{text: op})
			i = j
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !strings.ContainsRune("()=!<>,'", rs[j]) {
				j++
			}
			p.toks = append(p.toks, filterToken{text: string(rs[i:j])})
			i = j
		}
	}
	return nil
}

func (p *filterParser) peek() (filterToken, bool) {
	if p.pos >= len(p.toks) {
		return filterToken{}, false
	}
	return p.toks[p.pos], true
}

func (p *filterParser) keyword(words ...string) bool {
	for i, w := range words {
		if p.pos+i >= len(p.toks) {
			return false
		}
		t := p.toks[p.pos+i]
		if t.quoted || !strings.EqualFold(t.text, w) {
			return false
		}
	}
	p.pos += len(words)
	return true
}

// or := and { OR and }
func (p *filterParser) or() (*FilterGroup, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	parts := []*FilterGroup{first}
	for p.keyword("OR") {
		next, err := p.and()
		if err != nil {
			return nil, err
		}
		parts = append(parts, next)
	}
	return join("or", parts), nil
}

// and := term { AND term }
func (p *filterParser) and() (*FilterGroup, error) {
	first, err := p.term()
	if err != nil {
		return nil, err
	}
	parts := []*FilterGroup{first}
	for p.keyword("AND") {
		next, err := p.term()
		if err != nil {
			return nil, err
		}
		parts = append(parts, next)
	}
	return join("and", parts), nil
}

// join makes one group of op from parts, folding single conditions in.
func join(op string, parts []*FilterGroup) *FilterGroup {
	if len(parts) == 1 {
		return parts[0]
	}
	g := &FilterGroup{Op: op}
	for _, q := range parts {
		switch {
		case len(q.Groups) == 0 && len(q.Conditions) == 1:
			g.Conditions = append(g.Conditions, q.Conditions[0])
		case q.Op == op: // (a OR b) OR c is a OR b OR c
			g.Conditions = append(g.Conditions, q.Conditions...)
			g.Groups = append(g.Groups, q.Groups...)
		default:
			g.Groups = append(g.Groups, *q)
		}
	}
	return g
}

// term := ( or ) | condition
func (p *filterParser) term() (*FilterGroup, error) {
	t, ok := p.peek()
	if !ok {
		return nil, Errorf(EINVALID, "the filter ends where a condition was expected")
	}
	if t.text == "(" && !t.quoted {
		p.pos++
		g, err := p.or()
		if err != nil {
			return nil, err
		}
		if c, ok := p.peek(); !ok || c.text != ")" || c.quoted {
			return nil, Errorf(EINVALID, "a parenthesis in the filter is not closed")
		}
		p.pos++
		return g, nil
	}
	c, err := p.condition()
	if err != nil {
		return nil, err
	}
	return &FilterGroup{Op: "and", Conditions: []FilterCondition{c}}, nil
}

func (p *filterParser) condition() (FilterCondition, error) {
	f, _ := p.peek()
	if f.quoted || !ValidFieldName(f.text) {
		return FilterCondition{}, Errorf(EINVALID, "%q is not a Salesforce field name", f.text)
	}
	p.pos++
	c := FilterCondition{Field: f.text}
	switch {
	case p.keyword("IS", "NOT", "NULL"):
		c.Operator = "is not null"
		return c, nil
	case p.keyword("IS", "NULL"):
		c.Operator = "is null"
		return c, nil
	case p.keyword("NOT", "LIKE"):
		c.Operator = "not like"
	case p.keyword("LIKE"):
		c.Operator = "like"
	case p.keyword("NOT", "IN"):
		c.Operator = "not in"
	case p.keyword("IN"):
		c.Operator = "in"
	default:
		op, ok := p.peek()
		if !ok || op.quoted || !ValidOperator(op.text) {
			return c, Errorf(EINVALID, "%s needs an operator (=, !=, <, <=, >, >=, LIKE, IN, IS NULL)", f.text)
		}
		p.pos++
		c.Operator = op.text
	}
	if c.Operator == "in" || c.Operator == "not in" {
		if t, ok := p.peek(); !ok || t.text != "(" || t.quoted {
			return c, Errorf(EINVALID, "%s %s needs a list in parentheses", f.text, strings.ToUpper(c.Operator))
		}
		p.pos++
		for {
			v, ok := p.peek()
			if !ok || (!v.quoted && (v.text == ")" || v.text == ",")) {
				return c, Errorf(EINVALID, "the list after %s is missing a value", f.text)
			}
			p.pos++
			c.Values = append(c.Values, v.text)
			sep, ok := p.peek()
			if !ok || sep.quoted || (sep.text != "," && sep.text != ")") {
				return c, Errorf(EINVALID, "the list after %s is not closed", f.text)
			}
			p.pos++
			if sep.text == ")" {
				return c, nil
			}
		}
	}
	v, ok := p.peek()
	if !ok || (!v.quoted && (v.text == "(" || v.text == ")" || v.text == ",")) {
		return c, Errorf(EINVALID, "%s %s needs a value", f.text, c.Operator)
	}
	p.pos++
	c.Value = v.text
	return c, nil
}

// String writes the filter back in the syntax ParseFilter reads.
func (g *FilterGroup) String() string {
	if g == nil {
		return ""
	}
	var parts []string
	for _, c := range g.Conditions {
		parts = append(parts, c.String())
	}
	for i := range g.Groups {
		parts = append(parts, "("+g.Groups[i].String()+")")
	}
	return strings.Join(parts, " "+strings.ToUpper(orDefault(g.Op, "and"))+" ")
}

// String writes one condition.
func (c FilterCondition) String() string {
	op := strings.ToUpper(c.Operator)
	switch c.Operator {
	case "is null", "is not null":
		return c.Field + " " + op
	case "in", "not in":
		vs := make([]string, len(c.Values))
		for i, v := range c.Values {
			vs[i] = quoteFilterValue(v)
		}
		return c.Field + " " + op + " (" + strings.Join(vs, ", ") + ")"
	}
	return c.Field + " " + op + " " + quoteFilterValue(c.Value)
}

func quoteFilterValue(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
