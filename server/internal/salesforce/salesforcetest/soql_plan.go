package salesforcetest

import "regexp"

// plan is a query checked against the schema and ready to run.
type plan struct {
	obj    *sobject
	cols   []column
	where  pred
	order  []orderKey
	limit  int // -1 for none
	offset int
	count  bool
}

// fieldPath is a resolved field reference: the reference fields walked
// (Account for Account.Owner.Name is AccountId, then OwnerId) and the
// final field.
type fieldPath struct {
	rels []*field
	f    *field
}

// column is one output of the field list.
type column struct {
	path  *fieldPath
	child *childPlan
}

// childPlan is a relationship subquery such as (SELECT Id FROM Contacts).
type childPlan struct {
	rel  childRel
	plan *plan
}

type orderKey struct {
	path      *fieldPath
	desc      bool
	nullsLast bool
}

// pred is a compiled WHERE expression.
type pred interface{ isPred() }

type predLogic struct {
	and   bool
	items []pred
}

type predNot struct{ inner pred }

type predCmp struct {
	path *fieldPath
	op   string
	val  cval
}

type predLike struct {
	path *fieldPath
	re   *regexp.Regexp
}

// predIn is IN/NOT IN over literal values or a semi-join subquery.
type predIn struct {
	path *fieldPath
	not  bool
	vals []cval
	sub  *plan
}

func (*predLogic) isPred() {}
func (*predNot) isPred()   {}
func (*predCmp) isPred()   {}
func (*predLike) isPred()  {}
func (*predIn) isPred()    {}
