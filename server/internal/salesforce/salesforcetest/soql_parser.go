package salesforcetest

import (
	"net/http"
	"strconv"
	"strings"
)

// maxQueryLength is Salesforce's limit on a SOQL statement.
const maxQueryLength = 100000

// parser is a recursive-descent parser over the token list.
type parser struct {
	q    string
	toks []token
	i    int
}

// parseSOQL parses a query into its syntax tree; it knows nothing of the
// schema, which compile checks afterwards.
func parseSOQL(q string) (*soqlQuery, *apiError) {
	if len(q) > maxQueryLength {
		return nil, newAPIError(http.StatusBadRequest, "MALFORMED_QUERY",
			"SOQL statements cannot be longer than 100,000 characters.")
	}
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{q: q, toks: toks}
	sq, err := p.query(false)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t)
	}
	return sq, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// unexpected reports t as a syntax error. Real SOQL keywords the emulator
// does not implement say so, so a test author knows whom to blame.
func (p *parser) unexpected(t token) *apiError {
	msg := "unexpected token: " + quoteToken(t)
	if t.kind == tokIdent && unsupportedKeyword(t.text) {
		msg += " (the Salesforce emulator does not support " + strings.ToUpper(t.text) + ")"
	}
	return syntaxError(p.q, t.pos, msg)
}

func quoteToken(t token) string {
	if t.kind == tokEOF || t.kind == tokString {
		return t.display()
	}
	return "'" + t.text + "'"
}

func unsupportedKeyword(s string) bool {
	switch strings.ToUpper(s) {
	case "GROUP", "HAVING", "WITH", "FOR", "USING", "TYPEOF", "INCLUDES", "EXCLUDES", "ROLLUP", "CUBE",
		"FORMAT", "TOLABEL", "CONVERTCURRENCY", "FIELDS", "SUM", "AVG", "MIN", "MAX", "COUNT_DISTINCT",
		"CALENDAR_YEAR", "CALENDAR_MONTH", "DAY_ONLY":
		return true
	}
	return false
}

func (p *parser) expectKeyword(kw string) *apiError {
	if t := p.next(); !t.is(kw) {
		return p.unexpected(t)
	}
	return nil
}

func (p *parser) expect(kind tokKind) (token, *apiError) {
	t := p.next()
	if t.kind != kind {
		return t, p.unexpected(t)
	}
	return t, nil
}

// query parses SELECT ... FROM ... [WHERE] [ORDER BY] [LIMIT] [OFFSET];
// nested queries stop before their closing parenthesis.
func (p *parser) query(nested bool) (*soqlQuery, *apiError) {
	if err := p.expectKeyword("SELECT"); err != nil {
		return nil, err
	}
	sq := &soqlQuery{}
	for {
		item, err := p.selectItem(nested)
		if err != nil {
			return nil, err
		}
		sq.items = append(sq.items, item)
		if p.peek().kind != tokComma {
			break
		}
		p.next()
	}
	if err := p.expectKeyword("FROM"); err != nil {
		return nil, err
	}
	from, err := p.expect(tokIdent)
	if err != nil {
		return nil, err
	}
	sq.from = from
	if p.peek().is("WHERE") {
		p.next()
		if sq.where, err = p.condition(); err != nil {
			return nil, err
		}
	}
	if p.peek().is("ORDER") {
		p.next()
		if err := p.expectKeyword("BY"); err != nil {
			return nil, err
		}
		if sq.orderBy, err = p.orderBy(); err != nil {
			return nil, err
		}
	}
	if p.peek().is("LIMIT") {
		p.next()
		if sq.limit, err = p.integer(); err != nil {
			return nil, err
		}
	}
	if !nested && p.peek().is("OFFSET") {
		p.next()
		if sq.offset, err = p.integer(); err != nil {
			return nil, err
		}
	}
	return sq, nil
}

func (p *parser) integer() (*token, *apiError) {
	t := p.next()
	if t.kind != tokNumber || strings.ContainsAny(t.text, ".+-") {
		return nil, p.unexpected(t)
	}
	if _, err := strconv.Atoi(t.text); err != nil {
		return nil, p.unexpected(t)
	}
	return &t, nil
}

func (p *parser) selectItem(nested bool) (selectItem, *apiError) {
	t := p.peek()
	switch {
	case t.kind == tokLParen && !nested:
		p.next()
		sub, err := p.query(true)
		if err != nil {
			return selectItem{}, err
		}
		if _, err := p.expect(tokRParen); err != nil {
			return selectItem{}, err
		}
		return selectItem{sub: sub, pos: t.pos}, nil
	case t.is("COUNT") && p.toks[p.i+1].kind == tokLParen:
		p.next()
		p.next()
		if _, err := p.expect(tokRParen); err != nil {
			return selectItem{}, err
		}
		return selectItem{count: true, pos: t.pos}, nil
	}
	path, err := p.fieldPath()
	if err != nil {
		return selectItem{}, err
	}
	return selectItem{path: path, pos: t.pos}, nil
}

// fieldPath parses Name, Account.Name or Account.Owner.Name.
func (p *parser) fieldPath() ([]token, *apiError) {
	t := p.next()
	if t.kind != tokIdent || isReserved(t.text) {
		return nil, p.unexpected(t)
	}
	path := []token{t}
	for p.peek().kind == tokDot {
		p.next()
		t := p.next()
		if t.kind != tokIdent {
			return nil, p.unexpected(t)
		}
		path = append(path, t)
	}
	return path, nil
}

// isReserved lists words that cannot name a field.
func isReserved(s string) bool {
	switch strings.ToUpper(s) {
	case "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET",
		"NULL", "TRUE", "FALSE", "ASC", "DESC", "NULLS":
		return true
	}
	return unsupportedKeyword(s) && strings.ToUpper(s) != "FIELDS"
}

func (p *parser) orderBy() ([]orderItem, *apiError) {
	var items []orderItem
	for {
		path, err := p.fieldPath()
		if err != nil {
			return nil, err
		}
		item := orderItem{path: path}
		if t := p.peek(); t.is("ASC") || t.is("DESC") {
			item.desc = p.next().is("DESC")
		}
		if p.peek().is("NULLS") {
			p.next()
			t := p.next()
			if !t.is("FIRST") && !t.is("LAST") {
				return nil, p.unexpected(t)
			}
			item.nullsLast = t.is("LAST")
		}
		items = append(items, item)
		if p.peek().kind != tokComma {
			return items, nil
		}
		p.next()
	}
}
