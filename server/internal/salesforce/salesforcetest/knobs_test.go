package salesforcetest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSetLatency(t *testing.T) {
	e := newEnv(t, Options{})
	e.org.SetLatency(150 * time.Millisecond)
	start := time.Now()
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Fatalf("slow query: %d", r.status)
	}
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("query took %v, want at least the latency", took)
	}
	start = time.Now()
	if r := call(t, http.MethodGet, e.org.InstanceURL()+"/id/"+e.org.ID()+"/"+e.rep.ID, e.repToken, ""); r.status != http.StatusOK {
		t.Fatalf("slow identity: %d", r.status)
	}
	if took := time.Since(start); took < 150*time.Millisecond {
		t.Errorf("identity took %v, want at least the latency", took)
	}

	// A caller that gives up gets its deadline, not an answer.
	e.org.SetLatency(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.org.InstanceURL()+"/services/data/", nil)
	start = time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled request: err %v after %v", err, time.Since(start))
	}
	e.org.SetLatency(0)
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("after clearing the latency: %d", r.status)
	}
}

func TestSetFailure(t *testing.T) {
	e := newEnv(t, Options{})
	for _, tt := range []struct {
		status int
		check  func(r response) bool
	}{
		{500, func(r response) bool { return r.errorCode(t) == "UNKNOWN_EXCEPTION" }},
		{503, func(r response) bool { return r.errorCode(t) == "SERVER_UNAVAILABLE" }},
		{502, func(r response) bool {
			return strings.HasPrefix(r.header.Get("Content-Type"), "text/html") && strings.Contains(string(r.body), "502 Bad Gateway")
		}},
	} {
		e.org.SetFailure(tt.status)
		r := e.soql(t, e.repToken, "SELECT Id FROM Organization")
		if r.status != tt.status || !tt.check(r) {
			t.Errorf("SetFailure(%d): got %d %s", tt.status, r.status, r.body)
		}
	}
	e.org.SetFailure(0)
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("after clearing: %d %s", r.status, r.body)
	}
	if got := e.org.Stats().APICalls; got != 1 {
		t.Errorf("APICalls = %d; failed calls must not count", got)
	}
}

func TestSetAPIUsage(t *testing.T) {
	e := newEnv(t, Options{})
	e.org.SetAPIUsage(98, 100)
	for _, want := range []string{"api-usage=99/100", "api-usage=100/100"} {
		r := e.soql(t, e.repToken, "SELECT Id FROM Organization")
		if r.status != http.StatusOK || r.header.Get("Sforce-Limit-Info") != want {
			t.Errorf("got %d %q, want 200 %q", r.status, r.header.Get("Sforce-Limit-Info"), want)
		}
	}
	r := e.soql(t, e.repToken, "SELECT Id FROM Organization")
	if r.status != 403 || r.errorCode(t) != "REQUEST_LIMIT_EXCEEDED" || r.errorMessage(t) != "TotalRequests Limit exceeded." ||
		r.header.Get("Sforce-Limit-Info") != "api-usage=100/100" {
		t.Errorf("over the limit: %d %s %q", r.status, r.body, r.header.Get("Sforce-Limit-Info"))
	}
	composite := call(t, http.MethodPost, e.org.InstanceURL()+data+"/composite", e.repToken,
		`{"compositeRequest":[{"method":"GET","referenceId":"a","url":"/services/data/v66.0/query?q=SELECT+Id+FROM+Organization"}]}`)
	if composite.status != 403 {
		t.Errorf("composite over the limit: %d", composite.status)
	}
	e.org.SetAPIUsage(0, 100)
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("after resetting usage: %d", r.status)
	}
}

func TestExpireAccessTokens(t *testing.T) {
	e := newEnv(t, Options{})
	_, refresh := e.org.IssueTokens(e.rep.ID)
	e.org.ExpireAccessTokens()
	for _, tok := range []string{e.repToken, e.adminToken} {
		if r := e.soql(t, tok, "SELECT Id FROM Organization"); r.status != 401 || r.errorCode(t) != "INVALID_SESSION_ID" {
			t.Errorf("expired token: %d %s", r.status, r.body)
		}
	}
	resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(refresh))
	if resp.status != http.StatusOK {
		t.Fatalf("refresh after expiry: %d %s", resp.status, resp.body)
	}
	if r := e.soql(t, resp.obj(t)["access_token"].(string), "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("new token: %d", r.status)
	}
}

