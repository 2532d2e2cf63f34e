package salesforcetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRecordLifecycle(t *testing.T) {
	e := newEnv(t, Options{})
	base := e.org.InstanceURL() + data + "/sobjects/"
	created := call(t, http.MethodPost, base+"Contact", e.repToken, `{"lastname":"Doe","FirstName":"Jane","Email":"jane@acme.example"}`)
	body := created.obj(t)
	id, _ := body["id"].(string)
	if created.status != http.StatusCreated || body["success"] != true || len(body["errors"].([]any)) != 0 || !strings.HasPrefix(id, "003") {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	got := call(t, http.MethodGet, base+"Contact/"+id, e.repToken, "").obj(t)
	attrs := got["attributes"].(map[string]any)
	if got["Name"] != "Jane Doe" || got["OwnerId"] != e.rep.ID || got["CreatedById"] != e.rep.ID ||
		attrs["type"] != "Contact" || attrs["url"] != data+"/sobjects/Contact/"+id || got["AccountId"] != nil {
		t.Errorf("get = %v", got)
	}
	if r := call(t, http.MethodPatch, base+"Contact/"+id[:15], e.repToken, `{"Title":"CTO","FirstName":"Janet"}`); r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Fatalf("update by 15-char id: %d %s", r.status, r.body)
	}
	some := call(t, http.MethodGet, base+"Contact/"+id+"?fields=Name,Title", e.repToken, "")
	if want := `{"attributes":{"type":"Contact","url":"` + data + `/sobjects/Contact/` + id + `"},"Name":"Janet Doe","Title":"CTO","Id":"` + id + `"}`; strings.TrimSpace(string(some.body)) != want {
		t.Errorf("get ?fields = %s, want %s", some.body, want)
	}
	if r := call(t, http.MethodDelete, base+"Contact/"+id, e.repToken, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := call(t, http.MethodGet, base+"Contact/"+id, e.repToken, ""); r.status != 404 || r.errorCode(t) != "ENTITY_IS_DELETED" {
		t.Errorf("get deleted: %d %s", r.status, r.body)
	}
}

func TestRecordWritesRejected(t *testing.T) {
	e := newEnv(t, Options{})
	acc := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	con := e.mustInsert(t, "Contact", map[string]any{"LastName": "Doe"})
	base := e.org.InstanceURL() + data + "/sobjects/"
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
		fields                   string
	}{
		{"unknown field", "POST", "Contact", `{"LastName":"X","Foo":1}`, 400, "INVALID_FIELD", ""},
		{"missing required field", "POST", "Contact", `{"FirstName":"X"}`, 400, "REQUIRED_FIELD_MISSING", "LastName"},
		{"opportunity required fields", "POST", "Opportunity", `{"Name":"X"}`, 400, "REQUIRED_FIELD_MISSING", "StageName,CloseDate"},
		{"clearing a required field", "PATCH", "Contact/" + con, `{"LastName":null}`, 400, "REQUIRED_FIELD_MISSING", "LastName"},
		{"read-only field", "POST", "Contact", `{"LastName":"X","Name":"Y"}`, 400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Name"},
		{"id in insert", "POST", "Contact", `{"LastName":"X","Id":"` + con + `"}`, 400, "INVALID_FIELD_FOR_INSERT_UPDATE", "Id"},
		{"string into a boolean", "POST", "Case", `{"IsEscalated":"yes"}`, 400, "JSON_PARSER_ERROR", ""},
		{"number into text", "POST", "Contact", `{"LastName":42}`, 400, "JSON_PARSER_ERROR", ""},
		{"fraction into an int", "POST", "Account", `{"Name":"A","NumberOfEmployees":1.5}`, 400, "JSON_PARSER_ERROR", ""},
		{"bad date", "POST", "Opportunity", `{"Name":"X","StageName":"New","CloseDate":"2026-13-01"}`, 400, "JSON_PARSER_ERROR", ""},
		{"bad email", "POST", "Contact", `{"LastName":"X","Email":"not an email"}`, 400, "INVALID_EMAIL_ADDRESS", "Email"},
		{"text too long", "POST", "Contact", `{"LastName":"` + strings.Repeat("x", 256) + `"}`, 400, "STRING_TOO_LONG", "LastName"},
		{"malformed reference", "POST", "Contact", `{"LastName":"X","AccountId":"nope"}`, 400, "MALFORMED_ID", "AccountId"},
		{"reference of the wrong type", "POST", "Contact", `{"LastName":"X","AccountId":"` + con + `"}`, 400, "FIELD_INTEGRITY_EXCEPTION", "AccountId"},
		{"dangling reference", "POST", "Contact", `{"LastName":"X","AccountId":"001Dx0000009999AAA"}`, 400, "INVALID_CROSS_REFERENCE_KEY", "AccountId"},
		{"malformed JSON", "POST", "Contact", `{"LastName":`, 400, "JSON_PARSER_ERROR", ""},
		{"unknown type", "GET", "Foo/" + con, "", 404, "NOT_FOUND", ""},
		{"id of another type", "GET", "Account/" + con, "", 404, "NOT_FOUND", ""},
		{"missing record", "GET", "Account/001Dx0000009999AAA", "", 404, "NOT_FOUND", ""},
		{"users are read-only", "POST", "User", `{"LastName":"X"}`, 400, "INVALID_TYPE_FOR_OPERATION", ""},
		{"wrong method", "PUT", "Account/" + acc, `{}`, 405, "METHOD_NOT_ALLOWED", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, tt.method, base+tt.path, e.adminToken, tt.body)
			if r.status != tt.status || r.errorCode(t) != tt.code {
				t.Fatalf("got %d %s, want %d %s", r.status, r.body, tt.status, tt.code)
			}
			if tt.fields != "" {
				arr := r.json(t).([]any)
				var got []string
				for _, f := range arr[0].(map[string]any)["fields"].([]any) {
					got = append(got, f.(string))
				}
				if strings.Join(got, ",") != tt.fields {
					t.Errorf("fields = %v, want %s", got, tt.fields)
				}
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, base+"Contact", strings.NewReader(`{"LastName":"X"}`))
	req.Header.Set("Authorization", "Bearer "+e.adminToken)
	req.Header.Set("Content-Type", "text/plain")
	if r := send(t, req); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body: %d %s, want 415", r.status, r.body)
	}
}

func TestUpsertByExternalID(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.org.DefineField("Case", "Zendesk_Ticket_Id__c", "string"); err != nil {
		t.Fatal(err)
	}
	base := e.org.InstanceURL() + data + "/sobjects/Case/Zendesk_Ticket_Id__c/"
	key := url.PathEscape("zd/42 a")
	first := call(t, http.MethodPatch, base+key, e.adminToken, `{"Subject":"Printer on fire","Status":"New"}`)
	body := first.obj(t)
	if first.status != http.StatusCreated || body["created"] != true || body["success"] != true {
		t.Fatalf("upsert create: %d %s", first.status, first.body)
	}
	id := body["id"].(string)
	second := call(t, http.MethodPatch, base+key, e.adminToken, `{"Status":"Closed"}`)
	if b := second.obj(t); second.status != http.StatusOK || b["created"] != false || b["id"] != id {
		t.Fatalf("upsert update: %d %s", second.status, second.body)
	}
	rec, _ := e.org.Get("Case", id)
	if rec["Zendesk_Ticket_Id__c"] != "zd/42 a" || rec["Status"] != "Closed" || rec["IsClosed"] != true || rec["Subject"] != "Printer on fire" {
		t.Errorf("stored case = %v", rec)
	}
	old := call(t, http.MethodPatch, e.org.InstanceURL()+"/services/data/v45.0/sobjects/Case/Zendesk_Ticket_Id__c/"+key, e.adminToken, `{"Priority":"High"}`)
	if old.status != http.StatusNoContent {
		t.Errorf("upsert update before v46: %d %s, want 204", old.status, old.body)
	}
	e.mustInsert(t, "Case", map[string]any{"Subject": "dup 1", "Zendesk_Ticket_Id__c": "7"})
	e.mustInsert(t, "Case", map[string]any{"Subject": "dup 2", "Zendesk_Ticket_Id__c": "7"})
	if r := call(t, http.MethodPatch, base+"7", e.adminToken, `{"Status":"New"}`); r.status != http.StatusMultipleChoices || len(r.json(t).([]any)) != 2 {
		t.Errorf("two matches: %d %s, want 300 with both", r.status, r.body)
	}
	if r := call(t, http.MethodPatch, base+"8?updateOnly=true", e.adminToken, `{"Status":"New"}`); r.status != 404 {
		t.Errorf("updateOnly without a match: %d %s, want 404", r.status, r.body)
	}
	if r := call(t, http.MethodPatch, e.org.InstanceURL()+data+"/sobjects/Case/Subject/x", e.adminToken, `{}`); r.status != 404 || r.errorCode(t) != "NOT_FOUND" {
		t.Errorf("upsert on a non-external-id field: %d %s", r.status, r.body)
	}
	if r := call(t, http.MethodGet, base+key, e.adminToken, ""); r.status != http.StatusOK || r.obj(t)["Id"] != id {
		t.Errorf("get by external id: %d %s", r.status, r.body)
	}
}

func TestDescribeAndLimits(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.org.DefineField("Contact", "Zendesk_User_Id__c", "int"); err != nil {
		t.Fatal(err)
	}
	d := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/Contact/describe", e.repToken, "").obj(t)
	found := map[string]string{}
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		found[m["name"].(string)] = m["type"].(string)
	}
	if d["name"] != "Contact" || found["Email"] != "email" || found["AccountId"] != "reference" || found["Zendesk_User_Id__c"] != "int" {
		t.Errorf("describe = %v", found)
	}
	if r := call(t, http.MethodGet, e.org.InstanceURL()+data+"/limits", e.repToken, ""); r.status != 403 {
		t.Errorf("limits without View Setup: %d, want 403", r.status)
	}
	lim := call(t, http.MethodGet, e.org.InstanceURL()+data+"/limits", e.adminToken, "").obj(t)
	api := lim["DailyApiRequests"].(map[string]any)
	if api["Max"].(interface{ String() string }).String() != "15000" || api["Remaining"].(interface{ String() string }).String() != "14997" {
		t.Errorf("DailyApiRequests = %v, want Max 15000 Remaining 14997 after three calls", api)
	}
	for _, bad := range [][3]string{{"Contact", "zendesk_user_id__c", "string"}, {"Contact", "Foo", "string"}, {"Contact", "Bar__c", "blob"}, {"Nope", "X__c", "string"}} {
		if err := e.org.DefineField(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("DefineField%v succeeded", bad)
		}
	}
}

