package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// backfill is n tickets of 300 requesters and 50 organizations, with
// five comments each, in batches of 200.
func backfill(n int) [][]crossview.CaseWrite {
	var batches [][]crossview.CaseWrite
	for start := 1; start <= n; start += 200 {
		var b []crossview.CaseWrite
		for i := start; i < start+200 && i <= n; i++ {
			tk := ticket(int64(i))
			tk.Requester = crossview.TicketPerson{ID: int64(i % 300), Name: fmt.Sprintf("Customer %d", i%300),
				Email: fmt.Sprintf("user%d@cust%d.example", i%300, i%50)}
			tk.Organization = crossview.TicketOrganization{ID: int64(1000 + i%50), Name: fmt.Sprintf("Customer Org %d", i%50)}
			cs := comments(int64(i)*10+1, 5)
			b = append(b, crossview.CaseWrite{Ticket: tk, Comments: cs, Marker: cs[4].ID})
		}
		batches = append(batches, b)
	}
	return batches
}

// seedCustomers makes a third of the requesters and organizations exist
// already.
func seedCustomers(t *testing.T, f *syncFixture) {
	t.Helper()
	for i := 0; i < 50; i += 3 {
		f.insert(t, "Account", map[string]any{"Name": fmt.Sprintf("Customer Org %d", i)})
	}
	for i := 0; i < 300; i += 3 {
		f.insert(t, "Contact", map[string]any{"LastName": fmt.Sprintf("Customer %d", i), "Email": fmt.Sprintf("user%d@cust%d.example", i, i%50)})
	}
}

func writeAll(t *testing.T, sink *salesforce.CaseSink, f *syncFixture, batches [][]crossview.CaseWrite) error {
	t.Helper()
	for _, b := range batches {
		res, err := sink.WriteMany(context.Background(), f.conn, b)
		if err != nil {
			return err
		}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("ticket %s: %v", b[i].Ticket.Key(), r.Err)
			}
		}
	}
	return nil
}

// wantBackfilled checks every ticket is one Case with each comment once.
func wantBackfilled(t *testing.T, f *syncFixture, tickets, perTicket int) {
	t.Helper()
	cases := f.query(t, "SELECT Id, Zendesk_Ticket_Key__c, Zendesk_Last_Comment_Id__c, ContactId, AccountId FROM Case")
	if len(cases) != tickets {
		t.Fatalf("%d Cases, want %d", len(cases), tickets)
	}
	keyOf := map[string]string{}
	for _, c := range cases {
		keyOf[c["Id"].(string)] = c["Zendesk_Ticket_Key__c"].(string)
		var i int
		_, _ = fmt.Sscanf(c["Zendesk_Ticket_Key__c"].(string), "acme:%d", &i)
		if want := fmt.Sprint(i*10 + perTicket); c["Zendesk_Last_Comment_Id__c"] != want {
			t.Errorf("%s marker %v, want %s", keyOf[c["Id"].(string)], c["Zendesk_Last_Comment_Id__c"], want)
		}
		if c["ContactId"] == nil || c["AccountId"] == nil {
			t.Errorf("%s is not linked: %v", keyOf[c["Id"].(string)], c)
		}
	}
	seen := map[string]int{}
	for _, cm := range f.query(t, "SELECT ParentId, CommentBody FROM CaseComment") {
		seen[keyOf[cm["ParentId"].(string)]+"/"+fmt.Sprint(commentIDs([]string{cm["CommentBody"].(string)})[0])]++
	}
	if len(seen) != tickets*perTicket {
		t.Errorf("%d distinct comments, want %d", len(seen), tickets*perTicket)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("comment %s is on its Case %d times", k, n)
		}
	}
	if n := len(f.query(t, "SELECT Id FROM Contact")); n != 300 {
		t.Errorf("%d Contacts, want one per requester (300)", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Account")); n != 50 {
		t.Errorf("%d Accounts, want one per organization (50)", n)
	}
}

