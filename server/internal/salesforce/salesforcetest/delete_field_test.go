package salesforcetest

import (
	"net/http"
	"net/url"
	"testing"
)

// describeFields reads an object's describe as name → field.
func describeFields(t *testing.T, e *env, object string) map[string]map[string]any {
	t.Helper()
	d := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/"+object+"/describe", e.adminToken, "").obj(t)
	out := map[string]map[string]any{}
	for _, f := range d["fields"].([]any) {
		m := f.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

// Describe says where a query may use a field, as the real one does: a
// long text area is neither filterable nor sortable.
func TestDescribeSaysWhereAFieldMayBeUsed(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.org.DefineField("Contact", "Notes__c", "textarea"); err != nil {
		t.Fatal(err)
	}
	f := describeFields(t, e, "Contact")
	if f["Email"]["filterable"] != true || f["Email"]["sortable"] != true || f["Email"]["groupable"] != true {
		t.Errorf("Email: %v", f["Email"])
	}
	if f["Notes__c"]["filterable"] != false || f["Notes__c"]["sortable"] != false {
		t.Errorf("a long text area: %v", f["Notes__c"])
	}
	if o := describeFields(t, e, "Opportunity"); o["Amount"]["filterable"] != true || o["Amount"]["groupable"] != false {
		t.Errorf("a currency field: %v", o["Amount"])
	}
}

// A custom field deleted in Setup disappears from describe and queries.
func TestDeleteField(t *testing.T) {
	e := newEnv(t, Options{})
	if err := e.org.DefineField("Contact", "Shoe_Size__c", "int"); err != nil {
		t.Fatal(err)
	}
	q := e.org.InstanceURL() + data + "/query?q=" + url.QueryEscape("SELECT Id, Shoe_Size__c FROM Contact")
	if r := call(t, http.MethodGet, q, e.adminToken, ""); r.status != http.StatusOK {
		t.Fatalf("before the delete: %d %s", r.status, r.body)
	}
	if err := e.org.DeleteField("Contact", "Shoe_Size__c"); err != nil {
		t.Fatal(err)
	}
	if _, ok := describeFields(t, e, "Contact")["Shoe_Size__c"]; ok {
		t.Error("describe still lists the deleted field")
	}
	if r := call(t, http.MethodGet, q, e.adminToken, ""); r.status != http.StatusBadRequest || r.errorCode(t) != "INVALID_FIELD" {
		t.Errorf("querying the deleted field: %d %s", r.status, r.body)
	}
	if err := e.org.DeleteField("Contact", "Email"); err == nil {
		t.Error("a standard field was deleted")
	}
}
