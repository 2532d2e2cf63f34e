package salesforcetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// wantError checks a one-error Salesforce body: status, code, message
// prefix and, when fields is not nil, the fields array.
func wantError(t *testing.T, r response, status int, code, msgPrefix string, fields []string) {
	t.Helper()
	if r.status != status || r.errorCode(t) != code || !strings.HasPrefix(r.errorMessage(t), msgPrefix) {
		t.Fatalf("got %d %s, want %d %s %q...", r.status, r.body, status, code, msgPrefix)
	}
	if fields == nil {
		return
	}
	raw, ok := r.json(t).([]any)[0].(map[string]any)["fields"].([]any)
	if !ok {
		t.Fatalf("no fields array in %s", r.body)
	}
	var got []string
	for _, f := range raw {
		got = append(got, f.(string))
	}
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		t.Errorf("fields = %v, want %v", got, fields)
	}
}

func TestWriteRejections(t *testing.T) {
	e := newEnv(t, Options{})
	base := e.org.InstanceURL() + data + "/sobjects/"
	post := func(object, body string) response { return call(t, http.MethodPost, base+object, e.adminToken, body) }
	cs := e.mustInsert(t, "Case", map[string]any{"Subject": "Printer", TicketKeyField: "acme:1"})

	t.Run("required fields", func(t *testing.T) {
		wantError(t, post("Account", `{"Phone":"1"}`), 400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", []string{"Name"})
		wantError(t, post("Lead", `{"LastName":"X"}`), 400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Company]", []string{"Company"})
		wantError(t, post("CaseComment", `{"CommentBody":"x"}`), 400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [ParentId]", []string{"ParentId"})
	})
	t.Run("lengths", func(t *testing.T) {
		wantError(t, post("Case", `{"Subject":"`+strings.Repeat("s", 256)+`"}`), 400, "STRING_TOO_LONG", "Subject: data value too large: ", []string{"Subject"})
		wantError(t, post("Case", `{"`+TicketKeyField+`":"`+strings.Repeat("k", 81)+`"}`), 400, "STRING_TOO_LONG", "Zendesk Ticket Key: data value too large:", []string{TicketKeyField})
		wantError(t, post("Contact", `{"LastName":"X","FirstName":"`+strings.Repeat("f", 41)+`"}`), 400, "STRING_TOO_LONG", "First Name: data value too large:", []string{"FirstName"})
		wantError(t, post("CaseComment", `{"ParentId":"`+cs+`","CommentBody":"`+strings.Repeat("c", 4001)+`"}`), 400, "STRING_TOO_LONG", "Comment Body: data value too large:", []string{"CommentBody"})
		if r := post("Case", `{"Subject":"`+strings.Repeat("s", 255)+`"}`); r.status != http.StatusCreated {
			t.Errorf("a 255-character subject: %d %s", r.status, r.body)
		}
	})
	t.Run("restricted picklist", func(t *testing.T) {
		if r := post("Case", `{"Subject":"x","Priority":"Urgent"}`); r.status != http.StatusCreated {
			t.Fatalf("an unrestricted picklist takes any value: %d %s", r.status, r.body)
		}
		if err := e.org.SetPicklist("Case", "Priority", []string{"High", "Medium", "Low"}, true); err != nil {
			t.Fatal(err)
		}
		defer func() { _ = e.org.SetPicklist("Case", "Priority", []string{"High", "Medium", "Low"}, false) }()
		wantError(t, post("Case", `{"Subject":"x","Priority":"Urgent"}`), 400, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
			"Priority: bad value for restricted picklist field: Urgent", []string{"Priority"})
		if p := e.describeFields(t, e.adminToken, "Case")["Priority"]; p["restrictedPicklist"] != true {
			t.Errorf("describe after restricting: %v", p["restrictedPicklist"])
		}
		if r := post("Case", `{"Subject":"x","Priority":"High"}`); r.status != http.StatusCreated {
			t.Errorf("an allowed value: %d %s", r.status, r.body)
		}
	})
	t.Run("unknown field and type", func(t *testing.T) {
		wantError(t, post("Case", `{"Subject":"x","Zendesk_Ticket_Id__c":"1"}`), 400, "INVALID_FIELD", "No such column 'Zendesk_Ticket_Id__c' on sobject of type Case", nil)
		wantError(t, post("Ticket__c", `{"Name":"x"}`), 404, "NOT_FOUND", "The requested resource does not exist", nil)
	})
	t.Run("create-only field", func(t *testing.T) {
		cm := e.mustInsert(t, "CaseComment", map[string]any{"ParentId": cs, "CommentBody": "first"})
		other := e.mustInsert(t, "Case", map[string]any{"Subject": "Other"})
		wantError(t, call(t, http.MethodPatch, base+"CaseComment/"+cm, e.adminToken, `{"ParentId":"`+other+`"}`),
			400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: ParentId.", []string{"ParentId"})
		if r := call(t, http.MethodPatch, base+"CaseComment/"+cm, e.adminToken, `{"CommentBody":"edited","IsPublished":true}`); r.status != http.StatusNoContent {
			t.Errorf("editing a comment: %d %s", r.status, r.body)
		}
	})
	t.Run("duplicate unique value", func(t *testing.T) {
		r := post("Case", `{"Subject":"dup","`+TicketKeyField+`":"ACME:1"}`)
		wantError(t, r, 400, "DUPLICATE_VALUE", "duplicate value found: "+TicketKeyField+" duplicates value on record with id: "+cs, []string{})
		other := e.mustInsert(t, "Case", map[string]any{"Subject": "Other", TicketKeyField: "acme:2"})
		wantError(t, call(t, http.MethodPatch, base+"Case/"+other, e.adminToken, `{"`+TicketKeyField+`":"acme:1"}`),
			400, "DUPLICATE_VALUE", "duplicate value found: ", nil)
		if r := call(t, http.MethodPatch, base+"Case/"+cs, e.adminToken, `{"`+TicketKeyField+`":"ACME:1"}`); r.status != http.StatusNoContent {
			t.Errorf("re-saving a record's own key: %d %s", r.status, r.body)
		}
	})
	t.Run("references", func(t *testing.T) {
		wantError(t, post("Case", `{"Subject":"x","ContactId":"not-an-id"}`), 400, "MALFORMED_ID", "Contact ID: id value of incorrect type: not-an-id", []string{"ContactId"})
		wantError(t, post("Case", `{"Subject":"x","ContactId":"003Dx0000009999AAA"}`), 400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []string{"ContactId"})
		con := e.mustInsert(t, "Contact", map[string]any{"LastName": "Gone"})
		if err := e.org.Delete("Contact", con); err != nil {
			t.Fatal(err)
		}
		wantError(t, post("Case", `{"Subject":"x","ContactId":"`+con+`"}`), 400, "ENTITY_IS_DELETED", "entity is deleted", []string{})
		if err := e.org.Purge(con); err != nil {
			t.Fatal(err)
		}
		wantError(t, post("Case", `{"Subject":"x","ContactId":"`+con+`"}`), 400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []string{"ContactId"})
	})
	t.Run("lookup the user cannot see", func(t *testing.T) {
		private := e.mustInsert(t, "Contact", map[string]any{"LastName": "Private"}) // the admin's
		wantError(t, call(t, http.MethodPost, base+"Case", e.repToken, `{"Subject":"x","ContactId":"`+private+`"}`),
			400, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "insufficient access rights on cross-reference id", []string{})
		e.org.Share(private, e.rep.ID)
		if r := call(t, http.MethodPost, base+"Case", e.repToken, `{"Subject":"x","ContactId":"`+private+`"}`); r.status != http.StatusCreated {
			t.Errorf("after sharing: %d %s", r.status, r.body)
		}
		hidden := e.mustInsert(t, "Case", map[string]any{"Subject": "Admin's"})
		wantError(t, call(t, http.MethodPost, base+"CaseComment", e.repToken, `{"ParentId":"`+hidden+`","CommentBody":"x"}`),
			400, "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "insufficient access rights", []string{})
	})
	t.Run("deleted record", func(t *testing.T) {
		gone := e.mustInsert(t, "Case", map[string]any{"Subject": "Gone"})
		if err := e.org.Delete("Case", gone); err != nil {
			t.Fatal(err)
		}
		wantError(t, call(t, http.MethodPatch, base+"Case/"+gone, e.adminToken, `{"Subject":"back"}`), 404, "ENTITY_IS_DELETED", "entity is deleted", []string{})
		wantError(t, call(t, http.MethodDelete, base+"Case/"+gone, e.adminToken, ""), 404, "ENTITY_IS_DELETED", "entity is deleted", []string{})
		if err := e.org.Delete("Case", gone); err == nil {
			t.Error("deleting a deleted record succeeded")
		}
	})
}

func TestValidationRules(t *testing.T) {
	e := newEnv(t, Options{})
	rule := ValidationRule{Object: "Case", Name: "No_Secrets", Field: "Subject",
		Message: "Case Subject must not contain SECRET",
		Fails:   func(rec map[string]any) bool { s, _ := rec["Subject"].(string); return strings.Contains(s, "SECRET") }}
	if err := e.org.AddValidationRule(rule); err != nil {
		t.Fatal(err)
	}
	top := ValidationRule{Object: "Case", Name: "Closed_Needs_Reason", Message: "Give a reason before closing the case.",
		Fails: func(rec map[string]any) bool { return rec["Status"] == "Closed" && rec["Reason"] == nil }}
	if err := e.org.AddValidationRule(top); err != nil {
		t.Fatal(err)
	}
	base := e.org.InstanceURL() + data + "/sobjects/Case"
	wantError(t, call(t, http.MethodPost, base, e.adminToken, `{"Subject":"the SECRET plan"}`),
		400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Case Subject must not contain SECRET", []string{"Subject"})
	id := e.mustInsert(t, "Case", map[string]any{"Subject": "ok"})
	// Rules see the record as it would be saved: the stored values merged
	// with the change.
	wantError(t, call(t, http.MethodPatch, base+"/"+id, e.adminToken, `{"Status":"Closed"}`),
		400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Give a reason before closing the case.", []string{})
	if r := call(t, http.MethodPatch, base+"/"+id, e.adminToken, `{"Status":"Closed","Reason":"Other"}`); r.status != http.StatusNoContent {
		t.Errorf("a valid close: %d %s", r.status, r.body)
	}
	wantError(t, call(t, http.MethodPatch, base+"/"+TicketKeyField+"/acme:9", e.adminToken, `{"Subject":"SECRET"}`),
		400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Case Subject must not contain SECRET", nil)
	e.org.RemoveValidationRule("Case", "No_Secrets")
	if r := call(t, http.MethodPost, base, e.adminToken, `{"Subject":"the SECRET plan"}`); r.status != http.StatusCreated {
		t.Errorf("after removing the rule: %d %s", r.status, r.body)
	}
	if err := e.org.AddValidationRule(ValidationRule{Object: "Nope", Name: "x", Message: "x", Fails: func(map[string]any) bool { return true }}); err == nil {
		t.Error("a rule on a missing object was accepted")
	}
}

func TestUpsertTicketKey(t *testing.T) {
	e := newEnv(t, Options{})
	base := e.org.InstanceURL() + data + "/sobjects/Case/" + TicketKeyField + "/"
	key := url.PathEscape("acme:101")
	r := call(t, http.MethodPatch, base+key, e.adminToken, `{"Subject":"Printer","Origin":"Web"}`)
	if b := r.obj(t); r.status != http.StatusCreated || b["created"] != true || b["success"] != true {
		t.Fatalf("first upsert: %d %s", r.status, r.body)
	}
	id := r.obj(t)["id"].(string)
	if r.header.Get("Location") != data+"/sobjects/Case/"+id {
		t.Errorf("Location = %q", r.header.Get("Location"))
	}
	// Keys are case-insensitive, so ACME:101 is the same ticket.
	r = call(t, http.MethodPatch, base+"ACME:101", e.adminToken, `{"Status":"Working"}`)
	if b := r.obj(t); r.status != http.StatusOK || b["created"] != false || b["id"] != id {
		t.Fatalf("second upsert: %d %s", r.status, r.body)
	}
	rec, _ := e.org.Get("Case", id)
	if rec[TicketKeyField] != "acme:101" || rec["Status"] != "Working" || rec["Subject"] != "Printer" {
		t.Errorf("stored case = %v", rec)
	}
	// A unique key never matches twice, so 300 needs a non-unique
	// external id.
	if err := e.org.AddField("Case", FieldSpec{Name: "Legacy_Key__c", Type: "string", Length: 20, ExternalID: true}); err != nil {
		t.Fatal(err)
	}
	e.mustInsert(t, "Case", map[string]any{"Subject": "a", "Legacy_Key__c": "L1"})
	e.mustInsert(t, "Case", map[string]any{"Subject": "b", "Legacy_Key__c": "l1"})
	if r := call(t, http.MethodPatch, e.org.InstanceURL()+data+"/sobjects/Case/Legacy_Key__c/L1", e.adminToken, `{"Subject":"c"}`); r.status != http.StatusMultipleChoices {
		t.Errorf("two matches: %d %s, want 300", r.status, r.body)
	}
	wantError(t, call(t, http.MethodPatch, e.org.InstanceURL()+data+"/sobjects/Case/"+TicketURLField+"/x", e.adminToken, `{"Subject":"c"}`),
		404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: "+TicketURLField, nil)
}

// TestSystemModstampMoves: every write moves SystemModstamp and
// LastModifiedDate; CreatedDate stays.
func TestSystemModstampMoves(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Now: clock.Now})
	base := e.org.InstanceURL() + data + "/sobjects/Contact"
	r := call(t, http.MethodPost, base, e.adminToken, `{"LastName":"Doe"}`)
	id := r.obj(t)["id"].(string)
	first, _ := e.org.Get("Contact", id)
	clock.Advance(90 * time.Second)
	if r := call(t, http.MethodPatch, base+"/"+id, e.adminToken, `{"Title":"CTO"}`); r.status != http.StatusNoContent {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	second, _ := e.org.Get("Contact", id)
	if !second["SystemModstamp"].(time.Time).Equal(first["SystemModstamp"].(time.Time).Add(90*time.Second)) ||
		!second["LastModifiedDate"].(time.Time).Equal(second["SystemModstamp"].(time.Time)) ||
		!second["CreatedDate"].(time.Time).Equal(first["CreatedDate"].(time.Time)) {
		t.Errorf("after update: %v (before %v)", second, first)
	}
	got := call(t, http.MethodGet, base+"/"+id+"?fields=SystemModstamp", e.adminToken, "").obj(t)
	if got["SystemModstamp"] != "2026-11-25T10:01:30.000+0000" {
		t.Errorf("SystemModstamp on the wire = %v", got["SystemModstamp"])
	}
}

func TestCallCounters(t *testing.T) {
	e := newEnv(t, Options{})
	base := e.org.InstanceURL() + data
	call(t, http.MethodPost, base+"/sobjects/Account", e.adminToken, `{"Name":"A"}`)
	call(t, http.MethodPatch, base+"/sobjects/Case/"+TicketKeyField+"/k1", e.adminToken, `{"Subject":"x"}`)
	call(t, http.MethodGet, base+"/sobjects/Case/describe", e.adminToken, "")
	e.soql(t, e.adminToken, "SELECT Id FROM Case")
	e.composite(t, e.adminToken, `{"compositeRequest":[{"method":"GET","referenceId":"q","url":"/services/data/v66.0/query?q=SELECT+Id+FROM+Case"}]}`)
	call(t, http.MethodGet, base+"/sobjects/Case/describe", "bad-token", "")
	got := e.org.Stats().Calls
	want := map[string]int{"create": 1, "upsert": 1, "describe": 1, "query": 1, "composite": 1}
	if len(got) != len(want) {
		t.Errorf("Calls = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Calls[%s] = %d, want %d (all: %v)", k, got[k], v, got)
		}
	}
	got["create"] = 99
	if e.org.Stats().Calls["create"] != 1 {
		t.Error("Stats shares its map with the org")
	}
}
