package salesforce_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

func TestWriteCreatesThenUpdatesOneCase(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	ctx := context.Background()
	acct := f.insert(t, "Account", map[string]any{"Name": "Analytical Engines"})
	tk := ticket(101)

	got, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: tk, Comments: comments(9001, 2), Marker: 9002})
	if err != nil {
		t.Fatalf("first write: %v", err)
	}
	if !got.Created || got.CaseID == "" {
		t.Fatalf("first write = %+v, want a created Case", got)
	}
	c := f.caseByKey(t, "acme:101")
	want := map[string]any{
		"Subject": "Printer 101 is on fire", "Description": "It started smoking after the update.",
		"Status": "Working", "Priority": "High", "IsClosed": false, "AccountId": acct,
		"Zendesk_Ticket_URL__c":        "https://acme.zendesk.com/agent/tickets/101",
		"Zendesk_Last_Comment_Id__c":   "9002",
		"Zendesk_Requester_Name__c":    "Ada King Lovelace",
		"Zendesk_Requester_Email__c":   "ada@engines.example",
		"Zendesk_Organization_Name__c": "Analytical Engines",
		"Zendesk_Assignee_Name__c":     "Grace Hopper",
		"Zendesk_Group_Name__c":        "Support", "Zendesk_Brand_Name__c": "Acme", "Zendesk_Form_Name__c": "Hardware",
		"Zendesk_Tags__c": "printer fire", "Zendesk_Status__c": "open",
		"Zendesk_Created_At__c": "2026-03-02T09:30:00.000+0000", "Zendesk_Updated_At__c": "2026-03-02T10:30:00.000+0000",
		"Zendesk_Solved_At__c": nil,
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("Case.%s = %v, want %v", k, c[k], v)
		}
	}
	if c["Type"] != nil {
		t.Errorf("Case.Type = %v; the org has no Incident type, so it stays empty", c["Type"])
	}
	if !strings.Contains(strings.Join(got.Notes, "\n"), `Zendesk type "incident" has no Type value`) {
		t.Errorf("notes %q do not say the type was left out", got.Notes)
	}
	contacts := f.query(t, "SELECT Id, FirstName, LastName, Email, AccountId FROM Contact")
	if len(contacts) != 1 || c["ContactId"] != contacts[0]["Id"] {
		t.Fatalf("contacts %v, Case.ContactId %v: want the requester created and linked", contacts, c["ContactId"])
	}
	if p := contacts[0]; p["FirstName"] != "Ada King" || p["LastName"] != "Lovelace" || p["Email"] != "ada@engines.example" || p["AccountId"] != acct {
		t.Errorf("created contact = %v", p)
	}
	rows := f.query(t, "SELECT CommentBody, IsPublished FROM CaseComment WHERE ParentId = "+salesforce.Quote(got.CaseID)+" ORDER BY Id")
	if len(rows) != 2 || rows[0]["IsPublished"] != true || !strings.HasSuffix(rows[1]["CommentBody"].(string), "comment 9002") ||
		!strings.HasPrefix(rows[0]["CommentBody"].(string), "Ada King Lovelace, 2026-03-02 09:30:00 UTC (Zendesk comment 9001):\n") {
		t.Errorf("comments = %v", rows)
	}

	// The ticket is solved; nothing new was said. The same Case closes and
	// no comment is added twice.
	tk.Status, tk.SolvedAt, tk.UpdatedAt = "solved", t0.Add(3*time.Hour), t0.Add(3*time.Hour)
	again, err := f.sink.Write(ctx, f.conn, crossview.CaseWrite{Ticket: tk, Marker: 9002})
	if err != nil {
		t.Fatalf("second write: %v", err)
	}
	if again.Created || again.CaseID != got.CaseID {
		t.Errorf("second write = %+v, want an update of %s", again, got.CaseID)
	}
	c = f.caseByKey(t, "acme:101")
	if c["Status"] != "Closed" || c["IsClosed"] != true || c["Zendesk_Status__c"] != "solved" || c["Zendesk_Solved_At__c"] != "2026-03-02T12:30:00.000+0000" {
		t.Errorf("after solving: Status %v IsClosed %v Zendesk_Status__c %v Solved %v", c["Status"], c["IsClosed"], c["Zendesk_Status__c"], c["Zendesk_Solved_At__c"])
	}
	if n := len(f.commentBodies(t, got.CaseID)); n != 2 {
		t.Errorf("%d comments after a write with the same marker, want 2", n)
	}
	if n := len(f.query(t, "SELECT Id FROM Contact")); n != 1 {
		t.Errorf("%d contacts, want the one created first", n)
	}
	for _, field := range []string{"Status", "Zendesk_Last_Comment_Id__c", "ContactId", "AccountId"} {
		if !contains(again.Changed, field) {
			t.Errorf("Changed %v lacks %s", again.Changed, field)
		}
	}
}

func TestWriteFollowsTheConnectionsMappings(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	if err := f.org.AddField("Case", salesforcetest.FieldSpec{Name: "Region__c", Type: "picklist", Picklist: []string{"EMEA", "APAC"}}); err != nil {
		t.Fatal(err)
	}
	f.conn.TicketSync.Mappings = []crossview.FieldMapping{
		{Zendesk: "priority", Salesforce: "Priority", Values: map[string]string{"high": "Low"}},
		{Zendesk: "type", Salesforce: "Type", Values: map[string]string{"incident": "Electrical"}},
		{Zendesk: "custom:360001", Salesforce: "Region__c", Values: map[string]string{"region_emea": "EMEA"}},
	}
	tk := ticket(7)
	tk.CustomFields = map[int64]any{360001: "region_emea"}
	if _, err := f.sink.Write(context.Background(), f.conn, crossview.CaseWrite{Ticket: tk}); err != nil {
		t.Fatal(err)
	}
	rows := f.query(t, "SELECT Priority, Type, Region__c FROM Case WHERE Zendesk_Ticket_Key__c = 'acme:7'")
	if d := cmp.Diff([]map[string]any{{"attributes": rows[0]["attributes"], "Priority": "Low", "Type": "Electrical", "Region__c": "EMEA"}}, rows); d != "" {
		t.Errorf("mapped fields (-want +got):\n%s", d)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
