package zendesktest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// page fetches an agent page without credentials, as a browser following
// a link does.
func (f *fixture) page(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, b := request(t, http.MethodGet, f.acct.BaseURL()+path, "")
	return resp, string(b)
}

func wantText(t *testing.T, page string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q:\n%s", s, page)
		}
	}
}

func TestAgentTicketPage(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "Printer <on> fire", Description: "It is very colorful.",
		RequesterID: f.endUser.ID, AssigneeID: f.agent.ID, Priority: "high"})
	resp, b := f.send(t, "PUT", "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+".json",
		`{"ticket":{"status":"open","comment":{"body":"Have you tried water?","public":false}}}`)
	wantStatus(t, resp, []byte(b), http.StatusOK)

	resp, page := f.page(t, "/agent/tickets/"+strconv.FormatInt(tk.ID, 10))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	wantText(t, page, "Printer &lt;on&gt; fire", "#"+strconv.FormatInt(tk.ID, 10), "Open", "High",
		"Peter Gibbons", "Peter@Initech.example", "Gus Agent", "Initech",
		"It is very colorful.", "Have you tried water?", "Internal note",
		`href="/acme/agent/users/`+strconv.FormatInt(f.endUser.ID, 10)+`"`,
		`href="/acme/agent/organizations/`+strconv.FormatInt(f.org.ID, 10)+`"`)
	if strings.Index(page, "It is very colorful.") > strings.Index(page, "Have you tried water?") {
		t.Error("comments are not oldest first")
	}
	// The agent pages are not API calls: no rate-limit headers.
	if resp.Header.Get("X-Rate-Limit") != "" {
		t.Errorf("X-Rate-Limit = %q on an agent page", resp.Header.Get("X-Rate-Limit"))
	}
}

func TestAgentUserAndOrganizationPages(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "Stapler missing", RequesterID: f.endUser.ID})

	resp, page := f.page(t, "/agent/users/"+strconv.FormatInt(f.endUser.ID, 10))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("user page: status %d", resp.StatusCode)
	}
	wantText(t, page, "Peter Gibbons", "Peter@Initech.example", "end-user", "Initech", "003PETER",
		"Stapler missing", `href="/acme/agent/tickets/`+strconv.FormatInt(tk.ID, 10)+`"`)

	resp, page = f.page(t, "/agent/organizations/"+strconv.FormatInt(f.org.ID, 10))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("organization page: status %d", resp.StatusCode)
	}
	wantText(t, page, "Initech", "initech.example", "001AAA", "Peter Gibbons", "Stapler missing")
}

func TestAgentPagesNotFound(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/agent/tickets/999", "/agent/users/1", "/agent/organizations/5", "/agent/tickets/abc", "/agent/nothing/1"} {
		resp, page := f.page(t, path)
		if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: status %d, Content-Type %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(page, "doesn't exist") {
			t.Errorf("%s: page %s", path, page)
		}
	}
}
