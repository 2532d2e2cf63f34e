package salesforcetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type saveResult struct {
	ID      *string `json:"id"`
	Success bool    `json:"success"`
	Created *bool   `json:"created"`
	Errors  []struct {
		StatusCode string   `json:"statusCode"`
		Message    string   `json:"message"`
		Fields     []string `json:"fields"`
	} `json:"errors"`
}

func (e *env) collection(t *testing.T, method, path, body string) (response, []saveResult) {
	t.Helper()
	r := call(t, method, e.org.InstanceURL()+data+"/composite/sobjects"+path, e.adminToken, body)
	var out []saveResult
	if r.status == http.StatusOK {
		if err := json.Unmarshal(r.body, &out); err != nil {
			t.Fatalf("decoding %s: %v", r.body, err)
		}
	}
	return r, out
}

func (e *env) count(t *testing.T, object string) int {
	t.Helper()
	r := e.soql(t, e.adminToken, "SELECT COUNT() FROM "+object)
	n, _ := r.obj(t)["totalSize"].(json.Number).Int64()
	return int(n)
}

func TestCollectionsCreate(t *testing.T) {
	e := newEnv(t, Options{})
	r, res := e.collection(t, http.MethodPost, "", `{"allOrNone":false,"records":[
	 {"attributes":{"type":"Account"},"Name":"Globex"},
	 {"attributes":{"type":"Contact"},"FirstName":"No last name"},
	 {"attributes":{"type":"Case"},"Subject":"Printer"}]}`)
	if r.status != http.StatusOK || len(res) != 3 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if !res[0].Success || res[0].ID == nil || !strings.HasPrefix(*res[0].ID, "001") || len(res[0].Errors) != 0 || res[0].Created != nil {
		t.Errorf("first result = %+v", res[0])
	}
	if res[1].Success || res[1].ID != nil || len(res[1].Errors) != 1 || res[1].Errors[0].StatusCode != "REQUIRED_FIELD_MISSING" ||
		res[1].Errors[0].Message != "Required fields are missing: [LastName]" || strings.Join(res[1].Errors[0].Fields, ",") != "LastName" {
		t.Errorf("second result = %+v", res[1])
	}
	if !strings.Contains(string(r.body), `{"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]}`) {
		t.Errorf("failed record's wire shape: %s", r.body)
	}
	if !res[2].Success || e.count(t, "Case") != 1 || e.count(t, "Account") != 1 {
		t.Errorf("without allOrNone the valid records stay: %s", r.body)
	}
}

func TestCollectionsAllOrNoneRollsBack(t *testing.T) {
	e := newEnv(t, Options{})
	r, res := e.collection(t, http.MethodPost, "", `{"allOrNone":true,"records":[
	 {"attributes":{"type":"Case"},"Subject":"one","`+TicketKeyField+`":"acme:1"},
	 {"attributes":{"type":"Case"},"Subject":"two","`+TicketKeyField+`":"acme:1"},
	 {"attributes":{"type":"Case"},"Subject":"three"}]}`)
	if r.status != http.StatusOK || len(res) != 3 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	rolled := `{"success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}]}`
	if !strings.HasPrefix(string(r.body), "["+rolled+",") || !strings.HasSuffix(string(r.body), ","+rolled+"]") {
		t.Errorf("others are rolled back: %s", r.body)
	}
	if res[1].Errors[0].StatusCode != "DUPLICATE_VALUE" {
		t.Errorf("the failing record names its own error: %+v", res[1])
	}
	if n := e.count(t, "Case"); n != 0 {
		t.Errorf("%d cases after a rolled-back batch", n)
	}
	// The case number sequence is rolled back too.
	_, res = e.collection(t, http.MethodPost, "", `{"allOrNone":true,"records":[{"attributes":{"type":"Case"},"Subject":"one"}]}`)
	rec, _ := e.org.Get("Case", *res[0].ID)
	if rec["CaseNumber"] != "00001001" {
		t.Errorf("CaseNumber after a rollback = %v", rec["CaseNumber"])
	}
}

