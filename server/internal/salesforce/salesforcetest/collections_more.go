package salesforcetest

import (
	"fmt"
	"net/http"
	"strings"
)

// collectionDelete serves DELETE /composite/sobjects?ids=..&allOrNone=..
func (o *Org) collectionDelete(rq restReq) restResp {
	var ids []string
	if raw := rq.query.Get("ids"); raw != "" {
		ids = strings.Split(raw, ",")
	}
	switch {
	case len(ids) == 0:
		return errResp(newAPIError(http.StatusBadRequest, "MISSING_ARGUMENT", "The ids parameter is required"))
	case len(ids) > maxCollection:
		return errResp(newAPIError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", tooManyMsg))
	}
	ops := make([]collectionOp, len(ids))
	for i, raw := range ids {
		ops[i] = func() (string, bool, *apiError) {
			id := normalizeID(strings.TrimSpace(raw))
			if id == "" {
				return "", false, newAPIError(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", raw).withFields()
			}
			r, aerr := o.writableRecord(rq.user, id)
			if aerr != nil {
				return "", false, aerr
			}
			if r.obj.system {
				return "", false, errReadOnlyType(r.obj, "deleted").withFields()
			}
			o.data.remove(r)
			return r.id, false, nil
		}
	}
	return o.runCollection(rq.query.Get("allOrNone") == "true" || rq.allOrNone, ops, false)
}

// collectionUpsert serves PATCH /composite/sobjects/{Type}/{ExternalIdField}:
// records of that type only, matched on the external id each carries.
func (o *Org) collectionUpsert(rq restReq) restResp {
	obj := o.data.schema.object(rq.segs[2])
	if obj == nil || obj.keyPrefix == "" {
		return errResp(errNotFound())
	}
	f := obj.field(rq.segs[3])
	if f == nil || !f.extID || o.data.fieldAccess(rq.user, obj, f) == FieldHidden {
		return errResp(errNoExternalID(rq.segs[3]))
	}
	if obj.system {
		return errResp(errReadOnlyType(obj, "updated"))
	}
	allOrNone, recs, aerr := readCollection(rq)
	if aerr != nil {
		return errResp(aerr)
	}
	keys := make([]any, len(recs))
	keyErrs := make([]*apiError, len(recs))
	seen := map[string]int{}
	for i, rec := range recs {
		if v, ok := fieldIn(rec, f.name); ok && v != nil {
			k, err := coerce(f, v, fromJSON)
			if err != nil {
				keyErrs[i] = err
				continue
			}
			if k != nil {
				keys[i] = k
				seen[strings.ToLower(fmt.Sprint(k))]++
			}
		}
	}
	ops := make([]collectionOp, len(recs))
	for i, rec := range recs {
		ops[i] = func() (string, bool, *apiError) {
			switch {
			case !strings.EqualFold(recordType(rec), obj.name):
				return "", false, newAPIError(http.StatusBadRequest, "INVALID_TYPE",
					"The record's type %s is not the %s named in the URL", recordType(rec), obj.name).withFields()
			case keyErrs[i] != nil:
				return "", false, keyErrs[i]
			case keys[i] == nil:
				return "", false, newAPIError(http.StatusBadRequest, "MISSING_ARGUMENT", "%s not specified", f.name).withFields()
			case seen[strings.ToLower(fmt.Sprint(keys[i]))] > 1:
				return "", false, newAPIError(http.StatusBadRequest, "DUPLICATE_EXTERNAL_ID",
					"Duplicate external id specified: %v", keys[i]).withFields(f.name)
			}
			return o.upsertRecord(rq.user, obj, f, keys[i], rec)
		}
	}
	return o.runCollection(allOrNone, ops, true)
}

// upsertRecord matches one collection record on its key and writes it.
func (o *Org) upsertRecord(u *User, obj *sobject, f *field, key any, rec map[string]any) (string, bool, *apiError) {
	matches := o.matchExternal(obj, f, key)
	if len(matches) > 1 {
		ids := make([]string, len(matches))
		for i, m := range matches {
			ids[i] = m.id
		}
		return "", false, newAPIError(http.StatusBadRequest, "DUPLICATE_EXTERNAL_ID",
			"%s: more than one record found for external id field: [%s]", f.name, strings.Join(ids, ", ")).withFields()
	}
	var target *record
	if len(matches) == 1 {
		target = matches[0]
		if !o.data.canSee(u, target) {
			return "", false, newAPIError(http.StatusBadRequest, "INSUFFICIENT_ACCESS_OR_READONLY",
				"insufficient access rights on object id").withFields()
		}
	}
	r, aerr := o.upsertOne(obj, f, key, target, rec, u)
	if aerr != nil {
		return "", false, aerr
	}
	return r.id, target == nil, nil
}

// collectionRetrieve serves GET /composite/sobjects/{Type}?ids=..&fields=..:
// the records in the order asked, null for any not found.
func (o *Org) collectionRetrieve(rq restReq) restResp {
	obj := o.data.schema.object(rq.segs[2])
	if obj == nil || obj.keyPrefix == "" {
		return errResp(errNotFound())
	}
	ids, list := rq.query.Get("ids"), rq.query.Get("fields")
	if ids == "" || list == "" {
		return errResp(newAPIError(http.StatusBadRequest, "MISSING_ARGUMENT", "The ids and fields parameters are required"))
	}
	parts := strings.Split(ids, ",")
	if len(parts) > 2000 {
		return errResp(newAPIError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 2000 records into this call"))
	}
	fields, aerr := o.selectFields(rq.user, obj, list)
	if aerr != nil {
		return errResp(aerr)
	}
	out := make([]any, len(parts))
	for i, raw := range parts {
		id := normalizeID(strings.TrimSpace(raw))
		if id == "" {
			return errResp(newAPIError(http.StatusBadRequest, "MALFORMED_ID", "malformed id %s", raw).withFields())
		}
		if r := o.data.lookup(id); r != nil && r.obj == obj && o.data.canSee(rq.user, r) {
			out[i] = renderRecord(r, fields, rq.version)
		}
	}
	return restResp{status: http.StatusOK, body: out}
}