func TestSeedValidation(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tt := range []struct {
		obj    string
		fields map[string]any
	}{
		{"Contact", map[string]any{"LastName": "X", "Nope": 1}},
		{"Contact", map[string]any{"FirstName": "X"}},
		{"Opportunity", map[string]any{"Name": "X", "StageName": "New", "CloseDate": "tomorrow"}},
		{"Nope", map[string]any{"Name": "X"}},
		{"User", map[string]any{"LastName": "X"}},
	} {
		if _, err := e.org.Insert(tt.obj, tt.fields); err == nil {
			t.Errorf("Insert(%s, %v) succeeded", tt.obj, tt.fields)
		}
	}
	id := e.mustInsert(t, "Opportunity", map[string]any{"Name": "X", "StageName": "Prospecting", "CloseDate": "2026-12-01"})
	if err := e.org.Update("Opportunity", id, map[string]any{"StageName": "Closed Won"}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := e.org.Get("Opportunity", id); rec["IsWon"] != true || rec["IsClosed"] != true || rec["OwnerId"] != e.admin.ID {
		t.Errorf("after Update: %v", rec)
	}
	if err := e.org.Update("Opportunity", id, map[string]any{"Bogus": 1}); err == nil {
		t.Error("Update with an unknown field succeeded")
	}
}
