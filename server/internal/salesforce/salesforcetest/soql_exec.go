package salesforcetest

import (
	"sort"
	"strings"
	"time"
)

// permsID is the Id Salesforce reports for the UserPermissionAccess row.
const permsID = "000000000000000AAA"

// executor runs plans for one user against locked org data.
type executor struct {
	d     *orgData
	user  *User
	all   bool // queryAll: include deleted records
	v     apiVersion
	joins map[*plan]map[string]bool
}

// result is a query's rendered rows; total is the row count (for COUNT()
// the count itself, with no rows).
type result struct {
	rows  []object
	total int
}

func (x *executor) run(p *plan) result {
	recs := x.filtered(p)
	if p.count {
		return result{total: len(recs), rows: []object{}}
	}
	rows := make([]object, 0, len(recs))
	var children []map[string][]*record
	for _, col := range p.cols {
		if col.child != nil {
			children = append(children, x.childIndex(col.child))
		} else {
			children = append(children, nil)
		}
	}
	for _, r := range recs {
		rows = append(rows, x.project(r, p, children))
	}
	return result{rows: rows, total: len(rows)}
}

// filtered returns the visible records matching p, sorted and paged.
func (x *executor) filtered(p *plan) []*record {
	var recs []*record
	for _, r := range x.source(p.obj) {
		if x.match(p.where, r) {
			recs = append(recs, r)
		}
	}
	x.sort(recs, p.order)
	return page(recs, p.offset, p.limit)
}

func page(recs []*record, offset, limit int) []*record {
	if offset >= len(recs) {
		return nil
	}
	recs = recs[offset:]
	if limit >= 0 && limit < len(recs) {
		recs = recs[:limit]
	}
	return recs
}

// source lists the records of obj the user may see.
func (x *executor) source(obj *sobject) []*record {
	if obj.name == "UserPermissionAccess" {
		return []*record{x.permissions(obj)}
	}
	var out []*record
	for _, r := range x.d.byObject[obj.name] {
		if (!r.deleted || x.all) && x.d.canSee(x.user, r) {
			out = append(out, r)
		}
	}
	return out
}

// permissions builds the one UserPermissionAccess row: the current user's
// effective permissions.
func (x *executor) permissions(obj *sobject) *record {
	p := x.user.Perms
	return &record{obj: obj, id: permsID, vals: map[string]any{
		"Id": permsID, "PermissionsApiEnabled": p.APIEnabled, "PermissionsModifyAllData": p.ModifyAllData,
		"PermissionsViewSetup": p.ViewSetup, "PermissionsCustomizeApplication": p.CustomizeApplication,
		"PermissionsModifyMetadata": p.ModifyMetadata, "PermissionsViewAllData": x.user.SeeAllData || p.ModifyAllData,
	}}
}

// value reads a field path; an absent or invisible parent yields null.
func (x *executor) value(r *record, fp *fieldPath) any {
	for _, rel := range fp.rels {
		if r = x.parent(r, rel); r == nil {
			return nil
		}
	}
	return r.vals[fp.f.name]
}

func (x *executor) parent(r *record, rel *field) *record {
	id, _ := r.vals[rel.name].(string)
	p := x.d.records[id]
	if p == nil || p.deleted || !x.d.canSee(x.user, p) {
		return nil
	}
	return p
}

// childIndex groups the visible, matching child records by parent id.
func (x *executor) childIndex(cp *childPlan) map[string][]*record {
	idx := map[string][]*record{}
	for _, r := range x.source(cp.plan.obj) {
		if parent := r.str(cp.rel.field); parent != "" && x.match(cp.plan.where, r) {
			idx[parent] = append(idx[parent], r)
		}
	}
	return idx
}

// project renders one row: attributes, then the columns in order, parent
// fields nested under their relationship name.
func (x *executor) project(r *record, p *plan, children []map[string][]*record) object {
	out := object{{"attributes", attributes(r.obj, r.id, x.v)}}
	for i, col := range p.cols {
		if col.child == nil {
			x.put(&out, r, col.path, 0)
			continue
		}
		kids := append([]*record(nil), children[i][r.id]...)
		x.sort(kids, col.child.plan.order)
		kids = page(kids, 0, col.child.plan.limit)
		if len(kids) == 0 {
			out.set(col.child.rel.name, nil)
			continue
		}
		rows := make([]object, len(kids))
		for j, k := range kids {
			rows[j] = x.project(k, col.child.plan, nil)
		}
		out.set(col.child.rel.name, object{{"totalSize", len(rows)}, {"done", true}, {"records", rows}})
	}
	return out
}

func (x *executor) put(out *object, r *record, fp *fieldPath, depth int) {
	if depth == len(fp.rels) {
		out.set(fp.f.name, renderValue(fp.f, r.vals[fp.f.name]))
		return
	}
	rel := fp.rels[depth]
	existing, had := out.get(rel.relName)
	parent := x.parent(r, rel)
	if parent == nil {
		if !had {
			out.set(rel.relName, nil)
		}
		return
	}
	nested, _ := existing.(object)
	if nested == nil {
		nested = object{{"attributes", attributes(parent.obj, parent.id, x.v)}}
	}
	x.put(&nested, parent, fp, depth+1)
	out.set(rel.relName, nested)
}

// sort orders records by the keys; text sorts without case, nulls come
// first unless NULLS LAST, ties keep insertion order.
func (x *executor) sort(recs []*record, keys []orderKey) {
	if len(keys) == 0 {
		return
	}
	sort.SliceStable(recs, func(i, j int) bool {
		for _, k := range keys {
			a, b := x.value(recs[i], k.path), x.value(recs[j], k.path)
			switch {
			case a == nil && b == nil:
				continue
			case a == nil:
				return !k.nullsLast
			case b == nil:
				return k.nullsLast
			}
			c := compareStored(a, b)
			if c == 0 {
				continue
			}
			if k.desc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
}

// compareStored orders two non-null stored values of field f.
func compareStored(a, b any) int {
	switch av := a.(type) {
	case string:
		return strings.Compare(strings.ToLower(av), strings.ToLower(b.(string)))
	case bool:
		return boolInt(av) - boolInt(b.(bool))
	case time.Time:
		return av.Compare(b.(time.Time))
	}
	fa, _ := number(a)
	fb, _ := number(b)
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
