package salesforcetest

import (
	"fmt"
	"sort"
	"strings"
)

// keyIndex finds records by the value of an external id or unique field,
// so upserts and uniqueness checks cost the same in a 10,000-record org as
// in an empty one. It holds deleted records too: a rollback may revive
// them; lookups skip them.
type keyIndex map[*field]map[string]map[*record]bool

func indexed(f *field) bool { return f.extID || f.unique }

// indexKey is the comparable form of a stored value: text without case
// (callers compare exactly where case matters), numbers by their text.
func indexKey(v any) string {
	if s, ok := v.(string); ok {
		return strings.ToLower(s)
	}
	return fmt.Sprint(v)
}

// reindex moves r's entries from the values in old (nil for a new record)
// to its current values.
func (d *orgData) reindex(r *record, old map[string]any) {
	for _, f := range r.obj.fields {
		if !indexed(f) {
			continue
		}
		before, hadBefore := old[f.name]
		now, hasNow := r.vals[f.name]
		if hadBefore == hasNow && before == now {
			continue
		}
		if hadBefore {
			delete(d.index[f][indexKey(before)], r)
		}
		if hasNow {
			if d.index[f] == nil {
				d.index[f] = map[string]map[*record]bool{}
			}
			k := indexKey(now)
			if d.index[f][k] == nil {
				d.index[f][k] = map[*record]bool{}
			}
			d.index[f][k][r] = true
		}
	}
}

// unindex drops every entry of r, when it leaves the org for good.
func (d *orgData) unindex(r *record) {
	for _, f := range r.obj.fields {
		if v, ok := r.vals[f.name]; ok && indexed(f) {
			delete(d.index[f][indexKey(v)], r)
		}
	}
}

// indexedValues copies the indexed fields of r, to hand to reindex after
// a change.
func indexedValues(r *record) map[string]any {
	out := map[string]any{}
	for _, f := range r.obj.fields {
		if v, ok := r.vals[f.name]; ok && indexed(f) {
			out[f.name] = v
		}
	}
	return out
}

// holders returns the live records of f's object whose value equals key
// without regard to case, in insertion order.
func (d *orgData) holders(obj *sobject, f *field, key any) []*record {
	set := d.index[f][indexKey(key)]
	if len(set) == 0 {
		return nil
	}
	var out []*record
	for r := range set {
		if r.obj == obj && !r.deleted {
			out = append(out, r)
		}
	}
	// Ids grow with each record and base62 sorts like its text, so id
	// order is insertion order.
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}
