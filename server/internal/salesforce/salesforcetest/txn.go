package salesforcetest

import "time"

// txn records what a transaction changed so a failure can undo it: an
// allOrNone composite, an allOrNone collection, or one inside the other.
// Only touched records are copied, so a rollback costs what the
// transaction did, not the size of the org.
type txn struct {
	saved   map[*record]recordState // state before the first change
	created map[*record]bool
	caseSeq int
}

type recordState struct {
	vals      map[string]any
	deleted   bool
	deletedAt time.Time
}

// begin opens a transaction, nested in any open one.
func (d *orgData) begin() {
	d.txns = append(d.txns, &txn{saved: map[*record]recordState{}, created: map[*record]bool{}, caseSeq: d.caseSeq})
}

// touch saves r's state before its first change in the innermost
// transaction.
func (d *orgData) touch(r *record) {
	if len(d.txns) == 0 {
		return
	}
	t := d.txns[len(d.txns)-1]
	if _, ok := t.saved[r]; ok || t.created[r] {
		return
	}
	vals := make(map[string]any, len(r.vals))
	for k, v := range r.vals {
		vals[k] = v
	}
	t.saved[r] = recordState{vals: vals, deleted: r.deleted, deletedAt: r.deletedAt}
}

// created notes a record the innermost transaction made.
func (d *orgData) noteCreated(r *record) {
	if len(d.txns) > 0 {
		d.txns[len(d.txns)-1].created[r] = true
	}
}

// commitTxn closes the innermost transaction, keeping its changes; an
// enclosing transaction takes them over, so it can still undo them.
func (d *orgData) commitTxn() {
	t := d.txns[len(d.txns)-1]
	d.txns = d.txns[:len(d.txns)-1]
	if len(d.txns) == 0 {
		return
	}
	parent := d.txns[len(d.txns)-1]
	for r, st := range t.saved {
		if _, ok := parent.saved[r]; !ok && !parent.created[r] {
			parent.saved[r] = st
		}
	}
	for r := range t.created {
		parent.created[r] = true
	}
}

// rollback closes the innermost transaction, undoing its changes.
func (d *orgData) rollback() {
	t := d.txns[len(d.txns)-1]
	d.txns = d.txns[:len(d.txns)-1]
	for r, st := range t.saved {
		old := indexedValues(r)
		r.vals, r.deleted, r.deletedAt = st.vals, st.deleted, st.deletedAt
		d.reindex(r, old)
	}
	if len(t.created) > 0 {
		objects := map[string]bool{}
		for r := range t.created {
			d.unindex(r)
			delete(d.records, r.id)
			objects[r.obj.name] = true
		}
		for name := range objects {
			kept := d.byObject[name][:0]
			for _, r := range d.byObject[name] {
				if !t.created[r] {
					kept = append(kept, r)
				}
			}
			d.byObject[name] = kept
		}
	}
	d.caseSeq = t.caseSeq
}
