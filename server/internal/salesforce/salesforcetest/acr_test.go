package salesforcetest

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// relations lists a Contact's live relationships as "AccountId direct
// active", sorted.
func (e *env) relations(t *testing.T, contactID string) []string {
	t.Helper()
	r := e.soql(t, e.adminToken, "SELECT AccountId, IsDirect, IsActive FROM AccountContactRelation WHERE ContactId = '"+contactID+"'")
	if r.status != http.StatusOK {
		t.Fatalf("query: %d %s", r.status, r.body)
	}
	var out []string
	for _, rec := range records(t, r.obj(t)) {
		out = append(out, fmt.Sprintf("%s %v %v", rec["AccountId"], rec["IsDirect"], rec["IsActive"]))
	}
	slices.Sort(out)
	return out
}

func TestAccountContactRelationNeedsTheFeature(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.soql(t, e.adminToken, "SELECT Id FROM AccountContactRelation")
	if r.status != http.StatusBadRequest || r.errorCode(t) != "INVALID_TYPE" {
		t.Fatalf("without Contacts to Multiple Accounts: %d %s, want 400 INVALID_TYPE", r.status, r.body)
	}
	if d := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/AccountContactRelation/describe", e.adminToken, ""); d.status != http.StatusNotFound {
		t.Errorf("describe without the feature: %d %s, want 404", d.status, d.body)
	}
}

func TestDirectRelationshipFollowsThePrimaryAccount(t *testing.T) {
	e := newEnv(t, Options{})
	acme := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	globex := e.mustInsert(t, "Account", map[string]any{"Name": "Globex"})
	initech := e.mustInsert(t, "Account", map[string]any{"Name": "Initech"})
	before := e.mustInsert(t, "Contact", map[string]any{"LastName": "Before", "AccountId": acme})
	e.org.EnableContactsToMultipleAccounts()
	if got := e.relations(t, before); !slices.Equal(got, []string{acme + " true true"}) {
		t.Errorf("a Contact from before the feature: %v, want its direct relationship", got)
	}

	c := e.mustInsert(t, "Contact", map[string]any{"LastName": "Lovelace", "AccountId": acme})
	if _, err := e.org.Relate(c, globex, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.org.Relate(c, initech, false); err != nil {
		t.Fatal(err)
	}
	want := []string{acme + " true true", globex + " false true", initech + " false false"}
	slices.Sort(want)
	if got := e.relations(t, c); !slices.Equal(got, want) {
		t.Errorf("relationships: %v, want %v", got, want)
	}

	// Moving the primary account to Globex makes that relationship direct
	// and removes the one with Acme.
	if err := e.org.Update("Contact", c, map[string]any{"AccountId": globex}); err != nil {
		t.Fatal(err)
	}
	want = []string{globex + " true true", initech + " false false"}
	slices.Sort(want)
	if got := e.relations(t, c); !slices.Equal(got, want) {
		t.Errorf("after moving to Globex: %v, want %v", got, want)
	}

	// IsDirect is read-only through the API, and AccountId is set on
	// create only.
	r := e.soql(t, e.adminToken, "SELECT Id FROM AccountContactRelation WHERE ContactId = '"+c+"' AND IsDirect = false")
	rel := records(t, r.obj(t))[0]["Id"].(string)
	for _, body := range []string{`{"IsDirect": true}`, `{"AccountId": "` + acme + `"}`} {
		p := call(t, http.MethodPatch, e.org.InstanceURL()+data+"/sobjects/AccountContactRelation/"+rel, e.adminToken, body)
		if p.status != http.StatusBadRequest || p.errorCode(t) != "INVALID_FIELD_FOR_INSERT_UPDATE" {
			t.Errorf("PATCH %s: %d %s, want 400 INVALID_FIELD_FOR_INSERT_UPDATE", body, p.status, p.body)
		}
	}

	// Deleting the Contact deletes its relationships, which getDeleted
	// then lists.
	if err := e.org.Delete("Contact", c); err != nil {
		t.Fatal(err)
	}
	if got := e.relations(t, c); len(got) != 0 {
		t.Errorf("after the Contact was deleted: %v, want none", got)
	}
}

func TestRelationshipsAreCreatedThroughREST(t *testing.T) {
	e := newEnv(t, Options{})
	e.org.EnableContactsToMultipleAccounts()
	acme := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	globex := e.mustInsert(t, "Account", map[string]any{"Name": "Globex"})
	c := call(t, http.MethodPost, e.org.InstanceURL()+data+"/sobjects/Contact", e.adminToken,
		`{"LastName": "Hopper", "AccountId": "`+acme+`"}`)
	if c.status != http.StatusCreated {
		t.Fatalf("create Contact: %d %s", c.status, c.body)
	}
	contact := c.obj(t)["id"].(string)
	r := call(t, http.MethodPost, e.org.InstanceURL()+data+"/sobjects/AccountContactRelation", e.adminToken,
		`{"ContactId": "`+contact+`", "AccountId": "`+globex+`"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create relationship: %d %s", r.status, r.body)
	}
	want := []string{acme + " true true", globex + " false true"}
	slices.Sort(want)
	if got := e.relations(t, contact); !slices.Equal(got, want) {
		t.Errorf("relationships: %v, want %v (IsActive defaults to true)", got, want)
	}
	missing := call(t, http.MethodPost, e.org.InstanceURL()+data+"/sobjects/AccountContactRelation", e.adminToken,
		`{"ContactId": "`+contact+`"}`)
	if missing.status != http.StatusBadRequest || missing.errorCode(t) != "REQUIRED_FIELD_MISSING" {
		t.Errorf("without AccountId: %d %s, want 400 REQUIRED_FIELD_MISSING", missing.status, missing.body)
	}
}
