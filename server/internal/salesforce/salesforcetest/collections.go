package salesforcetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// maxCollection is the most records one sObject Collections call takes.
const maxCollection = 200

// collectionsMsg are the documented per-record and request-level texts.
const (
	rolledBackMsg = "Record rolled back because not all records were valid and the request was using AllOrNone header"
	tooManyMsg    = "record limit reached. cannot submit more than 200 records into this call"
)

// collectionOp is one record's work in a collection call: it returns the
// record's id and whether it was created.
type collectionOp func() (string, bool, *apiError)

// routeCollections serves /composite/sobjects[/{Type}[/{ExternalIdField}]].
// The caller holds o.mu.
func (o *Org) routeCollections(rq restReq) restResp {
	switch len(rq.segs) {
	case 2:
		switch rq.method {
		case http.MethodPost:
			return o.collectionWrite(rq, o.createOp)
		case http.MethodPatch:
			return o.collectionWrite(rq, o.updateOp)
		case http.MethodDelete:
			return o.collectionDelete(rq)
		}
		return errResp(errMethodNotAllowed(rq.method, "POST,PATCH,DELETE"))
	case 3:
		if rq.method != http.MethodGet {
			return errResp(errMethodNotAllowed(rq.method, "HEAD,GET"))
		}
		return o.collectionRetrieve(rq)
	case 4:
		if rq.method != http.MethodPatch {
			return errResp(errMethodNotAllowed(rq.method, "PATCH"))
		}
		return o.collectionUpsert(rq)
	}
	return errResp(errNotFound())
}

// readCollection decodes {"allOrNone":..,"records":[..]}: every record an
// object with attributes.type, at most 200 of them.
func readCollection(rq restReq) (allOrNone bool, recs []map[string]any, aerr *apiError) {
	if !rq.composite {
		if _, aerr := decodeBody(rq); aerr != nil {
			return false, nil, aerr
		}
	}
	var in struct {
		AllOrNone bool             `json:"allOrNone"`
		Records   []map[string]any `json:"records"`
	}
	dec := json.NewDecoder(bytes.NewReader(rq.body))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return false, nil, errBadBody("Unable to parse the sObject Collections request: %s", jsonErrorText(err))
	}
	switch {
	case len(in.Records) == 0:
		return false, nil, newAPIError(http.StatusBadRequest, "INVALID_API_INPUT", "The request must contain at least one record")
	case len(in.Records) > maxCollection:
		return false, nil, newAPIError(http.StatusBadRequest, "EXCEEDED_ID_LIMIT", tooManyMsg)
	}
	for _, r := range in.Records {
		if recordType(r) == "" {
			return false, nil, errBadBody("Every record needs an attributes map with a type")
		}
	}
	return in.AllOrNone || rq.allOrNone, in.Records, nil
}

// recordType is a body record's attributes.type.
func recordType(rec map[string]any) string {
	attrs, _ := rec["attributes"].(map[string]any)
	t, _ := attrs["type"].(string)
	return t
}

// writableType resolves a record's type for create, update and upsert.
func (o *Org) writableType(rec map[string]any, verb string) (*sobject, *apiError) {
	name := recordType(rec)
	obj := o.data.schema.object(name)
	if obj == nil || obj.keyPrefix == "" {
		return nil, newAPIError(http.StatusBadRequest, "INVALID_TYPE", "sObject type '%s' is not supported.", name).withFields()
	}
	if obj.system {
		return nil, errReadOnlyType(obj, verb).withFields()
	}
	return obj, nil
}

func (o *Org) createOp(rq restReq, rec map[string]any) collectionOp {
	return func() (string, bool, *apiError) {
		obj, aerr := o.writableType(rec, "inserted")
		if aerr != nil {
			return "", false, aerr
		}
		if _, ok := fieldIn(rec, "Id"); ok {
			return "", false, newAPIError(http.StatusBadRequest, "INVALID_FIELD_FOR_INSERT_UPDATE",
				"Id: cannot specify Id in an insert call").withFields("Id")
		}
		r, aerr := o.data.save(obj, nil, rec, fromJSON, rq.user)
		if aerr != nil {
			return "", false, aerr
		}
		return r.id, true, nil
	}
}

