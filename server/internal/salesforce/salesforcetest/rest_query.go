package salesforcetest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// locatorLifetime is how long an unused query locator lives.
const locatorLifetime = 15 * time.Minute

// cursor holds the rest of a query result behind a nextRecordsUrl.
type cursor struct {
	userID   string
	rows     []object
	lastUsed time.Time
}

// routeQuery serves query, queryAll and their continuations. The caller
// holds o.mu.
func (o *Org) routeQuery(rq restReq) restResp {
	if rq.method != http.MethodGet {
		return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
	}
	switch len(rq.segs) {
	case 1:
		return o.query(rq, rq.segs[0] == "queryAll")
	case 2:
		return o.queryMore(rq, rq.segs[1])
	}
	return errResp(errNotFound())
}

func (o *Org) query(rq restReq, all bool) restResp {
	q := rq.query.Get("q")
	if strings.TrimSpace(q) == "" {
		return errResp(newAPIError(http.StatusBadRequest, "MALFORMED_QUERY", "A query string has to be specified"))
	}
	hidden := func(obj *sobject, f *field) bool { return o.data.fieldAccess(rq.user, obj, f) == FieldHidden }
	p, aerr := compileSOQLAs(q, o.data.schema, o.nowUTC(), hidden)
	if aerr != nil {
		return errResp(aerr)
	}
	x := &executor{d: o.data, user: rq.user, all: all, v: rq.version}
	res := x.run(p)
	if p.count {
		return restResp{status: http.StatusOK, body: object{
			{"totalSize", res.total}, {"done", true}, {"records", []object{}}}}
	}
	return o.firstPage(rq, res.rows)
}

// firstPage answers with the first batch and keeps the rest behind a
// query locator.
func (o *Org) firstPage(rq restReq, rows []object) restResp {
	batch := o.cloud.opts.QueryBatchSize
	if len(rows) <= batch {
		return restResp{status: http.StatusOK, body: object{
			{"totalSize", len(rows)}, {"done", true}, {"records", rows}}}
	}
	now := o.nowUTC()
	for id, c := range o.cursors {
		if now.Sub(c.lastUsed) > locatorLifetime {
			delete(o.cursors, id)
		}
	}
	locator := o.cloud.nextID(prefixLocator)
	o.cursors[locator] = &cursor{userID: rq.user.ID, rows: rows, lastUsed: now}
	return restResp{status: http.StatusOK, body: pageBody(rq.version, locator, rows, 0, batch)}
}

// pageBody renders rows[offset:offset+batch] with nextRecordsUrl when more
// remain.
func pageBody(v apiVersion, locator string, rows []object, offset, batch int) object {
	end := min(offset+batch, len(rows))
	body := object{{"totalSize", len(rows)}, {"done", end == len(rows)}}
	if end < len(rows) {
		body = append(body, member{"nextRecordsUrl",
			v.dataPath() + "/query/" + locator + "-" + strconv.Itoa(end)})
	}
	return append(body, member{"records", rows[offset:end]})
}

// queryMore serves /query/{locator}-{offset}.
func (o *Org) queryMore(rq restReq, seg string) restResp {
	invalid := errResp(newAPIError(http.StatusBadRequest, "INVALID_QUERY_LOCATOR", "invalid query locator"))
	i := strings.LastIndexByte(seg, '-')
	if i < 0 {
		return invalid
	}
	offset, err := strconv.Atoi(seg[i+1:])
	c := o.cursors[seg[:i]]
	now := o.nowUTC()
	if err != nil || c == nil || c.userID != rq.user.ID || offset < 0 || offset >= len(c.rows) {
		return invalid
	}
	if now.Sub(c.lastUsed) > locatorLifetime {
		delete(o.cursors, seg[:i])
		return invalid
	}
	c.lastUsed = now
	return restResp{status: http.StatusOK, body: pageBody(rq.version, seg[:i], c.rows, offset, o.cloud.opts.QueryBatchSize)}
}