func TestWriteManyBackfillsAThousandTicketsInFewCalls(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	f.conn.TicketSync.AccountMatch = crossview.MatchCreate
	seedCustomers(t, f)
	batches := backfill(1000)
	before := f.org.Stats()
	if err := writeAll(t, f.sink, f, batches); err != nil {
		t.Fatal(err)
	}
	after := f.org.Stats()
	t.Logf("backfill of 1,000 tickets and 5,000 comments: %d API calls (%v)", after.APICalls-before.APICalls, after.Calls)
	// The goal: 10 calls per 1,000 tickets plus one per 200 comments.
	if n, goal := after.APICalls-before.APICalls, 10+5000/200; n > goal {
		t.Errorf("%d API calls for 1,000 tickets and 5,000 comments, goal %d (by kind before %v after %v)", n, goal, before.Calls, after.Calls)
	}
	wantBackfilled(t, f, 1000, 5)

	// The backfill runs again (after a crash lost its cursor): nothing doubles.
	if err := writeAll(t, salesforce.NewCaseSink(f.client, salesforce.CaseSinkOptions{}), f, batches); err != nil {
		t.Fatal(err)
	}
	wantBackfilled(t, f, 1000, 5)
}

func TestWriteManyCrashMidBatchIsExactlyOnce(t *testing.T) {
	for _, afterSend := range []bool{false, true} {
		t.Run(fmt.Sprintf("answer lost %v", afterSend), func(t *testing.T) {
			f := newSyncFixture(t, syncSpec{})
			f.conn.TicketSync.AccountMatch = crossview.MatchCreate
			batches := backfill(400)
			// Each batch writes its comments in two composites; the third
			// is the second batch's first.
			crashing := salesforce.NewCaseSink(f.clientWith(&crashingTransport{n: 3, afterSend: afterSend}), salesforce.CaseSinkOptions{})
			if err := writeAll(t, crashing, f, batches); !errors.Is(err, errCrash) {
				t.Fatalf("backfill = %v, want the crash", err)
			}
			if err := writeAll(t, salesforce.NewCaseSink(f.client, salesforce.CaseSinkOptions{}), f, batches); err != nil {
				t.Fatal(err)
			}
			wantBackfilled(t, f, 400, 5)
		})
	}
}

func TestWriteManyFailsOnlyTheTicketsSalesforceRefuses(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	for _, rule := range []salesforcetest.ValidationRule{
		{Object: "Case", Name: "No_Secrets", Message: "Secrets stay in Zendesk.",
			Fails: func(rec map[string]any) bool { s, _ := rec["Subject"].(string); return strings.Contains(s, "secret") }},
		{Object: "CaseComment", Name: "No_Poison", Message: "That comment is not allowed.",
			Fails: func(rec map[string]any) bool {
				s, _ := rec["CommentBody"].(string)
				return strings.Contains(s, "poison")
			}},
	} {
		if err := f.org.AddValidationRule(rule); err != nil {
			t.Fatal(err)
		}
	}
	batch := backfill(30)[0]
	batch[3].Ticket.Subject = "a secret"
	batch[7].Comments[2].Body = "poison"
	res, err := f.sink.WriteMany(ctx, f.conn, batch)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		var ae *salesforce.APIError
		switch i {
		case 3:
			if !errors.As(r.Err, &ae) || ae.Code != "FIELD_CUSTOM_VALIDATION_EXCEPTION" || ae.Message != "Secrets stay in Zendesk." || !salesforce.IsPermanent(r.Err) {
				t.Errorf("ticket 4: %v, want the Case rule's refusal", r.Err)
			}
		case 7:
			if !errors.As(r.Err, &ae) || ae.Message != "That comment is not allowed." || !strings.Contains(ae.Subrequest, "acme:8") {
				t.Errorf("ticket 8: %v, want the comment rule's refusal naming its Case", r.Err)
			}
		default:
			if r.Err != nil || r.CaseID == "" || !r.Created {
				t.Errorf("ticket %d: %+v", i+1, r)
			}
		}
	}
	if n := len(f.query(t, "SELECT Id FROM Case")); n != 29 {
		t.Errorf("%d Cases, want all but the refused one", n)
	}
	// Ticket 8's Case exists, but none of its comments, and its marker
	// did not move: the comments and the marker fail together.
	c := f.caseByKey(t, "acme:8")
	if n := len(f.commentBodies(t, c["Id"].(string))); n != 0 || c["Zendesk_Last_Comment_Id__c"] != nil {
		t.Errorf("ticket 8 has %d comments and marker %v, want none", n, c["Zendesk_Last_Comment_Id__c"])
	}
	if n := len(f.query(t, "SELECT Id FROM CaseComment")); n != 28*5 {
		t.Errorf("%d comments, want %d", n, 28*5)
	}
}

