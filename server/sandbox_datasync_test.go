package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/crossview/crossview/server/internal/sandbox"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// zendeskUserByEmail is the support desk's user with an email.
func zendeskUserByEmail(sb *sandboxRun, email string) (zendesktest.User, bool) {
	for _, u := range sb.world.Account.Users() {
		if strings.EqualFold(u.Email, email) {
			return u, true
		}
	}
	return zendesktest.User{}, false
}

func userTitle(u zendesktest.User) string {
	s, _ := u.UserFields[sandbox.TitleField].(string)
	return s
}

// In the sandbox, account and contact sync are on for Northwind Traders:
// its Contacts are the support desk's users (the title in a user field).
// Editing a Contact on /demo/salesforce changes the Zendesk user within
// the poll interval; /demo shows the user as Zendesk has it, and the
// sidebar shows the new title after its refresh.
func TestSandboxContactEditReachesZendesk(t *testing.T) {
	base, sb := startTestSandbox(t)
	seed := sb.world.TicketSeeds[0] // Siobhan's VAT ticket
	var contactID string
	for _, r := range sb.world.Org("a").Records {
		if r.Object == "Contact" && r.Name == "Siobhan O'Brien" {
			contactID = r.ID
		}
	}
	waitUntil(t, "the backfill to bring Siobhan's Contact across", 30*time.Second, func() (bool, string) {
		u, ok := zendeskUserByEmail(sb, seed.Requester.Email)
		return ok && u.ExternalID == contactID && userTitle(u) == "Head of Finance", zendeskUserString(u)
	})

	page := get(t, http.DefaultClient, base+"/demo/salesforce?record="+url.QueryEscape(contactID))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	action, _ := doc.Find(`[data-testid="edit-contact"]`).Attr("action")
	if v, _ := doc.Find(`[data-testid="edit-contact-title"]`).Attr("value"); action == "" || v != "Head of Finance" {
		t.Fatalf("/demo/salesforce offers no edit of the Contact (action %q, title %q)", action, v)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(base+action, url.Values{"title": {"Chief Financial Officer"}, "phone": {"+1 415 555 0199"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	edited := time.Now()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "edited=1") {
		t.Fatalf("saving the Contact: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	after := get(t, http.DefaultClient, base+resp.Header.Get("Location"))
	ticket := strconv.FormatInt(seed.Ticket.ID, 10)
	if !strings.Contains(after, `data-testid="edit-contact-saved"`) || !strings.Contains(after, `href="/demo?ticket=`+ticket+`&amp;refresh=1"`) {
		t.Fatalf("the record page does not say it was saved, with a way to the Zendesk user:\n%s", after)
	}

	// The poll interval is 10 s; allow it one more for the write.
	waitUntil(t, "the new title in Zendesk", 11*time.Second, func() (bool, string) {
		u, _ := zendeskUserByEmail(sb, seed.Requester.Email)
		return userTitle(u) == "Chief Financial Officer", zendeskUserString(u) + " " + dataSyncState(t, sb)
	})
	t.Logf("the edit reached Zendesk in %s", time.Since(edited).Round(100*time.Millisecond))
	u, _ := zendeskUserByEmail(sb, seed.Requester.Email)
	if u.Phone != "+1 415 555 0199" && !containsString(u.OtherPhones, "+1 415 555 0199") {
		t.Errorf("the new phone is not the user's: %s", zendeskUserString(u))
	}
	demo, err := goquery.NewDocumentFromReader(strings.NewReader(get(t, http.DefaultClient, base+"/demo?ticket="+ticket+"&refresh=1")))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(demo.Find(`[data-testid="demo-requester-title"]`).Text()); got != "Chief Financial Officer" {
		t.Errorf("/demo shows the requester's title as %q", got)
	}
	// Zendesk adds a synced phone beside the user's first one, as a
	// second identity: /demo shows every phone the user has.
	var phones []string
	demo.Find(`[data-testid="demo-requester-phone"], [data-testid="demo-requester-other-phone"]`).Each(func(_ int, s *goquery.Selection) {
		phones = append(phones, strings.TrimSpace(s.Text()))
	})
	if !containsString(phones, "+1 415 555 0199") {
		t.Errorf("/demo shows the requester's phones as %q, without the new one (Zendesk: %s, others %v)", phones, zendeskUserString(u), u.OtherPhones)
	}
	if got := strings.TrimSpace(demo.Find(`[data-testid="demo-requester-org"]`).Text()); got != "Globex Corporation" {
		t.Errorf("/demo shows the requester's organization as %q", got)
	}
	tok := openSidebarAs(t, base, sb.world.Account, sb.world.DeskAgent.ID, seed.Ticket.ID)
	if panel := fetchPanel(t, base, "/zendesk/panel?ticket_id="+ticket+"&refresh=1", tok); !strings.Contains(panel, "Chief Financial Officer") {
		t.Errorf("the sidebar after its refresh does not show the new title:\n%s", panel)
	}
}

// waitUntil polls cond until it holds or the time is up.
func waitUntil(t *testing.T, what string, within time.Duration, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %s", what, within, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func zendeskUserString(u zendesktest.User) string {
	return "name=" + u.Name + " email=" + u.Email + " external_id=" + u.ExternalID + " phone=" + u.Phone +
		" title=" + userTitle(u) + " org=" + strconv.FormatInt(u.OrganizationID, 10)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dataSyncState words the sandbox connection's data sync, for failures.
func dataSyncState(t *testing.T, sb *sandboxRun) string {
	cs, err := sb.app.store.Connections(t.Context(), sandbox.Subdomain)
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, c := range cs {
		st, err := sb.app.dataSync.Status(t.Context(), c)
		out = append(out, fmt.Sprintf("%s: %+v %v", c.Name, st, err))
		for _, o := range st.Objects {
			if o.Backfill != nil {
				out = append(out, fmt.Sprintf("%s %+v", o.Object, *o.Backfill))
			}
		}
	}
	return strings.Join(out, "; ")
}
