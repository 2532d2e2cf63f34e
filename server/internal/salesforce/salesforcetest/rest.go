package salesforcetest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"time"
)

// restReq is one REST call after authentication, from HTTP or from a
// composite subrequest.
type restReq struct {
	method      string
	segs        []string // path after /services/data/vNN.0/
	query       url.Values
	body        []byte
	contentType string
	version     apiVersion
	user        *User
	// composite marks a subrequest, whose body is JSON by construction.
	composite bool
	// allOrNone is the enclosing composite's allOrNone, which forces its
	// collections to all or none.
	allOrNone bool
}

// restResp is a REST answer: status, headers and a JSON body (nil for none).
type restResp struct {
	status int
	header map[string]string
	body   any
	// partial marks a collections answer in which some records failed.
	partial bool
}

func errResp(e *apiError) restResp { return restResp{status: e.status, body: e.body()} }

func (r restResp) write(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header().Set(k, v)
	}
	if r.body == nil {
		w.WriteHeader(r.status)
		return
	}
	writeJSON(w, r.status, r.body)
}

// dispatch serves one REST call with the org's data locked.
func (o *Org) dispatch(rq restReq) restResp {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.route(rq)
}

// route picks the resource. The caller holds o.mu.
func (o *Org) route(rq restReq) restResp {
	if len(rq.segs) == 0 {
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		return restResp{status: http.StatusOK, body: resources(rq.version)}
	}
	switch rq.segs[0] {
	case "query", "queryAll":
		return o.routeQuery(rq)
	case "sobjects":
		return o.routeSObjects(rq)
	case "composite":
		if len(rq.segs) > 1 && rq.segs[1] == "sobjects" {
			return o.routeCollections(rq)
		}
		if len(rq.segs) != 1 || rq.composite {
			return errResp(errNotFound())
		}
		if rq.method != http.MethodPost {
			return errResp(errMethodNotAllowed(rq.method, "POST"))
		}
		return o.composite(rq)
	case "limits":
		if len(rq.segs) != 1 || rq.composite {
			return errResp(errNotFound())
		}
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		return o.limits(rq)
	}
	return errResp(errNotFound())
}

// resources is the body of GET /services/data/vNN.0/.
func resources(v apiVersion) object {
	p := v.dataPath()
	return object{
		{"limits", p + "/limits"}, {"composite", p + "/composite"}, {"query", p + "/query"},
		{"queryAll", p + "/queryAll"}, {"sobjects", p + "/sobjects"},
	}
}

// limits is GET /limits; Salesforce requires View Setup and Configuration.
func (o *Org) limits(rq restReq) restResp {
	if !rq.user.Perms.ViewSetup && !rq.user.Perms.ModifyAllData {
		return errResp(newAPIError(http.StatusForbidden, "INSUFFICIENT_ACCESS",
			"The user does not have the View Setup and Configuration permission"))
	}
	used, limit := o.apiUsage()
	pair := func(max, remaining int) object { return object{{"Max", max}, {"Remaining", remaining}} }
	return restResp{status: http.StatusOK, body: object{
		{"ConcurrentAsyncGetReportInstances", pair(200, 200)},
		{"DailyApiRequests", pair(limit, max(limit-used, 0))},
		{"DailyAsyncApexExecutions", pair(250000, 250000)},
		{"DailyBulkApiBatches", pair(15000, 15000)},
		{"DataStorageMB", pair(5, 5)},
		{"FileStorageMB", pair(20, 20)},
	}}
}

// decodeBody reads a JSON object body, refusing other media types and
// malformed JSON as Salesforce does.
func decodeBody(rq restReq) (map[string]any, *apiError) {
	if !rq.composite {
		mt, _, err := mime.ParseMediaType(rq.contentType)
		if err != nil || mt != "application/json" {
			return nil, newAPIError(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
				"Content-Type header specified in HTTP request is not supported: %s", rq.contentType)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(rq.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errBadBody("Unexpected character or end of input in the request body")
	}
	if dec.More() {
		return nil, errBadBody("Unexpected content after the JSON object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errBadBody("Cannot deserialize instance of an sObject from a JSON value that is not an object")
	}
	return m, nil
}

// now is the org clock.
func (o *Org) nowUTC() time.Time { return o.cloud.now().UTC() }
