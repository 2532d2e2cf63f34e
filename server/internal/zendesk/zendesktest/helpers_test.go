package zendesktest

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable clock for the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a server with one account "acme" and a few records.
type fixture struct {
	srv      *Server
	acct     *Account
	clk      *clock
	token    string // an API token
	admin    User
	agent    User
	endUser  User
	org      Organization
	clientID string
	secret   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, AccountSpec{Subdomain: "acme", AppID: 4242, InstallationID: 777})
}

func newFixtureWith(t *testing.T, spec AccountSpec) *fixture {
	t.Helper()
	f := &fixture{clk: &clock{t: time.Date(2026, 3, 2, 10, 0, 30, 0, time.UTC)}, clientID: "crossview", secret: "s3cret"}
	srv, err := New(Options{Now: f.clk.Now, OAuthClients: map[string]string{f.clientID: f.secret, "public-app": ""}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	f.srv = srv
	if f.acct, err = srv.AddAccount(spec); err != nil {
		t.Fatal(err)
	}
	f.org = f.acct.AddOrganization(Organization{Name: "Initech", ExternalID: "001AAA", DomainNames: []string{"initech.example"}})
	f.admin = f.acct.AddUser(User{Name: "Ada Admin", Email: "ada@acme.example", Role: RoleAdmin})
	f.agent = f.acct.AddUser(User{Name: "Gus Agent", Email: "gus@acme.example", Role: RoleAgent})
	f.endUser = f.acct.AddUser(User{Name: "Peter Gibbons", Email: "Peter@Initech.example", OrganizationID: f.org.ID, ExternalID: "003PETER"})
	f.token = f.acct.IssueAPIToken()
	return f
}

func basicAuth(email, token string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(email+"/token:"+token))
}

// request sends a request with the given headers ("Key: value") and body.
func request(t *testing.T, method, url, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// get fetches an account path as the admin, with the API token.
func (f *fixture) get(t *testing.T, path string) (*http.Response, []byte) {
	t.Helper()
	return request(t, http.MethodGet, f.acct.BaseURL()+path, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
}

// send writes JSON to an account path as the admin.
func (f *fixture) send(t *testing.T, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	return request(t, method, f.acct.BaseURL()+path, body,
		"Authorization: "+basicAuth(f.admin.Email, f.token), "Content-Type: application/json")
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return m
}

func wantStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body %s", resp.Request.Method, resp.Request.URL, resp.StatusCode, want, body)
	}
}

// waitFor polls cond for up to 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ids extracts the "id" of each object in a JSON array.
func ids(t *testing.T, v any) []int64 {
	t.Helper()
	arr, ok := v.([]any)
	if !ok {
		t.Fatalf("not an array: %v", v)
	}
	out := []int64{}
	for _, o := range arr {
		out = append(out, int64(o.(map[string]any)["id"].(float64)))
	}
	return out
}
