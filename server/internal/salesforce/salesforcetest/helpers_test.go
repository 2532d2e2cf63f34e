package salesforcetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testClientID     = "3MVG9test.client.id"
	testClientSecret = "S3CR3T-5ECRET"
	testRedirect     = "https://crossview.example/admin/salesforce/callback"
)

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a cloud with one org, an admin and a sales rep.
type env struct {
	cloud *Cloud
	org   *Org
	admin User
	rep   User
	// adminToken and repToken are access tokens issued up front.
	adminToken, repToken string
}

func newCloud(t *testing.T, opts Options) *Cloud {
	t.Helper()
	if opts.ClientID == "" {
		opts.ClientID, opts.ClientSecret = testClientID, testClientSecret
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	c := newCloud(t, opts)
	o, err := c.AddOrg(OrgSpec{OrgID: "00D5g000004XyZaEAK", Name: "Acme Corp"})
	if err != nil {
		t.Fatalf("AddOrg: %v", err)
	}
	e := &env{cloud: c, org: o}
	e.admin = o.AddUser(User{Username: "admin@acme.example", FirstName: "Ada", LastName: "Admin",
		ProfileName: "System Administrator",
		Perms:       Permissions{APIEnabled: true, ModifyAllData: true, ViewSetup: true, CustomizeApplication: true, ModifyMetadata: true}})
	e.rep = o.AddUser(User{Username: "rep@acme.example", FirstName: "Rex", LastName: "Rep",
		Perms: Permissions{APIEnabled: true}})
	e.adminToken, _ = o.IssueTokens(e.admin.ID)
	e.repToken, _ = o.IssueTokens(e.rep.ID)
	return e
}

// mustInsert seeds a record or fails the test.
func (e *env) mustInsert(t *testing.T, sobject string, fields map[string]any) string {
	t.Helper()
	id, err := e.org.Insert(sobject, fields)
	if err != nil {
		t.Fatalf("Insert %s: %v", sobject, err)
	}
	return id
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r response) json(t *testing.T) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(string(r.body)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
	return v
}

func (r response) obj(t *testing.T) map[string]any {
	t.Helper()
	m, ok := r.json(t).(map[string]any)
	if !ok {
		t.Fatalf("body is not an object: %s", r.body)
	}
	return m
}

// errorCode returns the errorCode of a Salesforce error array body.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	arr, ok := r.json(t).([]any)
	if !ok || len(arr) != 1 {
		t.Fatalf("body is not a one-error array: %s", r.body)
	}
	code, _ := arr[0].(map[string]any)["errorCode"].(string)
	return code
}

func (r response) errorMessage(t *testing.T) string {
	t.Helper()
	arr, _ := r.json(t).([]any)
	if len(arr) == 0 {
		return ""
	}
	msg, _ := arr[0].(map[string]any)["message"].(string)
	return msg
}

// noRedirects is a client that hands redirects back to the test.
func noRedirects() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// call makes one request with an optional bearer token and JSON body.
func call(tb testing.TB, method, rawURL, token, body string) response {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rawURL, rd)
	if err != nil {
		tb.Fatalf("NewRequest: %v", err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(tb, req)
}

func send(tb testing.TB, req *http.Request) response {
	tb.Helper()
	resp, err := noRedirects().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("reading body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// postForm posts a form to rawURL.
func postForm(t *testing.T, rawURL string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, rawURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("NewRequest: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, req)
}

// data is the REST base path of the tests' API version.
const data = "/services/data/v66.0"

// soql runs a query over HTTP.
func (e *env) soql(t *testing.T, token, q string) response {
	t.Helper()
	return call(t, http.MethodGet, e.org.InstanceURL()+data+"/query?q="+url.QueryEscape(q), token, "")
}

// records returns the records array of a query answer.
func records(t *testing.T, body map[string]any) []map[string]any {
	t.Helper()
	arr, ok := body["records"].([]any)
	if !ok {
		t.Fatalf("no records in %v", body)
	}
	out := make([]map[string]any, len(arr))
	for i, r := range arr {
		out[i] = r.(map[string]any)
	}
	return out
}