func TestWriteManyKeepsANewerCase(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	live := ticket(1)
	live.Subject, live.UpdatedAt = "the live copy", t0.Add(48*time.Hour)
	if _, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: live, Comments: comments(11, 2), Marker: 12}); err != nil {
		t.Fatal(err)
	}
	old := ticket(1) // the export's older copy, with the comments since
	res, err := f.sink.WriteMany(ctx, f.conn, []crossview.CaseWrite{{Ticket: old, Comments: comments(11, 4), Marker: 14}})
	if err != nil || res[0].Err != nil {
		t.Fatalf("WriteMany = %+v, %v", res, err)
	}
	c := f.caseByKey(t, "acme:1")
	if c["Subject"] != "the live copy" || c["Zendesk_Last_Comment_Id__c"] != "14" {
		t.Errorf("Subject %v marker %v, want the live subject and marker 14", c["Subject"], c["Zendesk_Last_Comment_Id__c"])
	}
	if d := commentIDs(f.commentBodies(t, c["Id"].(string))); fmt.Sprint(d) != "[11 12 13 14]" {
		t.Errorf("comments %v, want 11 to 14 once each", d)
	}
}

func TestWriteManySplitsATicketAcrossComposites(t *testing.T) {
	// Three tickets of 500 comments: the first composite takes 800
	// comments, so ticket 2's are split 300 / 200 and its marker moves to
	// its 300th comment with the first part.
	f := newSyncFixture(t, syncSpec{})
	var batch []crossview.CaseWrite
	for i := int64(1); i <= 3; i++ {
		cs := comments(i*1000+1, 500)
		batch = append(batch, crossview.CaseWrite{Ticket: ticket(i), Comments: cs, Marker: cs[499].ID})
	}
	crashing := salesforce.NewCaseSink(f.clientWith(&crashingTransport{n: 2}), salesforce.CaseSinkOptions{})
	if _, err := crashing.WriteMany(context.Background(), f.conn, batch); !errors.Is(err, errCrash) {
		t.Fatalf("WriteMany = %v, want the crash", err)
	}
	for key, want := range map[string]int64{"acme:1": 1500, "acme:2": 2300, "acme:3": 0} {
		if m, _, err := f.sink.Marker(context.Background(), f.conn, key); err != nil || m != want {
			t.Errorf("after the crash %s marker = %d, %v; want %d", key, m, err, want)
		}
	}
	res, err := f.sink.WriteMany(context.Background(), f.conn, batch)
	if err != nil || res[1].Err != nil {
		t.Fatalf("rerun: %+v, %v", res, err)
	}
	for i := int64(1); i <= 3; i++ {
		c := f.caseByKey(t, fmt.Sprintf("acme:%d", i))
		if d := commentIDs(f.commentBodies(t, c["Id"].(string))); fmt.Sprint(d) != fmt.Sprint(idRange(i*1000+1, 500)) {
			t.Errorf("ticket %d has %d comments, want its 500 once each", i, len(d))
		}
	}
}

func TestWriteManyRecoversFromADeletedCachedContact(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	if _, err := f.sink.WriteMany(ctx, f.conn, []crossview.CaseWrite{{Ticket: ticket(1)}}); err != nil {
		t.Fatal(err)
	}
	old := f.caseByKey(t, "acme:1")["ContactId"].(string)
	if err := f.org.Delete("Contact", old); err != nil {
		t.Fatal(err)
	}
	res, err := f.sink.WriteMany(ctx, f.conn, []crossview.CaseWrite{{Ticket: ticket(2), Comments: comments(21, 2), Marker: 22}, {Ticket: ticket(3)}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Err != nil {
			t.Errorf("ticket %d: %v", i+2, r.Err)
		}
	}
	contacts := f.query(t, "SELECT Id FROM Contact")
	if len(contacts) != 1 || contacts[0]["Id"] == old {
		t.Fatalf("contacts %v, want one new Contact for the requester", contacts)
	}
	for _, key := range []string{"acme:2", "acme:3"} {
		if got := f.caseByKey(t, key)["ContactId"]; got != contacts[0]["Id"] {
			t.Errorf("%s ContactId = %v, want %v", key, got, contacts[0]["Id"])
		}
	}
	if n := len(f.commentBodies(t, res[0].CaseID)); n != 2 {
		t.Errorf("%d comments on ticket 2, want 2", n)
	}
}