func TestCollectionsUpdateAndDelete(t *testing.T) {
	e := newEnv(t, Options{})
	a := e.mustInsert(t, "Account", map[string]any{"Name": "A"})
	b := e.mustInsert(t, "Account", map[string]any{"Name": "B"})
	gone := e.mustInsert(t, "Account", map[string]any{"Name": "Gone"})
	if err := e.org.Delete("Account", gone); err != nil {
		t.Fatal(err)
	}
	r, res := e.collection(t, http.MethodPatch, "", fmt.Sprintf(`{"records":[
	 {"attributes":{"type":"Account"},"id":%q,"Name":"A2"},
	 {"attributes":{"type":"Account"},"Id":"001bogus","Name":"x"},
	 {"attributes":{"type":"Account"},"Id":%q,"Name":"x"},
	 {"attributes":{"type":"Account"},"Name":"no id"},
	 {"attributes":{"type":"Account"},"Id":%q,"Name":""}]}`, a, gone, b))
	if r.status != http.StatusOK || len(res) != 5 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	codes := []string{}
	for _, x := range res[1:] {
		codes = append(codes, x.Errors[0].StatusCode)
	}
	if !res[0].Success || *res[0].ID != a || strings.Join(codes, ",") != "MALFORMED_ID,ENTITY_IS_DELETED,MISSING_ARGUMENT,REQUIRED_FIELD_MISSING" {
		t.Errorf("update results: %s", r.body)
	}
	if rec, _ := e.org.Get("Account", a); rec["Name"] != "A2" {
		t.Errorf("A not updated: %v", rec)
	}
	r, res = e.collection(t, http.MethodDelete, "?allOrNone=false&ids="+a+","+gone+",nope", "")
	if r.status != http.StatusOK || len(res) != 3 || !res[0].Success || *res[0].ID != a ||
		res[1].Errors[0].StatusCode != "ENTITY_IS_DELETED" || res[2].Errors[0].StatusCode != "MALFORMED_ID" {
		t.Errorf("delete: %d %s", r.status, r.body)
	}
	r, _ = e.collection(t, http.MethodDelete, "?allOrNone=true&ids="+b+",nope", "")
	if rec, _ := e.org.Get("Account", b); rec["IsDeleted"] == true || !strings.Contains(string(r.body), "ALL_OR_NONE_OPERATION_ROLLED_BACK") {
		t.Errorf("allOrNone delete did not roll back: %s", r.body)
	}
}

