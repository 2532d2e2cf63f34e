package zendesk

import "github.com/crossview/crossview/server/internal/crossview"

// Write statuses, as crossview.WriteResult names them.
const (
	statusCreated   = "created"
	statusUpdated   = "updated"
	statusUnchanged = "unchanged"
	statusSkipped   = "skipped"
	statusFailed    = "failed"
)

// results are one write's outcomes, one per record in order. A record
// whose key (external id) came again later in the batch is written once,
// as its last copy, and shares that copy's result.
type results struct {
	res  []crossview.WriteResult
	keys []string
	last map[string]int
}

// newResults starts the outcomes of records with these keys; a record
// without a key fails at once.
func newResults(keys []string) *results {
	r := &results{res: make([]crossview.WriteResult, len(keys)), keys: keys, last: map[string]int{}}
	for i, k := range keys {
		r.res[i].ExternalID = k
		if lower(k) == "" {
			r.fail(i, "The record has no Salesforce id to use as its external id.")
			continue
		}
		r.last[lower(k)] = i
	}
	return r
}

// todo reports whether record i is to be written: it has a key, is its
// key's last copy, and has no outcome yet.
func (r *results) todo(i int) bool {
	return r.res[i].Status == "" && r.last[lower(r.keys[i])] == i
}

func (r *results) set(i int, status string, id int64, msg string) {
	r.res[i].Status, r.res[i].ZendeskID, r.res[i].Error = status, id, msg
}

func (r *results) fail(i int, msg string) { r.set(i, statusFailed, 0, msg) }

// job records what a bulk job did to record i: created or updated, or
// refused with Zendesk's message.
func (r *results) job(i int, jr jobResult) {
	switch {
	case !jr.Success:
		r.fail(i, jr.message())
	case jr.Action == "create" || jr.Status == "Created":
		r.set(i, statusCreated, int64(jr.ID), "")
	default:
		r.set(i, statusUpdated, int64(jr.ID), "")
	}
}

// done copies each key's result to its earlier copies and returns them.
func (r *results) done() []crossview.WriteResult {
	for i, k := range r.keys {
		if j, ok := r.last[lower(k)]; ok && j != i {
			name := r.res[i].ExternalID
			r.res[i] = r.res[j]
			r.res[i].ExternalID = name
		}
	}
	return r.res
}
