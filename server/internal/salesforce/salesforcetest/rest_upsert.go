package salesforcetest

import (
	"net/http"
	"strconv"
	"strings"
)

// recordByExternalID serves GET and PATCH (upsert) on
// /sobjects/{Type}/{ExternalIdField}/{value}. The caller holds o.mu.
func (o *Org) recordByExternalID(rq restReq, obj *sobject, fieldName, raw string) restResp {
	f := obj.field(fieldName)
	if f == nil || !(f.name == "Id" || f.extID) || o.data.fieldAccess(rq.user, obj, f) == FieldHidden {
		return errResp(errNoExternalID(fieldName))
	}
	if rq.method != http.MethodGet && rq.method != http.MethodPatch {
		return errResp(errMethodNotAllowed(rq.method, "HEAD,GET,PATCH"))
	}
	if obj.system && rq.method == http.MethodPatch {
		return errResp(errReadOnlyType(obj, "updated"))
	}
	key, aerr := externalKey(f, raw)
	if aerr != nil {
		return errResp(aerr)
	}
	matches := o.matchExternal(obj, f, key)
	if len(matches) > 1 {
		urls := make([]string, len(matches))
		for i, r := range matches {
			urls[i] = rq.version.dataPath() + "/sobjects/" + obj.name + "/" + r.id
		}
		return restResp{status: http.StatusMultipleChoices, body: urls}
	}
	if rq.method == http.MethodGet {
		if len(matches) == 0 || !o.data.canSee(rq.user, matches[0]) {
			return errResp(errNotFound())
		}
		fields, aerr := o.selectFields(rq.user, obj, rq.query.Get("fields"))
		if aerr != nil {
			return errResp(aerr)
		}
		return restResp{status: http.StatusOK, body: renderRecord(matches[0], fields, rq.version)}
	}
	in, aerr := decodeBody(rq)
	if aerr != nil {
		return errResp(aerr)
	}
	if len(matches) == 0 && (f.name == "Id" || rq.query.Get("updateOnly") == "true") {
		return errResp(errNotFound())
	}
	var target *record
	if len(matches) == 1 {
		target = matches[0]
		if !o.data.canSee(rq.user, target) {
			return errResp(newAPIError(http.StatusBadRequest, "INSUFFICIENT_ACCESS_OR_READONLY",
				"insufficient access rights on object id").withFields())
		}
	}
	r, aerr := o.upsertOne(obj, f, key, target, in, rq.user)
	if aerr != nil {
		return errResp(aerr)
	}
	if target == nil {
		return created(r, rq.version, true)
	}
	if rq.version < 46 {
		return restResp{status: http.StatusNoContent}
	}
	return restResp{status: http.StatusOK, body: object{
		{"id", r.id}, {"success", true}, {"errors", []any{}}, {"created", false}}}
}

// upsertOne writes an upsert's body: an update of target when one record
// matched (the key stays as stored), else a create carrying the key,
// which field-level security and the field's length must allow.
func (o *Org) upsertOne(obj *sobject, f *field, key any, target *record, in map[string]any, u *User) (*record, *apiError) {
	body := make(map[string]any, len(in))
	for k, v := range in {
		if !strings.EqualFold(k, f.name) {
			body[k] = v
		}
	}
	vals, aerr := o.data.prepare(obj, body, fromJSON, target == nil, u)
	if aerr != nil {
		return nil, aerr
	}
	if target == nil {
		if o.data.fieldAccess(u, obj, f) != FieldEditable {
			return nil, errNotWritable(f.name)
		}
		if s, ok := key.(string); ok {
			if _, aerr := coerceText(f, s); aerr != nil {
				return nil, aerr
			}
		}
		vals[f.name] = key
	}
	return o.data.commit(obj, target, vals, fromJSON, u)
}

// externalKey converts the URL value to the field's stored form.
func externalKey(f *field, raw string) (any, *apiError) {
	if f.typ.numeric() {
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, newAPIError(http.StatusBadRequest, "MALFORMED_QUERY",
				"%s: invalid number: %s", f.name, raw)
		}
		if f.typ == typeInt {
			return int64(n), nil
		}
		return n, nil
	}
	if f.name == "Id" {
		id := normalizeID(raw)
		if id == "" {
			return nil, errNotFound()
		}
		return id, nil
	}
	if raw == "" {
		return nil, errNotFound()
	}
	return raw, nil
}

// matchExternal finds live records whose field equals key; text external
// ids match without regard to case, as Salesforce's do by default.
func (o *Org) matchExternal(obj *sobject, f *field, key any) []*record {
	if f.name == "Id" {
		if r := o.data.lookup(key.(string)); r != nil && r.obj == obj {
			return []*record{r}
		}
		return nil
	}
	return o.data.holders(obj, f, key)
}
