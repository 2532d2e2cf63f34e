package salesforcetest

// soqlQuery is a parsed SELECT, top level or nested in parentheses.
type soqlQuery struct {
	items   []selectItem
	from    token
	where   condNode
	orderBy []orderItem
	limit   *token
	offset  *token
}

// selectItem is one entry of the field list: a field path, COUNT(), or a
// child relationship subquery.
type selectItem struct {
	path  []token
	count bool
	sub   *soqlQuery
	pos   int
}

// condNode is a WHERE expression.
type condNode interface{ position() int }

// logicNode joins conditions with one operator; SOQL wants parentheses
// whenever AND and OR are mixed, so a node never holds both.
type logicNode struct {
	and   bool
	items []condNode
	pos   int
}

type notNode struct {
	inner condNode
	pos   int
}

// cmpNode is field op value.
type cmpNode struct {
	path []token
	op   token
	val  valueNode
}

// likeNode is field LIKE 'pattern'.
type likeNode struct {
	path    []token
	pattern token
}

// inNode is field [NOT] IN (values) or a semi-/anti-join subquery.
type inNode struct {
	path []token
	not  bool
	vals []valueNode
	sub  *soqlQuery
	pos  int
}

func (n *logicNode) position() int { return n.pos }
func (n *notNode) position() int   { return n.pos }
func (n *cmpNode) position() int   { return n.path[0].pos }
func (n *likeNode) position() int  { return n.path[0].pos }
func (n *inNode) position() int    { return n.pos }

// valueKind classifies a literal.
type valueKind int

const (
	valString valueKind = iota
	valNumber
	valTrue
	valFalse
	valNull
	valDate
	valDateTime
	valDateLiteral // TODAY, LAST_N_DAYS:n, ...
)

// valueNode is a literal in a condition.
type valueNode struct {
	kind valueKind
	tok  token
	name string // upper-case date literal name
	n    int    // the n of LAST_N_DAYS:n
}

// orderItem is one ORDER BY key.
type orderItem struct {
	path      []token
	desc      bool
	nullsLast bool
}
