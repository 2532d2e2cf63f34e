package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// dsSettingsForm is the data-sync settings form as the page fills it.
func dsSettingsForm(doc *goquery.Document) url.Values {
	form := url.Values{}
	doc.Find(`[data-testid="ds-settings-form"] input, [data-testid="ds-settings-form"] textarea`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" || name == "csrf" {
			return
		}
		switch typ, _ := s.Attr("type"); {
		case typ == "radio" || typ == "checkbox":
			if _, on := s.Attr("checked"); on {
				form.Set(name, s.AttrOr("value", ""))
			}
		case goquery.NodeName(s) == "textarea":
			form.Set(name, s.Text())
		default:
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	return form
}

// The data-sync section of a connection's page: a filter that does not
// parse is refused with the parser's words and stays in the form as
// typed; a field the org lacks is refused by name and nothing is saved;
// saved settings read back; every form needs the CSRF token; turning the
// syncs on shows the backfill bars and their progress endpoint; a
// disconnect turns both off, and they stay off after a reconnect.
func TestDataSyncAdminPages(t *testing.T) {
	w := newDataWorld(t, "")
	if err := w.org.AddField("Account", salesforcetest.FieldSpec{Name: "Region__c", Type: "string", Length: 40}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []map[string]any{
		{"Name": "Globex", "Industry": "Technology", "AnnualRevenue": 5e6},
		{"Name": "Initech", "Industry": "Technology", "AnnualRevenue": 2e5},
		{"Name": "Vandelay", "Industry": "Retail", "AnnualRevenue": 3e6},
	} {
		acct := w.insert("Account", a)
		w.insert("Contact", map[string]any{"LastName": a["Name"].(string) + " Buyer", "Email": strings.ToLower(a["Name"].(string)) + "@example.com", "Title": "Buyer", "AccountId": acct})
	}
	p := w.pages()
	page := "/admin/connections/" + w.conn.ID
	doc := p.get(page)
	for _, f := range []string{"account_sync", "contact_sync"} {
		if st := text(doc, `[data-testid="ds-state-`+f+`"]`); st != "Off" {
			t.Fatalf("%s before turning it on: %q", f, st)
		}
	}

	form := dsSettingsForm(doc)
	form.Set("accounts_filter", "Industry = 'Technology' AND (AnnualRevenue > 5")
	status, _, doc := p.do(http.MethodPost, page+"/datasync", form)
	if msg := text(doc, `[data-testid="ds-settings-error"]`); status != http.StatusBadRequest || !strings.Contains(msg, "The Accounts filter does not read") {
		t.Fatalf("saving a filter that does not parse: %d %q", status, msg)
	}
	if typed := doc.Find(`[data-testid="ds-filter-accounts"]`).Text(); typed != "Industry = 'Technology' AND (AnnualRevenue > 5" {
		t.Errorf("the refused filter is not in the form as typed: %q", typed)
	}
	form.Set("accounts_filter", "Nope__c = 'x'")
	form.Set("contacts_sf_2", "Title")
	form.Set("contacts_zd_2", "user_fields.no_such_field")
	status, _, doc = p.do(http.MethodPost, page+"/datasync", form)
	msg := text(doc, `[data-testid="ds-settings-error"]`)
	if status != http.StatusBadRequest || !strings.Contains(msg, "Not saved") || !strings.Contains(msg, "Nope__c") || !strings.Contains(msg, "no_such_field") {
		t.Fatalf("saving fields neither side has: %d %q", status, msg)
	}
	if w.current().DataSync.Accounts.Filter != nil {
		t.Fatal("a refused filter was saved")
	}

	filter := "(Industry = 'Technology' OR Industry = 'Retail') AND AnnualRevenue >= 1000000 AND Region__c != 'Mars'"
	form.Set("accounts_filter", filter)
	form.Set("contacts_zd_2", "user_fields.title")
	form.Set("poll_seconds", "2")
	// Without the CSRF token nothing is saved.
	form.Del("csrf")
	raw, _ := http.NewRequest(http.MethodPost, w.url+page+"/datasync", strings.NewReader(form.Encode()))
	raw.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	raw.AddCookie(&http.Cookie{Name: "cv_admin", Value: p.sess.ID})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(raw)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || w.current().DataSync.Accounts.Filter != nil {
		t.Fatalf("a post without the CSRF token: %d, filter %v", resp.StatusCode, w.current().DataSync.Accounts.Filter)
	}
	status, hdr, _ := p.do(http.MethodPost, page+"/datasync", form)
	if status != http.StatusSeeOther || !strings.HasSuffix(hdr.Get("Location"), "#data-sync") {
		t.Fatalf("saving good settings: %d %s", status, hdr.Get("Location"))
	}
	doc = p.get(page)
	if got := doc.Find(`[data-testid="ds-filter-accounts"]`).Text(); !sameFilter(t, got, filter) {
		t.Errorf("the saved filter reads back as %q", got)
	}
	if sf, _ := doc.Find(`[data-testid="ds-map-sf-contacts-2"]`).Attr("value"); sf != "Title" {
		t.Errorf("the saved mapping reads back as %q", sf)
	}

	for _, f := range []string{"account_sync", "contact_sync"} {
		if status, _, doc := p.do(http.MethodPost, page+"/features", url.Values{"feature": {f}, "on": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("turning %s on: %d %s", f, status, text(doc, `[data-testid="detail-error"]`))
		}
	}
	doc = p.get(page)
	bar := doc.Find(`[data-testid="ds-backfill-Account"]`)
	if bar.Length() != 1 || text(doc, `[data-testid="ds-state-account_sync"]`) != "On" {
		t.Fatalf("after turning account sync on: bar %d, state %q", bar.Length(), text(doc, `[data-testid="ds-state-account_sync"]`))
	}
	progress := page + "/datasync/progress?object=Account"
	if u, ok := bar.Attr("data-progress-url"); ok && u != progress {
		t.Errorf("the bar polls %q", u)
	}
	waitUntil(t, "the Account backfill at 100 %", 20*time.Second, func() (bool, string) {
		var got backfillJSON
		status, body := p.getJSON(progress, &got)
		return status == http.StatusOK && got.Percent == 100 && got.Done == 2 && got.Total == 2 && !got.Live, body
	})
	if names := orgNames(w); strings.Join(names, ",") != "Globex,Vandelay" {
		t.Errorf("organizations after the filtered backfill: %v", names)
	}
	doc = p.get(page)
	if iv := text(doc, `[data-testid="ds-interval"]`); !strings.Contains(iv, "every 2s") {
		t.Errorf("the page says it polls %q", iv)
	}
	if status, _ := p.getJSON(page+"/datasync/progress?object=Lead", &backfillJSON{}); status != http.StatusNotFound {
		t.Errorf("the progress of an object that does not sync: %d", status)
	}

	// A field the filter reads deleted in Salesforce: the health check
	// names it in the section, with the fix.
	if err := w.org.DeleteField("Account", "Region__c"); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := p.do(http.MethodPost, page+"/check", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("checking now: %d", status)
	}
	doc = p.get(page)
	if prob := text(doc, `[data-testid="ds-problem"]`); !strings.Contains(prob, "Account sync:") || !strings.Contains(prob, "Region__c") {
		t.Errorf("the data-sync section's problem after deleting a filtered field: %q", prob)
	}

	// A disconnect turns both off; a reconnect leaves them off.
	if _, err := w.app.admin.Disconnect(w.ctx, dataSubdomain, "ada@acme.example", w.conn.ID); err != nil {
		t.Fatal(err)
	}
	_, refresh := w.org.IssueTokens(w.sfAdmin.ID)
	c, err := w.app.admin.ConnectWithRefreshToken(w.ctx, "test", dataSubdomain, crossview.Production, refresh)
	if err != nil || c.ID != w.conn.ID || c.Status != crossview.StatusActive {
		t.Fatalf("reconnecting: %v %+v", err, c)
	}
	doc = p.get(page)
	for _, f := range []string{"account_sync", "contact_sync"} {
		if st := text(doc, `[data-testid="ds-state-`+f+`"]`); st != "Off" || w.current().Features[crossview.Feature(f)] {
			t.Errorf("%s after a disconnect and a reconnect: %q", f, st)
		}
	}
	if got := doc.Find(`[data-testid="ds-filter-accounts"]`).Text(); !sameFilter(t, got, filter) {
		t.Errorf("the filter after a reconnect: %q", got)
	}
	audit := p.get("/admin/audit").Text()
	for _, want := range []string{"settings.data_sync", "account_sync: a backfill of Accounts started", "account_sync turned off"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}

// sameFilter reports whether two filter texts read as the same filter.
func sameFilter(t *testing.T, a, b string) bool {
	t.Helper()
	fa, err := crossview.ParseFilter(a)
	if err != nil {
		t.Fatalf("%q: %v", a, err)
	}
	fb, err := crossview.ParseFilter(b)
	if err != nil {
		t.Fatalf("%q: %v", b, err)
	}
	return reflect.DeepEqual(fa, fb)
}

// backfillJSON is what a backfill bar's progress endpoint answers.
type backfillJSON struct {
	State   string `json:"state"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
	Live    bool   `json:"live"`
	Error   string `json:"error"`
}

// getJSON reads an admin JSON endpoint.
func (p adminPages) getJSON(path string, v any) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.base+path, nil)
	req.AddCookie(&http.Cookie{Name: "cv_admin", Value: p.sess.ID})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var raw json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	_ = json.Unmarshal(raw, v)
	return resp.StatusCode, string(raw)
}

// Records Zendesk refuses (an invalid phone, an email another user has)
// are listed with Zendesk's message and never stop the rest; after the
// cause is fixed in Salesforce, Replay writes one, Replay all the rest.
func TestDataSyncRefusedRecordsListedAndReplayed(t *testing.T) {
	w := newDataWorld(t, "")
	w.acct.AddUser(zendesktest.User{Name: "Milton", Email: "milton@initech.example", Role: zendesktest.RoleEndUser})
	var good []string
	for _, n := range []string{"Peter", "Samir", "Michael", "Joanna"} {
		good = append(good, w.insert("Contact", map[string]any{"LastName": n, "Email": strings.ToLower(n) + "@initech.example", "Phone": "+1 512 555 0100"}))
	}
	badPhone := w.insert("Contact", map[string]any{"LastName": "Lumbergh", "Email": "bill@initech.example", "Phone": "call me"})
	taken := w.insert("Contact", map[string]any{"LastName": "Waddams", "Email": "milton@initech.example"})
	w.configure(func(s *crossview.DataSyncSettings) {
		s.Accounts.On, s.Leads.On, s.PollSeconds = false, false, 2
		s.Contacts.Mappings = append(s.Contacts.Mappings, crossview.DataMapping{Salesforce: "Phone", Zendesk: "phone"}, crossview.DataMapping{Salesforce: "Title", Zendesk: "user_fields.title"})
		s.UserMatch = []string{"external_id"} // so Milton's email is taken, not matched
	})
	w.enable(crossview.FeatureContactSync)
	st := w.backfilled(30 * time.Second)
	if b := st.Objects[0].Backfill; b.Done != 6 || b.Failed != 2 {
		t.Errorf("backfill: %+v", *b)
	}
	users := w.users()
	for _, id := range good {
		if _, ok := users[id]; !ok {
			t.Errorf("Contact %s did not sync beside the refused ones", id)
		}
	}
	p := w.pages()
	page := "/admin/connections/" + w.conn.ID
	doc := p.get(page)
	errs := map[string]string{}
	doc.Find(`[data-testid="ds-error"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Find(`input[name="record"]`).Attr("value")
		errs[id] = strings.TrimSpace(s.Find(`[data-testid="ds-error-message"]`).Text())
	})
	if len(errs) != 2 || !strings.Contains(errs[badPhone], "Phone: call me is not a valid phone number") ||
		!strings.Contains(errs[taken], "Email: milton@initech.example is already being used by another user") {
		t.Fatalf("the refused records on the page: %q", errs)
	}
	if label := text(doc, `[data-testid="ds-backfill-state-Contact"]`); !strings.Contains(label, "2 refused") {
		t.Errorf("the backfill says %q", label)
	}

	// The rest goes on.
	w.update("Contact", good[0], map[string]any{"Title": "Engineer"})
	waitUntil(t, "a change beside the refused records", 8*time.Second, func() (bool, string) {
		u := w.users()[good[0]]
		return title(u) == "Engineer", zendeskUserString(u)
	})

	w.update("Contact", badPhone, map[string]any{"Phone": "+1 512 555 0199"})
	status, hdr, _ := p.do(http.MethodPost, page+"/datasync/replay", url.Values{"record": {badPhone}})
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=datasync") {
		t.Fatalf("replaying one: %d %s", status, hdr.Get("Location"))
	}
	if u, ok := w.users()[badPhone]; !ok || u.Phone != "+1 512 555 0199" {
		t.Errorf("the replayed Contact in Zendesk: %+v %v", u, ok)
	}
	doc = p.get(page)
	if n := doc.Find(`[data-testid="ds-error"]`).Length(); n != 1 {
		t.Errorf("%d refused records after replaying one, want 1", n)
	}
	w.update("Contact", taken, map[string]any{"Email": "milton.waddams@initech.example"})
	if status, _, _ := p.do(http.MethodPost, page+"/datasync/replay", url.Values{"all": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("replaying all: %d", status)
	}
	if n := len(w.details().Errors); n != 0 {
		t.Errorf("%d refused records after replaying all", n)
	}
	if _, ok := w.users()[taken]; !ok {
		t.Error("the Contact with a new email is still no Zendesk user")
	}
	if audit := p.get("/admin/audit").Text(); !strings.Contains(audit, "record "+badPhone+" written again") {
		t.Errorf("the audit log lacks the replay")
	}
}