func (o *Org) updateOp(rq restReq, rec map[string]any) collectionOp {
	return func() (string, bool, *apiError) {
		obj, aerr := o.writableType(rec, "updated")
		if aerr != nil {
			return "", false, aerr
		}
		raw, ok := fieldIn(rec, "Id")
		s, _ := raw.(string)
		if !ok || s == "" {
			return "", false, newAPIError(http.StatusBadRequest, "MISSING_ARGUMENT", "Id not specified in an update call").withFields()
		}
		id := normalizeID(s)
		if id == "" || id[:3] != obj.keyPrefix {
			return "", false, newAPIError(http.StatusBadRequest, "MALFORMED_ID",
				"%s ID: id value of incorrect type: %s", obj.label, s).withFields("Id")
		}
		r, aerr := o.writableRecord(rq.user, id)
		if aerr != nil {
			return "", false, aerr
		}
		body := make(map[string]any, len(rec))
		for k, v := range rec {
			if !strings.EqualFold(k, "Id") {
				body[k] = v
			}
		}
		if _, aerr := o.data.save(obj, r, body, fromJSON, rq.user); aerr != nil {
			return "", false, aerr
		}
		return r.id, false, nil
	}
}

// writableRecord finds a record a collection updates or deletes.
func (o *Org) writableRecord(u *User, id string) (*record, *apiError) {
	r := o.data.records[id]
	switch {
	case r == nil:
		return nil, newAPIError(http.StatusBadRequest, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id").withFields()
	case r.deleted:
		return nil, errDeletedRef()
	case !o.data.canSee(u, r):
		return nil, newAPIError(http.StatusBadRequest, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id").withFields()
	}
	return r, nil
}

// collectionWrite runs a create or update collection.
func (o *Org) collectionWrite(rq restReq, op func(restReq, map[string]any) collectionOp) restResp {
	allOrNone, recs, aerr := readCollection(rq)
	if aerr != nil {
		return errResp(aerr)
	}
	ops := make([]collectionOp, len(recs))
	for i, rec := range recs {
		ops[i] = op(rq, rec)
	}
	return o.runCollection(allOrNone, ops, false)
}

// runCollection runs the ops in order. Without allOrNone each record
// stands alone; with it one failure undoes every record, and the others
// report ALL_OR_NONE_OPERATION_ROLLED_BACK.
func (o *Org) runCollection(allOrNone bool, ops []collectionOp, upsert bool) restResp {
	if allOrNone {
		o.data.begin()
	}
	results := make([]object, len(ops))
	failed := make([]bool, len(ops))
	anyFailed := false
	for i, op := range ops {
		id, created, aerr := op()
		if aerr != nil {
			results[i], failed[i], anyFailed = failedResult(aerr), true, true
			continue
		}
		results[i] = object{{"id", id}, {"success", true}, {"errors", []any{}}}
		if upsert {
			results[i] = append(results[i], member{"created", created})
		}
	}
	if allOrNone && anyFailed {
		o.data.rollback()
		for i := range results {
			if !failed[i] {
				results[i] = failedResult(newAPIError(http.StatusBadRequest, "ALL_OR_NONE_OPERATION_ROLLED_BACK", rolledBackMsg).withFields())
			}
		}
	} else if allOrNone {
		o.data.commitTxn()
	}
	return restResp{status: http.StatusOK, body: results, partial: anyFailed}
}

// failedResult is a failed record's result: no id, the error as
// {statusCode, message, fields}.
func failedResult(e *apiError) object {
	fields := e.fields
	if fields == nil {
		fields = []string{}
	}
	return object{{"success", false}, {"errors", []object{{{"statusCode", e.code}, {"message", e.message}, {"fields", fields}}}}}
}
