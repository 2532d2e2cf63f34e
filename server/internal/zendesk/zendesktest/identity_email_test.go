package zendesktest

import (
	"net/http"
	"strings"
	"testing"
)

// An email identity is unique across users, primary or secondary, and
// create_or_update_many finds a user by any of its email identities.
func TestSecondaryEmailMatchesAndIsUnique(t *testing.T) {
	f := bulkFixture(t)
	gus := f.acct.AddUser(User{Name: "Gus Two", Email: "gus2@acme.example", OtherEmails: []string{"gus.other@acme.example"}, Role: RoleAgent})
	resp, b := f.send(t, "POST", "/api/v2/users/create_or_update_many.json", `{"users":[
		{"name":"Peter Matched","email":"peter.alt@initech.example","external_id":"003PETER"},
		{"name":"By secondary","email":"PETER.ALT@initech.example"},
		{"name":"Taken","email":"gus.other@acme.example","external_id":"003NEW"}]}`)
	wantStatus(t, resp, b, http.StatusOK)
	results := finishJob(t, f, b)["results"].([]any)
	r := func(i int) map[string]any { return results[i].(map[string]any) }
	if r(1)["id"] != float64(f.endUser.ID) || r(1)["status"] != "Updated" {
		t.Errorf("a user named by a secondary email was not matched to its owner: %v", r(1))
	}
	if peter, _ := f.acct.User(f.endUser.ID); peter.Name != "By secondary" {
		t.Errorf("peter = %+v", peter)
	}
	// The third matched the agent by its secondary email: it is an update of
	// that agent (allowed to an admin), never a second user with the email.
	if r(2)["id"] != float64(gus.ID) {
		t.Errorf("secondary email of an agent gave %v, want a match of user %d", r(2), gus.ID)
	}
	n := 0
	for _, u := range f.acct.Users() {
		for _, e := range append([]string{u.Email}, u.OtherEmails...) {
			if strings.EqualFold(e, "gus.other@acme.example") {
				n++
			}
		}
	}
	if n != 1 {
		t.Errorf("gus.other@acme.example belongs to %d users, want 1", n)
	}
	// A new user may not take another's secondary email.
	resp, b = f.send(t, "POST", "/api/v2/users/create_many.json", `{"users":[{"name":"Dup","email":"peter.alt@initech.example"}]}`)
	if resp.StatusCode == http.StatusOK {
		results = finishJob(t, f, b)["results"].([]any)
		if r(0)["success"] != false || !strings.Contains(r(0)["details"].(string), "already being used") {
			t.Errorf("create_many with a taken secondary email: %v", r(0))
		}
	} else {
		t.Errorf("create_many: %d %s", resp.StatusCode, b)
	}
}