func TestRevokeRefreshTokens(t *testing.T) {
	e := newEnv(t, Options{})
	_, refresh := e.org.IssueTokens(e.rep.ID)
	e.org.RevokeRefreshTokens()
	resp := postForm(t, e.cloud.LoginURL()+"/services/oauth2/token", refreshForm(refresh))
	if c, d := oauthErr(t, resp); resp.status != 400 || c != "invalid_grant" || d != "expired access/refresh token" {
		t.Errorf("refresh after revocation: %d %s", resp.status, resp.body)
	}
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != 401 {
		t.Errorf("access token after revocation: %d", r.status)
	}
	// Other orgs are untouched.
	other, err := e.cloud.AddOrg(OrgSpec{})
	if err != nil {
		t.Fatal(err)
	}
	u := other.AddUser(User{Username: "x@other.example", Perms: Permissions{APIEnabled: true}})
	tok, _ := other.IssueTokens(u.ID)
	other.RevokeRefreshTokens()
	newTok, _ := e.org.IssueTokens(e.rep.ID)
	if r := e.soql(t, newTok, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("revoking another org's tokens broke this org: %d", r.status)
	}
	if r := call(t, http.MethodGet, other.InstanceURL()+data+"/query?q=SELECT+Id+FROM+Organization", tok, ""); r.status != 401 {
		t.Errorf("other org's token after its revocation: %d", r.status)
	}
}

func TestLockSessionsToIP(t *testing.T) {
	e := newEnv(t, Options{})
	e.org.LockSessionsToIP("10.20.30.40")
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != 401 || r.errorCode(t) != "INVALID_SESSION_ID" {
		t.Errorf("from another IP: %d %s", r.status, r.body)
	}
	if r := call(t, http.MethodGet, e.cloud.LoginURL()+"/id/"+e.org.ID()+"/"+e.rep.ID, e.repToken, ""); r.status != 403 {
		t.Errorf("identity from another IP: %d", r.status)
	}
	e.org.LockSessionsToIP("127.0.0.1")
	if r := e.soql(t, e.repToken, "SELECT Id FROM Organization"); r.status != http.StatusOK {
		t.Errorf("from the locked IP: %d %s", r.status, r.body)
	}
}

func TestTokensBelongToTheirOrg(t *testing.T) {
	e := newEnv(t, Options{})
	other, err := e.cloud.AddOrg(OrgSpec{Sandbox: true, Name: "Acme Sandbox"})
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, http.MethodGet, other.InstanceURL()+data+"/query?q=SELECT+Id+FROM+Organization", e.repToken, "")
	if r.status != 401 {
		t.Errorf("token of one org on another org's instance: %d", r.status)
	}
	if e.cloud.Org(other.ID()[:15]) != other {
		t.Error("Org does not find an org by its 15-char id")
	}
	if _, err := e.cloud.AddOrg(OrgSpec{OrgID: e.org.ID()}); err == nil {
		t.Error("adding the same org twice succeeded")
	}
	if _, err := e.cloud.AddOrg(OrgSpec{OrgID: "001Dx000000aBcDIAU"}); err == nil {
		t.Error("AddOrg accepted an account id as an org id")
	}
}

func TestNoAPIPermission(t *testing.T) {
	e := newEnv(t, Options{})
	u := e.org.AddUser(User{Username: "noapi@acme.example"})
	tok, _ := e.org.IssueTokens(u.ID)
	r := e.soql(t, tok, "SELECT Id FROM Organization")
	if r.status != 403 || r.errorCode(t) != "API_CURRENTLY_DISABLED" {
		t.Errorf("user without API Enabled: %d %s", r.status, r.body)
	}
}

// TestKnobsUnderLoad flips every knob while requests run; the race
// detector checks the locking.
func TestKnobsUnderLoad(t *testing.T) {
	e := newEnv(t, Options{QueryBatchSize: 2})
	seedLeads(t, e, 5)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodGet, e.org.InstanceURL()+data+"/query?q=SELECT+Id+FROM+Lead", nil)
				req.Header.Set("Authorization", "Bearer "+e.repToken)
				if resp, err := client.Do(req); err == nil {
					_ = resp.Body.Close()
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		e.org.SetLatency(time.Duration(i%3) * time.Millisecond)
		e.org.SetFailure([]int{0, 503}[i%2])
		e.org.SetAPIUsage(i, 1000)
		e.org.LockSessionsToIP([]string{"", "127.0.0.1"}[i%2])
		e.mustInsert(t, "Lead", map[string]any{"LastName": "L", "Company": "C", "OwnerId": e.rep.ID})
		_ = e.org.Stats()
		time.Sleep(2 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	e.org.SetFailure(0)
	e.org.SetLatency(0)
	if r := e.soql(t, e.repToken, "SELECT COUNT() FROM Lead"); r.status != http.StatusOK || r.obj(t)["totalSize"].(interface{ String() string }).String() != "25" {
		t.Errorf("after the storm: %d %s", r.status, r.body)
	}
}
