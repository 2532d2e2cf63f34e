package salesforcetest

// snapshot is a copy of an org's records, taken before an allOrNone
// composite so a failure can roll every write back.
type snapshot struct {
	records  map[string]*record
	byObject map[string][]*record
	caseSeq  int
}

func (d *orgData) snapshot() *snapshot {
	s := &snapshot{records: make(map[string]*record, len(d.records)), byObject: map[string][]*record{}, caseSeq: d.caseSeq}
	copies := make(map[*record]*record, len(d.records))
	for id, r := range d.records {
		cp := &record{obj: r.obj, id: r.id, deleted: r.deleted,
			vals: make(map[string]any, len(r.vals)), shared: make(map[string]bool, len(r.shared))}
		for k, v := range r.vals {
			cp.vals[k] = v
		}
		for k, v := range r.shared {
			cp.shared[k] = v
		}
		s.records[id] = cp
		copies[r] = cp
	}
	for name, list := range d.byObject {
		out := make([]*record, len(list))
		for i, r := range list {
			out[i] = copies[r]
		}
		s.byObject[name] = out
	}
	return s
}

func (d *orgData) restore(s *snapshot) {
	d.records, d.byObject, d.caseSeq = s.records, s.byObject, s.caseSeq
}
