package salesforcetest

import (
	"net/http"
	"time"
)

// Data replication limits: getUpdated looks back 30 days, getDeleted 15
// (the recycle bin), and neither returns more than 600,000 ids.
const (
	updatedWindow = 30 * 24 * time.Hour
	deletedWindow = 15 * 24 * time.Hour
	maxReplicaIDs = 600000
)

// replicationWindow reads ?start=&end=, cuts their seconds as Salesforce
// does, and covers up to end or the current minute, whichever is
// earlier, so a poll that starts at latestDateCovered misses nothing.
func (o *Org) replicationWindow(rq restReq, earliest time.Time) (start, covered time.Time, aerr *apiError) {
	raw := [2]string{rq.query.Get("start"), rq.query.Get("end")}
	if raw[0] == "" || raw[1] == "" {
		return start, covered, newAPIError(http.StatusBadRequest, "MISSING_ARGUMENT", "The start and end parameters are required")
	}
	var t [2]time.Time
	for i, s := range raw {
		v, ok := parseTemporal(typeDateTime, s)
		if !ok {
			return start, covered, newAPIError(http.StatusBadRequest, "INVALID_REPLICATION_DATE",
				"%s is not a date and time in ISO 8601 format", s)
		}
		t[i] = v.UTC().Truncate(time.Minute)
	}
	start, end := t[0], t[1]
	switch {
	case !start.Before(end):
		return start, covered, newAPIError(http.StatusBadRequest, "INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate")
	case start.Before(earliest):
		return start, covered, newAPIError(http.StatusBadRequest, "INVALID_REPLICATION_DATE",
			"startDate cannot be earlier than %s", formatDateTime(earliest))
	}
	covered = end
	if now := o.nowUTC().Truncate(time.Minute); now.Before(covered) {
		covered = now
	}
	return start, covered, nil
}

// getUpdated serves GET /sobjects/{Type}/updated: the live records the
// caller sees whose SystemModstamp falls in [start, latestDateCovered).
func (o *Org) getUpdated(rq restReq, obj *sobject) restResp {
	earliest := o.nowUTC().Add(-updatedWindow).Truncate(time.Minute)
	start, covered, aerr := o.replicationWindow(rq, earliest)
	if aerr != nil {
		return errResp(aerr)
	}
	ids := []string{}
	for _, r := range o.data.byObject[obj.name] {
		if r.deleted || !o.data.canSee(rq.user, r) {
			continue
		}
		if stamp := modstamp(r); !stamp.Before(start) && stamp.Before(covered) {
			ids = append(ids, r.id)
		}
	}
	if len(ids) > maxReplicaIDs {
		return errResp(newAPIError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot return more than 600000 ids"))
	}
	return restResp{status: http.StatusOK, body: object{{"ids", ids}, {"latestDateCovered", formatDateTime(covered)}}}
}

// getDeleted serves GET /sobjects/{Type}/deleted: the records in the
// recycle bin the caller sees, deleted in [start, latestDateCovered). A
// start before earliestDateAvailable (15 days back, or the last purge of
// the object's recycle bin) is refused: the client must resync.
func (o *Org) getDeleted(rq restReq, obj *sobject) restResp {
	earliest := o.nowUTC().Add(-deletedWindow).Truncate(time.Minute)
	if p := o.data.purged[obj.name]; p.After(earliest) {
		earliest = p
	}
	start, covered, aerr := o.replicationWindow(rq, earliest)
	if aerr != nil {
		return errResp(aerr)
	}
	deleted := []object{}
	for _, r := range o.data.byObject[obj.name] {
		if !r.deleted || !o.data.canSee(rq.user, r) || r.deletedAt.Before(start) || !r.deletedAt.Before(covered) {
			continue
		}
		deleted = append(deleted, object{{"deletedDate", formatDateTime(r.deletedAt)}, {"id", r.id}})
	}
	if len(deleted) > maxReplicaIDs {
		return errResp(newAPIError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot return more than 600000 ids"))
	}
	return restResp{status: http.StatusOK, body: object{
		{"deletedRecords", deleted}, {"earliestDateAvailable", formatDateTime(earliest)}, {"latestDateCovered", formatDateTime(covered)}}}
}

// modstamp is SystemModstamp, or LastModifiedDate where an object lacks it.
func modstamp(r *record) time.Time {
	if t, ok := r.vals["SystemModstamp"].(time.Time); ok {
		return t
	}
	t, _ := r.vals["LastModifiedDate"].(time.Time)
	return t
}