func TestCollectionsUpsert(t *testing.T) {
	e := newEnv(t, Options{})
	existing := e.mustInsert(t, "Case", map[string]any{"Subject": "old", TicketKeyField: "acme:1"})
	r, res := e.collection(t, http.MethodPatch, "/Case/"+TicketKeyField, `{"allOrNone":false,"records":[
	 {"attributes":{"type":"Case"},"`+TicketKeyField+`":"ACME:1","Subject":"new"},
	 {"attributes":{"type":"Case"},"`+TicketKeyField+`":"acme:2","Subject":"two"},
	 {"attributes":{"type":"Case"},"Subject":"no key"},
	 {"attributes":{"type":"Contact"},"`+TicketKeyField+`":"acme:3"}]}`)
	if r.status != http.StatusOK || len(res) != 4 {
		t.Fatalf("upsert: %d %s", r.status, r.body)
	}
	if !res[0].Success || *res[0].ID != existing || res[0].Created == nil || *res[0].Created {
		t.Errorf("update result = %s", r.body)
	}
	if !res[1].Success || res[1].Created == nil || !*res[1].Created {
		t.Errorf("create result = %s", r.body)
	}
	if res[2].Success || res[2].Errors[0].StatusCode != "MISSING_ARGUMENT" || res[3].Success || res[3].Errors[0].StatusCode != "INVALID_TYPE" {
		t.Errorf("refusals = %s", r.body)
	}
	if rec, _ := e.org.Get("Case", existing); rec["Subject"] != "new" {
		t.Errorf("existing case = %v", rec)
	}
	wantError(t, call(t, http.MethodPatch, e.org.InstanceURL()+data+"/composite/sobjects/Case/Subject", e.adminToken,
		`{"records":[{"attributes":{"type":"Case"},"Subject":"x"}]}`), 404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: Subject", nil)
}

func TestCollectionsLimits(t *testing.T) {
	e := newEnv(t, Options{})
	recs := make([]string, 201)
	for i := range recs {
		recs[i] = fmt.Sprintf(`{"attributes":{"type":"Case"},"Subject":"c%d"}`, i)
	}
	r, _ := e.collection(t, http.MethodPost, "", `{"records":[`+strings.Join(recs, ",")+`]}`)
	wantError(t, r, 400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call", nil)
	if e.count(t, "Case") != 0 {
		t.Error("records of a refused batch were saved")
	}
	r, res := e.collection(t, http.MethodPost, "", `{"records":[`+strings.Join(recs[:200], ",")+`]}`)
	if r.status != http.StatusOK || len(res) != 200 || e.count(t, "Case") != 200 {
		t.Errorf("200 records: %d, %d results", r.status, len(res))
	}
	wantError(t, e.collect(t, http.MethodPost, `{"records":[{"Subject":"no attributes"}]}`), 400, "JSON_PARSER_ERROR", "", nil)
	wantError(t, e.collect(t, http.MethodPost, `{"records":[]}`), 400, "INVALID_API_INPUT", "", nil)
	_, res = e.collection(t, http.MethodPost, "", `{"records":[{"attributes":{"type":"Case"},"Id":"500Dx0000009999AAA"}]}`)
	if len(res) != 1 || res[0].Errors[0].StatusCode != "INVALID_FIELD_FOR_INSERT_UPDATE" {
		t.Errorf("an id in a create: %+v", res)
	}
	_, res = e.collection(t, http.MethodPost, "", `{"records":[{"attributes":{"type":"Nope__c"},"Name":"x"}]}`)
	if len(res) != 1 || res[0].Errors[0].StatusCode != "INVALID_TYPE" {
		t.Errorf("unknown type: %+v", res)
	}
	ids := make([]string, 201)
	for i := range ids {
		ids[i] = "001Dx0000009999AAA"
	}
	r, _ = e.collection(t, http.MethodDelete, "?ids="+strings.Join(ids, ","), "")
	wantError(t, r, 400, "EXCEEDED_ID_LIMIT", "record limit reached", nil)
}

func (e *env) collect(t *testing.T, method, body string) response {
	t.Helper()
	return call(t, method, e.org.InstanceURL()+data+"/composite/sobjects", e.adminToken, body)
}

// TestCompositeTicketSync is the ticket-sync write: one composite, all or
// none, upserting the Case by its key, adding CaseComments that refer to
// it and advancing the comment marker. A failure anywhere leaves nothing.
func TestCompositeTicketSync(t *testing.T) {
	e := newEnv(t, Options{})
	con := e.mustInsert(t, "Contact", map[string]any{"LastName": "Doe", "Email": "doe@acme.example"})
	req := func(subject, contact string) string {
		return `{"allOrNone":true,"compositeRequest":[
		 {"method":"PATCH","referenceId":"case","url":"/services/data/v66.0/sobjects/Case/` + TicketKeyField + `/acme:101",
		  "body":{"Subject":"` + subject + `","ContactId":"` + contact + `","` + TicketURLField + `":"https://acme.zendesk.com/agent/tickets/101"}},
		 {"method":"POST","referenceId":"c1","url":"/services/data/v66.0/composite/sobjects",
		  "body":{"records":[{"attributes":{"type":"CaseComment"},"ParentId":"@{case.id}","CommentBody":"first","IsPublished":true},
		                     {"attributes":{"type":"CaseComment"},"ParentId":"@{case.id}","CommentBody":"second"}]}},
		 {"method":"PATCH","referenceId":"marker","url":"/services/data/v66.0/sobjects/Case/@{case.id}",
		  "body":{"` + LastCommentField + `":"2002"}}]}`
	}
	r, results := e.composite(t, e.adminToken, req("Printer", con))
	if r.status != http.StatusOK || len(results) != 3 || results[0].HTTPStatusCode != 201 || results[1].HTTPStatusCode != 200 || results[2].HTTPStatusCode != 204 {
		t.Fatalf("sync: %d %s", r.status, r.body)
	}
	if e.count(t, "Case") != 1 || e.count(t, "CaseComment") != 2 || e.org.Stats().Calls["composite"] != 1 || e.org.Stats().APICalls != 3 {
		t.Errorf("after one sync: %d cases, %d comments, stats %+v", e.count(t, "Case"), e.count(t, "CaseComment"), e.org.Stats())
	}
	// The same ticket again, now with a deleted contact: the comment
	// inserts would succeed, but the case fails, so nothing changes.
	if err := e.org.Delete("Contact", con); err != nil {
		t.Fatal(err)
	}
	_, results = e.composite(t, e.adminToken, req("Printer again", con))
	if len(results) != 3 || results[0].HTTPStatusCode != 400 || !strings.Contains(string(results[0].Body), "ENTITY_IS_DELETED") {
		t.Fatalf("failing case: %+v", results)
	}
	for _, res := range results[1:] {
		if res.HTTPStatusCode != 400 || !strings.Contains(string(res.Body), `"errorCode":"PROCESSING_HALTED"`) {
			t.Errorf("%s: %d %s, want 400 PROCESSING_HALTED", *res.ReferenceID, res.HTTPStatusCode, res.Body)
		}
	}
	if e.count(t, "CaseComment") != 2 {
		t.Errorf("%d comments after a rolled-back sync", e.count(t, "CaseComment"))
	}
	q := e.soql(t, e.adminToken, "SELECT Subject, "+LastCommentField+" FROM Case")
	if rec := records(t, q.obj(t))[0]; rec["Subject"] != "Printer" || rec[LastCommentField] != "2002" {
		t.Errorf("case after a rolled-back sync = %v", rec)
	}
	// A failing comment inside the collection rolls back the case update
	// too, since the composite's allOrNone covers its collections.
	body := strings.Replace(req("Printer third", ""), `"CommentBody":"second"`, `"CommentBody":"`+strings.Repeat("x", 4001)+`"`, 1)
	body = strings.Replace(body, `"ContactId":"",`, "", 1)
	_, results = e.composite(t, e.adminToken, body)
	if len(results) != 3 || results[0].HTTPStatusCode != 400 || !strings.Contains(string(results[0].Body), "PROCESSING_HALTED") ||
		results[1].HTTPStatusCode != 200 || !strings.Contains(string(results[1].Body), "STRING_TOO_LONG") {
		t.Errorf("failing comment: %+v", results)
	}
	q = e.soql(t, e.adminToken, "SELECT Subject FROM Case")
	if rec := records(t, q.obj(t))[0]; rec["Subject"] != "Printer" || e.count(t, "CaseComment") != 2 {
		t.Errorf("after a failing comment: %v, %d comments", rec, e.count(t, "CaseComment"))
	}
}

func TestCompositeCollectionsCountTowardQueryLimit(t *testing.T) {
	e := newEnv(t, Options{})
	var subs []string
	for i := 0; i < 6; i++ {
		subs = append(subs, fmt.Sprintf(`{"method":"POST","referenceId":"c%d","url":"/services/data/v66.0/composite/sobjects","body":{"records":[{"attributes":{"type":"Case"},"Subject":"x"}]}}`, i))
	}
	r, _ := e.composite(t, e.adminToken, `{"compositeRequest":[`+strings.Join(subs, ",")+`]}`)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "LIMIT_EXCEEDED") {
		t.Errorf("six collections in one composite: %d %s", r.status, r.body)
	}
}

// TestRollbackRestoresKeys: after a rollback, upserts find records by the
// keys they had before, and not by keys the rolled-back writes gave them.
func TestRollbackRestoresKeys(t *testing.T) {
	e := newEnv(t, Options{})
	cs := e.mustInsert(t, "Case", map[string]any{"Subject": "five", TicketKeyField: "acme:5"})
	_, results := e.composite(t, e.adminToken, `{"allOrNone":true,"compositeRequest":[
	 {"method":"PATCH","referenceId":"rekey","url":"/services/data/v66.0/sobjects/Case/`+cs+`","body":{"`+TicketKeyField+`":"acme:6"}},
	 {"method":"PATCH","referenceId":"new","url":"/services/data/v66.0/sobjects/Case/`+TicketKeyField+`/acme:7","body":{"Subject":"seven"}},
	 {"method":"POST","referenceId":"bad","url":"/services/data/v66.0/sobjects/Case","body":{"Subject":"`+strings.Repeat("x", 300)+`"}}]}`)
	if len(results) != 3 || results[2].HTTPStatusCode != 400 || results[0].HTTPStatusCode != 400 {
		t.Fatalf("results = %+v", results)
	}
	base := e.org.InstanceURL() + data + "/sobjects/Case/" + TicketKeyField + "/"
	if r := call(t, http.MethodPatch, base+"acme:5", e.adminToken, `{"Subject":"five again"}`); r.status != http.StatusOK || r.obj(t)["id"] != cs {
		t.Errorf("old key after rollback: %d %s", r.status, r.body)
	}
	for _, key := range []string{"acme:6", "acme:7"} {
		if r := call(t, http.MethodPatch, base+key, e.adminToken, `{"Subject":"x"}`); r.status != http.StatusCreated {
			t.Errorf("%s after rollback: %d %s, want a new case", key, r.status, r.body)
		}
	}
	if n := e.count(t, "Case"); n != 3 {
		t.Errorf("%d cases, want 3", n)
	}
}
