package salesforcetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestOversizedRequestsAreRefused(t *testing.T) {
	e := newEnv(t, Options{})
	before := e.org.Stats().APICalls
	long := "SELECT Id FROM Account WHERE Name IN ('" + strings.Repeat("x", 17000) + "')"
	r := call(t, http.MethodGet, e.org.InstanceURL()+data+"/query?q="+url.QueryEscape(long), e.adminToken, "")
	if r.status != http.StatusRequestURITooLong {
		t.Errorf("a 17,000-byte URI: %d %s, want 414", r.status, r.body)
	}
	// Under the limit on its own, over it with the headers.
	req, err := http.NewRequest(http.MethodGet, e.org.InstanceURL()+data+"/query?q="+url.QueryEscape(long[:12000]+"')"), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.adminToken)
	req.Header.Set("X-Padding", strings.Repeat("p", 6000))
	if r := send(t, req); r.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("URI and headers over 16,384 bytes: %d %s, want 431", r.status, r.body)
	}
	if ok := e.soql(t, e.adminToken, long[:12000]+"')"); ok.status != http.StatusOK {
		t.Errorf("a 12,000-byte query: %d %s, want 200", ok.status, ok.body)
	}
	if got := e.org.Stats().APICalls - before; got != 1 {
		t.Errorf("%d calls charged, want 1 (refused requests are not)", got)
	}
}
