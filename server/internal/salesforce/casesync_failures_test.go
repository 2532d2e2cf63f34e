package salesforce_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestWriteValidationRuleFailureIsPermanentAndWritesNothing(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	f.conn.TicketSync.AccountMatch = crossview.MatchCreate
	if err := f.org.AddValidationRule(salesforcetest.ValidationRule{Object: "Case", Name: "No_Fire", Field: "Subject",
		Message: "Fires go to Facilities, not Support.",
		Fails:   func(rec map[string]any) bool { s, _ := rec["Subject"].(string); return strings.Contains(s, "fire") }}); err != nil {
		t.Fatal(err)
	}
	_, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(9), Comments: comments(1, 3), Marker: 3})
	var ae *salesforce.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("Write = %v, want Salesforce's refusal", err)
	}
	if ae.Code != "FIELD_CUSTOM_VALIDATION_EXCEPTION" || ae.Message != "Fires go to Facilities, not Support." || ae.Subrequest != "case" ||
		len(ae.Fields) != 1 || ae.Fields[0] != "Subject" {
		t.Errorf("error = %+v, want the rule's message on the case subrequest", ae)
	}
	if !salesforce.IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = false", err)
	}
	// allOrNone: the Account and Contact created ahead of the Case in the
	// same request were rolled back with it.
	for _, object := range []string{"Case", "CaseComment", "Contact", "Account"} {
		if rows := f.query(t, "SELECT Id FROM "+object); len(rows) != 0 {
			t.Errorf("%d %s records after a refused write, want none", len(rows), object)
		}
	}

	// The admin fixes the cause; the same write (the replay) goes through.
	f.org.RemoveValidationRule("Case", "No_Fire")
	got, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(9), Comments: comments(1, 3), Marker: 3})
	if err != nil || !got.Created {
		t.Fatalf("replay = %+v, %v", got, err)
	}
	if n := len(f.commentBodies(t, got.CaseID)); n != 3 {
		t.Errorf("%d comments after the replay, want 3", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Account WHERE Name = 'Analytical Engines'")); n != 1 {
		t.Errorf("%d Accounts for the organization, want 1", n)
	}
}

func TestWriteRecoversFromADeletedCachedContact(t *testing.T) {
	for _, purge := range []bool{false, true} {
		name := map[bool]string{false: "in the recycle bin", true: "purged"}[purge]
		t.Run(name, func(t *testing.T) {
			f := newSyncFixture(t, syncSpec{})
			ctx := context.Background()
			first, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(1)})
			if err != nil {
				t.Fatal(err)
			}
			old := f.caseByKey(t, "acme:1")["ContactId"].(string)
			// Someone merges the requester into another Contact: the cached
			// id is gone, the survivor has the email.
			survivor := f.insert(t, "Contact", map[string]any{"LastName": "Lovelace", "Email": "ADA@engines.example"})
			if err := f.org.Delete("Contact", old); err != nil {
				t.Fatal(err)
			}
			if purge {
				if err := f.org.Purge(old); err != nil {
					t.Fatal(err)
				}
			}
			second, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(2)})
			if err != nil {
				t.Fatalf("write after the Contact was deleted: %v", err)
			}
			if got := f.caseByKey(t, "acme:2")["ContactId"]; got != survivor {
				t.Errorf("Case 2 ContactId = %v, want the surviving Contact %s", got, survivor)
			}
			if first.CaseID == second.CaseID {
				t.Errorf("two tickets share Case %s", first.CaseID)
			}
			// The new id is cached: the next change costs one call.
			before := f.calls()
			if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(2)}); err != nil {
				t.Fatal(err)
			}
			if n := f.calls() - before; n != 1 {
				t.Errorf("%d calls after recovering, want 1", n)
			}
		})
	}
}

