package salesforcetest

import (
	"net/http"
	"strings"
)

// routeSObjects serves /sobjects/... The caller holds o.mu.
func (o *Org) routeSObjects(rq restReq) restResp {
	segs := rq.segs
	if len(segs) == 1 {
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		return restResp{status: http.StatusOK, body: o.globalDescribe(rq.version)}
	}
	obj := o.data.schema.object(segs[1])
	if obj == nil || obj.keyPrefix == "" {
		return errResp(errNotFound())
	}
	switch {
	case len(segs) == 2:
		switch rq.method {
		case http.MethodGet:
			return restResp{status: http.StatusOK, body: object{
				{"objectDescribe", describeHeader(obj, rq.version)}, {"recentItems", []object{}}}}
		case http.MethodPost:
			return o.createRecord(rq, obj)
		}
		return errResp(errMethodNotAllowed(rq.method, "HEAD,GET,POST"))
	case len(segs) == 3 && segs[2] == "describe":
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		return restResp{status: http.StatusOK, body: o.describe(rq.user, obj, rq.version)}
	case len(segs) == 3 && (segs[2] == "updated" || segs[2] == "deleted"):
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		if segs[2] == "updated" {
			return o.getUpdated(rq, obj)
		}
		return o.getDeleted(rq, obj)
	case len(segs) == 3:
		return o.recordByID(rq, obj, segs[2])
	case len(segs) == 4:
		return o.recordByExternalID(rq, obj, segs[2], segs[3])
	}
	return errResp(errNotFound())
}

func errNoExternalID(name string) *apiError {
	return newAPIError(http.StatusNotFound, "NOT_FOUND",
		"Provided external ID field does not exist or is not accessible: %s", name)
}

func errDeleted() *apiError {
	return newAPIError(http.StatusNotFound, "ENTITY_IS_DELETED", "entity is deleted").withFields()
}

// recordByID serves GET, PATCH and DELETE on /sobjects/{Type}/{Id}.
func (o *Org) recordByID(rq restReq, obj *sobject, rawID string) restResp {
	id := normalizeID(rawID)
	if id == "" || id[:3] != obj.keyPrefix {
		// Salesforce reads a non-id here as an external id field name.
		return errResp(errNoExternalID(rawID))
	}
	r := o.data.records[id]
	if r == nil || !o.data.canSee(rq.user, r) {
		return errResp(errNotFound())
	}
	if r.deleted {
		return errResp(errDeleted())
	}
	switch rq.method {
	case http.MethodGet:
		fields, aerr := o.selectFields(rq.user, obj, rq.query.Get("fields"))
		if aerr != nil {
			return errResp(aerr)
		}
		return restResp{status: http.StatusOK, body: renderRecord(r, fields, rq.version)}
	case http.MethodPatch:
		if obj.system {
			return errResp(errReadOnlyType(obj, "updated"))
		}
		in, aerr := decodeBody(rq)
		if aerr != nil {
			return errResp(aerr)
		}
		if _, aerr := o.data.save(obj, r, in, fromJSON, rq.user); aerr != nil {
			return errResp(aerr)
		}
		return restResp{status: http.StatusNoContent}
	case http.MethodDelete:
		if obj.system {
			return errResp(errReadOnlyType(obj, "deleted"))
		}
		o.data.remove(r)
		return restResp{status: http.StatusNoContent}
	}
	return errResp(errMethodNotAllowed(rq.method, "HEAD,GET,PATCH,DELETE"))
}

// selectFields resolves ?fields=a,b; empty means every field u may see.
// Id always comes back, after the fields asked for.
func (o *Org) selectFields(u *User, obj *sobject, list string) ([]*field, *apiError) {
	if strings.TrimSpace(list) == "" {
		return o.data.visibleFields(u, obj), nil
	}
	var out []*field
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		f := obj.field(strings.TrimSpace(name))
		if f == nil || o.data.fieldAccess(u, obj, f) == FieldHidden {
			return nil, newAPIError(http.StatusBadRequest, "INVALID_FIELD", "%s", noSuchColumn(strings.TrimSpace(name), obj.name))
		}
		if !seen[f.name] {
			seen[f.name] = true
			out = append(out, f)
		}
	}
	if !seen["Id"] {
		out = append(out, obj.field("Id"))
	}
	return out, nil
}

func errReadOnlyType(obj *sobject, verb string) *apiError {
	return newAPIError(http.StatusBadRequest, "INVALID_TYPE_FOR_OPERATION", "entity type cannot be %s: %s", verb, obj.name)
}

// createRecord serves POST /sobjects/{Type}.
func (o *Org) createRecord(rq restReq, obj *sobject) restResp {
	if obj.system {
		return errResp(errReadOnlyType(obj, "inserted"))
	}
	in, aerr := decodeBody(rq)
	if aerr != nil {
		return errResp(aerr)
	}
	if _, ok := fieldIn(in, "Id"); ok {
		return errResp(newAPIError(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
			"Id: cannot specify Id in an insert call").withFields("Id"))
	}
	r, aerr := o.data.save(obj, nil, in, fromJSON, rq.user)
	if aerr != nil {
		return errResp(aerr)
	}
	return created(r, rq.version, false)
}

// created is the 201 answer to a create (with "created" for upserts).
func created(r *record, v apiVersion, upsert bool) restResp {
	body := object{{"id", r.id}, {"success", true}, {"errors", []any{}}}
	if upsert && v >= 46 {
		body = append(body, member{"created", true})
	}
	return restResp{status: http.StatusCreated, body: body,
		header: map[string]string{"Location": v.dataPath() + "/sobjects/" + r.obj.name + "/" + r.id}}
}

// fieldIn finds a body key case-insensitively.
func fieldIn(in map[string]any, name string) (any, bool) {
	for k, v := range in {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}
