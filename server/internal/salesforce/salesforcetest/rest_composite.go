package salesforcetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// Composite limits: 25 subrequests, of which at most 5 queries.
const (
	maxSubrequests   = 25
	maxQuerySubs     = 5
	compositeHaltMsg = "The transaction was rolled back since another operation in the same transaction failed."
)

type compositeInput struct {
	AllOrNone          bool         `json:"allOrNone"`
	CollateSubrequests *bool        `json:"collateSubrequests"`
	CompositeRequest   []subrequest `json:"compositeRequest"`
}

type subrequest struct {
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ReferenceID string            `json:"referenceId"`
	Body        json.RawMessage   `json:"body"`
	HTTPHeaders map[string]string `json:"httpHeaders"`
}

// composite serves POST /composite: the subrequests run in order against
// the locked data as one API call; with allOrNone a failure rolls every
// write back. The caller holds o.mu.
func (o *Org) composite(rq restReq) restResp {
	in, resp, ok := o.readComposite(rq)
	if !ok {
		return resp
	}
	if in.AllOrNone {
		o.data.begin()
	}
	results := make([]object, len(in.CompositeRequest))
	partial := make([]bool, len(in.CompositeRequest))
	refs := map[string]any{}
	failed := false
	for i, sr := range in.CompositeRequest {
		if failed && in.AllOrNone {
			results[i] = subResult(sr.ReferenceID, halted())
			continue
		}
		res := o.runSubrequest(rq, sr, refs, in.AllOrNone)
		if res.status >= 400 || res.partial {
			failed = true
		}
		partial[i] = res.partial
		if res.status < 400 {
			refs[sr.ReferenceID] = generic(res.body)
		}
		results[i] = subResult(sr.ReferenceID, res)
	}
	if !in.AllOrNone {
		return restResp{status: http.StatusOK, body: object{{"compositeResponse", results}}}
	}
	if !failed {
		o.data.commitTxn()
		return restResp{status: http.StatusOK, body: object{{"compositeResponse", results}}}
	}
	o.data.rollback()
	for i, r := range results {
		code, _ := r.get("httpStatusCode")
		if code.(int) < 400 && !partial[i] {
			results[i] = subResult(in.CompositeRequest[i].ReferenceID, halted())
		}
	}
	return restResp{status: http.StatusOK, body: object{{"compositeResponse", results}}}
}

// readComposite decodes and validates the request as a whole.
func (o *Org) readComposite(rq restReq) (compositeInput, restResp, bool) {
	var in compositeInput
	mt, _, err := mime.ParseMediaType(rq.contentType)
	if err != nil || mt != "application/json" {
		return in, errResp(newAPIError(http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
			"Content-Type header specified in HTTP request is not supported: %s", rq.contentType)), false
	}
	dec := json.NewDecoder(bytes.NewReader(rq.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return in, errResp(errBadBody("Unable to parse the composite request: %s", jsonErrorText(err))), false
	}
	bad := func(format string, args ...any) (compositeInput, restResp, bool) {
		return in, errResp(newAPIError(http.StatusBadRequest, "INVALID_API_INPUT", format, args...)), false
	}
	if len(in.CompositeRequest) == 0 {
		return bad("The composite request must contain at least one subrequest")
	}
	limit := func(msg string) (compositeInput, restResp, bool) {
		e := newAPIError(http.StatusBadRequest, "LIMIT_EXCEEDED", "%s", msg)
		return in, restResp{status: http.StatusBadRequest, body: object{{"compositeResponse", []object{{
			{"body", e.body()}, {"httpHeaders", object{}}, {"httpStatusCode", http.StatusBadRequest}, {"referenceId", nil},
		}}}}}, false
	}
	if len(in.CompositeRequest) > maxSubrequests {
		return limit("The request can’t contain more than 25 operations.")
	}
	seen := map[string]bool{}
	queries := 0
	for _, sr := range in.CompositeRequest {
		switch {
		case sr.ReferenceID == "":
			return bad("Every subrequest needs a referenceId")
		case !validRefID(sr.ReferenceID):
			return bad("Invalid referenceId '%s': use only letters, numbers and underscores", sr.ReferenceID)
		case seen[sr.ReferenceID]:
			return bad("Duplicate ReferenceId provided in the request: %s", sr.ReferenceID)
		case !validSubMethod(sr.Method):
			return bad("Invalid method '%s' for subrequest %s", sr.Method, sr.ReferenceID)
		case !strings.HasPrefix(sr.URL, "/services/data/v"):
			return bad("The subrequest URL must start with /services/data/: %s", sr.URL)
		}
		seen[sr.ReferenceID] = true
		if seg := strings.SplitN(strings.TrimPrefix(sr.URL, "/services/data/"), "/", 3); len(seg) > 1 {
			resource, _, _ := strings.Cut(seg[1], "?")
			if resource == "query" || resource == "queryAll" || sr.isCollection() {
				queries++
			}
		}
	}
	if queries > maxQuerySubs {
		return limit("The request can’t contain more than 5 query operations.")
	}
	return in, restResp{}, true
}

func validSubMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut, http.MethodHead:
		return true
	}
	return false
}

func jsonErrorText(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return "malformed JSON"
	}
	return err.Error()
}

// isCollection reports whether sr is an sObject Collections request.
func (sr subrequest) isCollection() bool {
	return strings.Contains(sr.URL, "/composite/sobjects")
}

// runSubrequest resolves references and serves one subrequest. allOrNone
// is the composite's, which overrides its collections' own.
func (o *Org) runSubrequest(parent restReq, sr subrequest, refs map[string]any, allOrNone bool) restResp {
	rawURL, ok := substituteText(sr.URL, refs)
	if !ok {
		return errResp(errBadReference(sr.URL))
	}
	body := []byte(nil)
	if len(sr.Body) > 0 && string(sr.Body) != "null" {
		b, ok := substituteBody(sr.Body, refs)
		if !ok {
			return errResp(errBadReference(string(sr.Body)))
		}
		body = b
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return errResp(errNotFound())
	}
	segs, ok := splitPath(strings.TrimPrefix(u.EscapedPath(), "/services/data/"))
	if !ok || len(segs) == 0 {
		return errResp(errNotFound())
	}
	ver, state := parseAPIVersion(segs[0])
	if state != versionServed {
		return errResp(versionError(segs[0]))
	}
	rest := segs[1:]
	if len(rest) > 0 && rest[len(rest)-1] == "" {
		rest = rest[:len(rest)-1]
	}
	return o.route(restReq{method: sr.Method, segs: rest, query: u.Query(), body: body,
		contentType: "application/json", version: ver, user: parent.user, composite: true, allOrNone: allOrNone})
}

func halted() restResp {
	return errResp(newAPIError(http.StatusBadRequest, "PROCESSING_HALTED", compositeHaltMsg))
}

func subResult(ref string, r restResp) object {
	headers := object{}
	for k, v := range r.header {
		headers = append(headers, member{k, v})
	}
	return object{{"body", r.body}, {"httpHeaders", headers}, {"httpStatusCode", r.status}, {"referenceId", ref}}
}