func TestWriteCutsLongTextWithNotes(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	tk := ticket(3)
	tk.Subject = strings.Repeat("s", 300)
	tk.Description = strings.Repeat("d", 40_000)
	for i := range 60 {
		tk.Tags = append(tk.Tags, "tag"+strings.Repeat("x", i%7))
	}
	long := crossview.TicketComment{ID: 77, Public: true, Body: strings.Repeat("é", 3000), // 6,000 bytes
		Author: crossview.TicketPerson{Name: "Ada"}, CreatedAt: t0}
	got, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: tk, Comments: []crossview.TicketComment{long}, Marker: 77})
	if err != nil {
		t.Fatalf("a long ticket must be cut, never refused: %v", err)
	}
	c := f.caseByKey(t, "acme:3")
	desc := c["Description"].(string)
	if utf8.RuneCountInString(desc) != 32000 || !strings.HasSuffix(desc, "the full text is on the Zendesk ticket]") {
		t.Errorf("Description is %d characters ending %q", utf8.RuneCountInString(desc), desc[len(desc)-40:])
	}
	if s := c["Subject"].(string); len(s) != 255 {
		t.Errorf("Subject is %d characters, want 255", len(s))
	}
	tags := c["Zendesk_Tags__c"].(string)
	if len(tags) > 255 || strings.HasSuffix(tags, " ") || !strings.HasPrefix(strings.Join(tk.Tags, " "), tags+" ") {
		t.Errorf("tags cut to %q, want whole tags within 255 characters", tags)
	}
	body := f.commentBodies(t, got.CaseID)[0]
	if len(body) > 4000 || !utf8.ValidString(body) || !strings.HasSuffix(body, "the full text is on the Zendesk ticket]") {
		t.Errorf("comment is %d bytes (valid UTF-8: %v)", len(body), utf8.ValidString(body))
	}
	notes := strings.Join(got.Notes, "\n")
	for _, want := range []string{
		"The description was cut from 40000 to 32000 characters to fit Description.",
		"The subject was cut to 255 characters to fit Subject.",
		"The tags were cut to 255 characters to fit Zendesk_Tags__c.",
		"Comment 77 was cut to the 4,000 bytes a Case Comment holds.",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestWriteCostsOneCallPerChangeOnceWarm(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	f.insert(t, "Account", map[string]any{"Name": "Analytical Engines"})
	f.conn.TicketSync.AccountMatch = crossview.MatchCreate
	if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(1)}); err != nil {
		t.Fatal(err)
	}
	before := f.org.Stats()
	for i := range 20 {
		tk := ticket(int64(1 + i%4)) // four tickets of the same requester and organization
		tk.Subject = "change " + string(rune('a'+i))
		cs := comments(int64(100+i), 1)
		if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: tk, Comments: cs, Marker: cs[0].ID}); err != nil {
			t.Fatal(err)
		}
	}
	after := f.org.Stats()
	if n := after.APICalls - before.APICalls; n != 20 {
		t.Errorf("%d API calls for 20 ticket changes, want 20 (calls by kind before %v, after %v)", n, before.Calls, after.Calls)
	}
	if n := after.Calls["composite"] - before.Calls["composite"]; n != 20 {
		t.Errorf("%d composites for 20 changes, want 20", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Account")); n != 1 {
		t.Errorf("%d Accounts, want the one that matched", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Contact")); n != 1 {
		t.Errorf("%d Contacts, want the one created first", n)
	}
}

func TestWriteMatchesAnApostropheEmail(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	existing := f.insert(t, "Contact", map[string]any{"LastName": "O'Brien", "Email": "o'brien@x.com"})
	f.insert(t, "Contact", map[string]any{"LastName": "Other", "Email": "obrien@x.com"})
	tk := ticket(4)
	tk.Requester = crossview.TicketPerson{ID: 9, Name: "Pat O'Brien", Email: "O'Brien@x.com"}
	if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: tk}); err != nil {
		t.Fatal(err)
	}
	if got := f.caseByKey(t, "acme:4")["ContactId"]; got != existing {
		t.Errorf("ContactId = %v, want o'brien's %s", got, existing)
	}
	tk2 := ticket(5)
	tk2.Requester = crossview.TicketPerson{Name: "New O'Neil", Email: "o'neil@x.com"}
	res, err := f.sink.WriteMany(ctx, f.conn, []crossview.CaseWrite{{Ticket: tk}, {Ticket: tk2}})
	if err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("WriteMany = %+v, %v", res, err)
	}
	if n := len(f.query(t, "SELECT Id FROM Contact WHERE Email = 'o\\'neil@x.com'")); n != 1 {
		t.Errorf("%d Contacts for o'neil, want the one created", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Contact")); n != 3 {
		t.Errorf("%d Contacts, want 3 (no duplicate of o'brien)", n)
	}
}

func TestMarker(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	if m, found, err := f.sink.Marker(ctx, f.conn, "acme:404"); err != nil || found || m != 0 {
		t.Errorf("Marker of a ticket with no Case = %d, %v, %v", m, found, err)
	}
	if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: ticket(8)}); err != nil {
		t.Fatal(err)
	}
	if m, found, err := f.sink.Marker(ctx, f.conn, "ACME:8"); err != nil || !found || m != 0 {
		t.Errorf("Marker of a Case without comments = %d, %v, %v", m, found, err)
	}
	id := f.caseByKey(t, "acme:8")["Id"].(string)
	if err := f.org.Update("Case", id, map[string]any{crossview.CaseCommentMarkerField: "12 or so"}); err != nil {
		t.Fatal(err)
	}
	before := f.calls()
	_, _, err := f.sink.Marker(ctx, f.conn, "acme:8")
	if !salesforce.IsPermanent(err) || !strings.Contains(err.Error(), `holds "12 or so"`) {
		t.Errorf("Marker of an edited marker = %v, want a permanent error naming the value", err)
	}
	if n := f.calls() - before; n != 1 {
		t.Errorf("Marker made %d calls, want one query", n)
	}
}

func TestWriteRefusesAnAPIVersionWhoseUpsertHidesTheCaseID(t *testing.T) {
	// Before 46.0 an upsert that updates answers 204 with no body, so the
	// comments could not refer to the Case.
	f := newSyncFixture(t, syncSpec{})
	old := salesforce.NewClient(salesforce.Config{ClientID: "cid", ClientSecret: "csecret", LoginURL: f.cloud.LoginURL(),
		APIVersion: "45.0"}, http.DefaultClient, f.tokens, nil, time.Now)
	before := f.calls()
	_, err := salesforce.NewCaseSink(old, salesforce.CaseSinkOptions{}).Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: ticket(1)})
	if !salesforce.IsPermanent(err) || !strings.Contains(err.Error(), "46.0") {
		t.Errorf("Write on API 45.0 = %v, want a permanent error naming 46.0", err)
	}
	if n := f.calls() - before; n != 0 {
		t.Errorf("%d calls made", n)
	}
}
