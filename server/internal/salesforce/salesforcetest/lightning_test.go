package salesforcetest

import (
	"net/http"
	"strings"
	"testing"
)

// page fetches a Lightning URL on the org's instance host with no token,
// as a browser opening an "open in Salesforce" link would.
func (e *env) page(t *testing.T, path string) response {
	t.Helper()
	return call(t, http.MethodGet, e.org.InstanceURL()+path, "", "")
}

func wantHTML(t *testing.T, r response, status int, parts ...string) {
	t.Helper()
	if r.status != status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, content type %q, want %d text/html; body:\n%s", r.status, r.header.Get("Content-Type"), status, r.body)
	}
	for _, p := range parts {
		if !strings.Contains(string(r.body), p) {
			t.Errorf("page lacks %q:\n%s", p, r.body)
		}
	}
}

func TestLightningRecordPage(t *testing.T) {
	e := newEnv(t, Options{})
	acc := e.mustInsert(t, "Account", map[string]any{"Name": "Globex & Sons", "Industry": "Manufacturing", "Phone": "(555) 010-0100"})
	con := e.mustInsert(t, "Contact", map[string]any{"FirstName": "Pat", "LastName": "O'Brien", "Email": "pat@globex.example", "AccountId": acc})
	e.mustInsert(t, "Opportunity", map[string]any{"Name": "Expansion", "StageName": "Prospecting", "CloseDate": "2027-01-15", "AccountId": acc})

	r := e.page(t, "/lightning/r/Account/"+acc+"/view")
	wantHTML(t, r, http.StatusOK,
		"Emulated Salesforce", "Acme Corp", // banner and org
		"Globex &amp; Sons", "Industry", "Manufacturing", "(555) 010-0100",
		`href="/lightning/r/Contact/`+con+`/view"`, "Pat O&#39;Brien", "Contacts (1)", "Opportunities (1)", "Expansion", "Cases (0)",
		`data-testid="record-name"`)

	// A 15-character id, the object-less form and a contact's back link.
	wantHTML(t, e.page(t, "/lightning/r/Account/"+acc[:15]+"/view"), http.StatusOK, "Globex &amp; Sons")
	wantHTML(t, e.page(t, "/lightning/r/"+acc+"/view"), http.StatusOK, "Globex &amp; Sons")
	wantHTML(t, e.page(t, "/lightning/r/Contact/"+con+"/view"), http.StatusOK,
		"Pat O&#39;Brien", "pat@globex.example", `href="/lightning/r/Account/`+acc+`/view"`, "Globex &amp; Sons")

	// An id under the wrong object goes to its own page, as Lightning does.
	wrong := e.page(t, "/lightning/r/Account/"+con+"/view")
	if wrong.status != http.StatusFound || wrong.header.Get("Location") != "/lightning/r/Contact/"+con+"/view" {
		t.Errorf("contact id under Account: %d %q", wrong.status, wrong.header.Get("Location"))
	}
	// Classic short links (instance/{id}) open the record too.
	short := e.page(t, "/"+con)
	if short.status != http.StatusFound || short.header.Get("Location") != "/lightning/r/Contact/"+con+"/view" {
		t.Errorf("/{id}: %d %q", short.status, short.header.Get("Location"))
	}
	if s := e.org.Stats(); s.APICalls != 0 {
		t.Errorf("pages were charged as API calls: %+v", s)
	}
}

func TestLightningCasePageShowsComments(t *testing.T) {
	e := newEnv(t, Options{})
	cs := e.mustInsert(t, "Case", map[string]any{"Subject": "Printer on fire", "Status": "Working", "Description": "Smoke <b>everywhere</b>"})
	e.mustInsert(t, "CaseComment", map[string]any{"ParentId": cs, "CommentBody": "Tried turning it off <script>alert(1)</script>", "IsPublished": true})
	e.mustInsert(t, "CaseComment", map[string]any{"ParentId": cs, "CommentBody": "Internal: order a new one"})
	r := e.page(t, "/lightning/r/Case/"+cs+"/view")
	wantHTML(t, r, http.StatusOK, "Printer on fire", "Working", "Smoke &lt;b&gt;everywhere&lt;/b&gt;",
		"Case Comments (2)", "Tried turning it off &lt;script&gt;alert(1)&lt;/script&gt;", "Internal: order a new one",
		"Public", "Ada Admin")
	if strings.Contains(string(r.body), "<script>alert") {
		t.Error("a comment body reached the page unescaped")
	}
	// Comments show newest first, as in the Case Comments related list.
	body := string(r.body)
	if strings.Index(body, "Internal: order a new one") > strings.Index(body, "Tried turning it off") {
		t.Error("comments are not newest first")
	}
}

func TestLightningListAndHome(t *testing.T) {
	e := newEnv(t, Options{})
	e.mustInsert(t, "Case", map[string]any{"Subject": "Invoice wrong"})
	wantHTML(t, e.page(t, "/lightning/o/Case/list?filterName=Recent"), http.StatusOK, "Cases", "Invoice wrong", `href="/lightning/r/Case/`)
	wantHTML(t, e.page(t, "/lightning/o/Case/home"), http.StatusOK, "Cases", "Invoice wrong")
	wantHTML(t, e.page(t, "/lightning/page/home"), http.StatusOK, "Acme Corp", `href="/lightning/o/Account/home"`, `href="/lightning/o/Case/home"`)
	wantHTML(t, e.page(t, "/lightning/o/Nope/list"), http.StatusNotFound, "Emulated Salesforce")
}

func TestLightningRecordNotFound(t *testing.T) {
	e := newEnv(t, Options{})
	con := e.mustInsert(t, "Contact", map[string]any{"LastName": "Gone"})
	if r := call(t, http.MethodDelete, e.org.InstanceURL()+data+"/sobjects/Contact/"+con, e.adminToken, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	for _, path := range []string{
		"/lightning/r/Contact/" + con + "/view",        // deleted
		"/lightning/r/Contact/003Dx0000009999AAA/view", // never existed
		"/lightning/r/Contact/nope/view",               // not an id
		"/lightning/r/Nope/" + con + "/view",           // no such object
		"/lightning/x/y",                               // no such page
	} {
		r := e.page(t, path)
		wantHTML(t, r, http.StatusNotFound, "Emulated Salesforce", "isn&#39;t available")
		if strings.Contains(string(r.body), "Gone") {
			t.Errorf("%s shows the deleted record", path)
		}
	}
	if r := call(t, http.MethodPost, e.org.InstanceURL()+"/lightning/page/home", "", "{}"); r.status != http.StatusMethodNotAllowed {
		t.Errorf("POST a page: %d, want 405", r.status)
	}
}
