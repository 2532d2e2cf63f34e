package main

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/sandbox"
)

// In the sandbox, ticket sync is on for Northwind Traders: a comment and a
// status change made on /demo show on the ticket's Case page in the
// emulated Salesforce within seconds, and /demo links to that page.
func TestSandboxTicketBecomesACase(t *testing.T) {
	base, sb := startTestSandbox(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	seed := sb.world.TicketSeeds[1] // Raj's SSO ticket
	id := strconv.FormatInt(seed.Ticket.ID, 10)
	form := url.Values{"status": {"pending"}, "comment": {"We rolled back the IdP change; please try again."}, "public": {"1"}, "back": {"/demo?ticket=" + id}}
	resp, err := noRedirect.PostForm(base+"/demo/tickets/"+sandbox.Subdomain+"/"+id, form)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/demo?ticket="+id {
		t.Fatalf("changing the ticket on /demo: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	demo := get(t, http.DefaultClient, base+"/demo?ticket="+id)
	if !strings.Contains(demo, "We rolled back the IdP change") || !strings.Contains(demo, `href="/demo/cases/northwind/`+id+`"`) {
		t.Fatalf("/demo does not show the comment and the link to the Case:\n%s", demo)
	}
	var page string
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := noRedirect.Get(base + "/demo/cases/" + sandbox.Subdomain + "/" + id)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther {
			if !strings.HasPrefix(loc, sb.world.Org("a").Org.InstanceURL()+"/lightning/r/Case/") {
				t.Fatalf("the Case link leads to %s", loc)
			}
			page = get(t, http.DefaultClient, loc)
			if strings.Contains(page, "We rolled back the IdP change") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the comment never reached the Case page (last %d):\n%s", resp.StatusCode, page)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{seed.Ticket.Subject, "Cannot sign in after the SSO change"} {
		if !strings.Contains(page, want) {
			t.Errorf("the Case page lacks %q", want)
		}
	}
	if n := strings.Count(page, "We rolled back the IdP change"); n != 1 {
		t.Errorf("the comment shows %d times on the Case page", n)
	}
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
	}
	return string(b)
}
