package salesforcetest

import (
	"net/http"
	"slices"
	"sort"
	"testing"
)

// describeFields fetches GET /sobjects/{object}/describe as token's user
// and indexes the fields by name.
func (e *env) describeFields(t *testing.T, token, object string) map[string]map[string]any {
	t.Helper()
	r := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/"+object+"/describe", token, "")
	if r.status != http.StatusOK {
		t.Fatalf("describe %s: %d %s", object, r.status, r.body)
	}
	out := map[string]map[string]any{}
	for _, f := range r.obj(t)["fields"].([]any) {
		m := f.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

// requiredOnCreate applies the rule a client uses to find the fields it
// must set: nillable false, createable, not defaulted on create.
func requiredOnCreate(fields map[string]map[string]any) []string {
	var out []string
	for name, f := range fields {
		if f["nillable"] == false && f["createable"] == true && f["defaultedOnCreate"] == false {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func picklist(f map[string]any) (values []string, defaults []string) {
	for _, v := range f["picklistValues"].([]any) {
		m := v.(map[string]any)
		if m["active"] == true {
			values = append(values, m["value"].(string))
		}
		if m["defaultValue"] == true {
			defaults = append(defaults, m["value"].(string))
		}
	}
	return values, defaults
}

func TestDescribeRequiredFields(t *testing.T) {
	e := newEnv(t, Options{})
	for object, want := range map[string][]string{
		"Account":     {"Name"},
		"Contact":     {"LastName"},
		"Lead":        {"Company", "LastName"},
		"Case":        nil,
		"CaseComment": {"ParentId"},
	} {
		if got := requiredOnCreate(e.describeFields(t, e.adminToken, object)); !slices.Equal(got, want) {
			t.Errorf("%s required on create = %v, want %v", object, got, want)
		}
	}
}

func TestDescribeFieldProperties(t *testing.T) {
	e := newEnv(t, Options{})
	cs := e.describeFields(t, e.adminToken, "Case")
	for name, want := range map[string]map[string]any{
		"Zendesk_Ticket_Key__c": {"type": "string", "length": "80", "custom": true, "externalId": true, "unique": true,
			"caseSensitive": false, "idLookup": true, "createable": true, "updateable": true, "filterable": true, "nillable": true},
		"Zendesk_Ticket_URL__c":      {"type": "url", "length": "255", "custom": true, "externalId": false, "unique": false},
		"Zendesk_Last_Comment_Id__c": {"type": "string", "length": "32", "custom": true, "externalId": false},
		"Subject":                    {"type": "string", "length": "255", "filterable": true, "nillable": true},
		"Description":                {"type": "textarea", "length": "32000", "filterable": false, "sortable": false},
		"CaseNumber":                 {"createable": false, "updateable": false, "autoNumber": true, "nameField": true},
		"Status":                     {"type": "picklist", "restrictedPicklist": false, "defaultedOnCreate": true},
		"OwnerId":                    {"nillable": false, "defaultedOnCreate": true, "createable": true},
		"SystemModstamp":             {"type": "datetime", "createable": false, "updateable": false, "nillable": false},
		"SuppliedName":               {"length": "80"},
	} {
		f := cs[name]
		if f == nil {
			t.Errorf("Case describe lacks %s", name)
			continue
		}
		for k, v := range want {
			got := f[k]
			if n, ok := got.(interface{ String() string }); ok {
				got = n.String()
			}
			if got != v {
				t.Errorf("Case.%s %s = %v, want %v", name, k, got, v)
			}
		}
	}
	status, defaults := picklist(cs["Status"])
	if !slices.Equal(status, []string{"New", "Working", "Escalated", "Closed"}) || !slices.Equal(defaults, []string{"New"}) {
		t.Errorf("Case.Status values %v, defaults %v", status, defaults)
	}
	if prio, _ := picklist(cs["Priority"]); !slices.Equal(prio, []string{"High", "Medium", "Low"}) {
		t.Errorf("Case.Priority values %v", prio)
	}
	if origin, _ := picklist(cs["Origin"]); !slices.Equal(origin, []string{"Phone", "Email", "Web"}) {
		t.Errorf("Case.Origin values %v", origin)
	}
	cc := e.describeFields(t, e.adminToken, "CaseComment")
	if p := cc["ParentId"]; p["createable"] != true || p["updateable"] != false || p["relationshipName"] != "Parent" {
		t.Errorf("CaseComment.ParentId = %v", p)
	}
	if b := cc["CommentBody"]; b["length"].(interface{ String() string }).String() != "4000" || b["filterable"] != false {
		t.Errorf("CaseComment.CommentBody = %v", b)
	}
	if ip := cc["IsPublished"]; ip["type"] != "boolean" || ip["defaultedOnCreate"] != true || ip["nillable"] != false {
		t.Errorf("CaseComment.IsPublished = %v", ip)
	}
	lead := e.describeFields(t, e.adminToken, "Lead")
	if st, def := picklist(lead["Status"]); len(st) != 4 || !slices.Equal(def, []string{"Open - Not Contacted"}) {
		t.Errorf("Lead.Status values %v defaults %v", st, def)
	}
	con := e.describeFields(t, e.adminToken, "Contact")
	if f := con["LastName"]; f["length"].(interface{ String() string }).String() != "80" {
		t.Errorf("Contact.LastName length %v, want 80", f["length"])
	}
	if f := con["Email"]; f["type"] != "email" || f["filterable"] != true || f["unique"] != false {
		t.Errorf("Contact.Email = %v", f)
	}
	acc := e.describeFields(t, e.adminToken, "Account")
	if ind, _ := picklist(acc["Industry"]); !slices.Contains(ind, "Manufacturing") || !slices.Contains(ind, "Technology") {
		t.Errorf("Account.Industry values %v", ind)
	}
}

// TestOrgWithoutTicketSyncFields: an org where the package was never
// deployed has no Zendesk fields, and upserting by the key is refused.
func TestOrgWithoutTicketSyncFields(t *testing.T) {
	e := newEnv(t, Options{})
	bare, err := e.cloud.AddOrg(OrgSpec{Name: "Bare", WithoutTicketSyncFields: true})
	if err != nil {
		t.Fatal(err)
	}
	admin := bare.AddUser(User{Username: "admin@bare.example", Perms: Permissions{APIEnabled: true, ModifyAllData: true}})
	token, _ := bare.IssueTokens(admin.ID)
	r := call(t, http.MethodGet, bare.InstanceURL()+data+"/sobjects/Case/describe", token, "")
	for _, f := range r.obj(t)["fields"].([]any) {
		if name := f.(map[string]any)["name"].(string); name == TicketKeyField || name == TicketURLField || name == LastCommentField {
			t.Errorf("bare org's Case has %s", name)
		}
	}
	up := call(t, http.MethodPatch, bare.InstanceURL()+data+"/sobjects/Case/"+TicketKeyField+"/acme:1", token, `{"Subject":"x"}`)
	if up.status != http.StatusNotFound || up.errorCode(t) != "NOT_FOUND" {
		t.Errorf("upsert by a missing key field: %d %s", up.status, up.body)
	}
	if err := bare.AddField("Case", FieldSpec{Name: TicketKeyField, Type: "string", Length: 80, ExternalID: true, Unique: true}); err != nil {
		t.Errorf("deploying the key field later: %v", err)
	}
}

// TestFieldLevelSecurity: a read-only field is not createable or
// updateable for that user and writes to it are refused; a hidden field
// disappears from describe, queries and record reads.
func TestFieldLevelSecurity(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.org.SetFieldAccess(e.admin.ID, "Case", TicketKeyField, FieldReadOnly); err != nil {
		t.Fatal(err)
	}
	if err := e.org.SetFieldAccess(e.admin.ID, "Case", LastCommentField, FieldHidden); err != nil {
		t.Fatal(err)
	}
	cs := e.describeFields(t, e.adminToken, "Case")
	if k := cs[TicketKeyField]; k["createable"] != false || k["updateable"] != false {
		t.Errorf("read-only key field in describe: %v", k)
	}
	if cs[LastCommentField] != nil {
		t.Error("hidden field still in describe")
	}
	if k := e.describeFields(t, e.repToken, "Case")[TicketKeyField]; k["createable"] != true {
		t.Errorf("another user's describe changed too: %v", k)
	}
	base := e.org.InstanceURL() + data + "/sobjects/Case"
	r := call(t, http.MethodPost, base, e.adminToken, `{"Subject":"x","`+TicketKeyField+`":"acme:1"}`)
	if r.status != 400 || r.errorCode(t) != "INVALID_FIELD_FOR_INSERT_UPDATE" ||
		r.errorMessage(t) != "Unable to create/update fields: "+TicketKeyField+". Please check the security settings of this field and verify that it is read/write for your profile or permission set." {
		t.Errorf("writing a read-only field: %d %s", r.status, r.body)
	}
	if r := call(t, http.MethodPatch, base+"/"+TicketKeyField+"/acme:1", e.adminToken, `{"Subject":"x"}`); r.status != 400 || r.errorCode(t) != "INVALID_FIELD_FOR_INSERT_UPDATE" {
		t.Errorf("upsert setting a read-only key: %d %s", r.status, r.body)
	}
	r = call(t, http.MethodPost, base, e.adminToken, `{"Subject":"x","`+LastCommentField+`":"9"}`)
	if r.status != 400 || r.errorCode(t) != "INVALID_FIELD" {
		t.Errorf("writing a hidden field: %d %s", r.status, r.body)
	}
	if q := e.soql(t, e.adminToken, "SELECT "+LastCommentField+" FROM Case"); q.status != 400 || q.errorCode(t) != "INVALID_FIELD" {
		t.Errorf("querying a hidden field: %d %s", q.status, q.body)
	}
	if q := e.soql(t, e.repToken, "SELECT "+LastCommentField+" FROM Case"); q.status != 200 {
		t.Errorf("another user querying the field: %d %s", q.status, q.body)
	}
	id := e.mustInsert(t, "Case", map[string]any{"Subject": "seeded", LastCommentField: "7"})
	if got := call(t, http.MethodGet, base+"/"+id, e.adminToken, "").obj(t); got[LastCommentField] != nil || got["Subject"] != "seeded" {
		t.Errorf("record read shows a hidden field: %v", got)
	}
	if err := e.org.SetFieldAccess(e.admin.ID, "Case", LastCommentField, FieldEditable); err != nil {
		t.Fatal(err)
	}
	if e.describeFields(t, e.adminToken, "Case")[LastCommentField] == nil {
		t.Error("field still hidden after making it editable again")
	}
	if err := e.org.SetFieldAccess(e.admin.ID, "Case", "Nope__c", FieldHidden); err == nil {
		t.Error("SetFieldAccess on a missing field succeeded")
	}
}
