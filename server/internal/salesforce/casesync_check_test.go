package salesforce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// wantProblem is what a test expects of one problem.
type wantProblem struct {
	code, title string
	fix         string // a part of the fix
	blocking    bool
}

func TestCheck(t *testing.T) {
	deploy := "Deploy the Crossview metadata (salesforce-lwc: sf project deploy start --source-dir force-app) and assign the Crossview_Ticket_Sync permission set to admin@acme.example."
	// A new org's Case Type values (Mechanical, Electrical...) fit no
	// Zendesk type: said, but not blocking.
	typeWarning := wantProblem{code: "ticket_sync_picklist_unmapped",
		title: `Zendesk type "question", "incident", "problem", "task": no Type value`, fix: `"Mechanical", "Electrical"`}
	for _, tc := range []struct {
		name  string
		spec  syncSpec
		setup func(t *testing.T, f *syncFixture)
		want  []wantProblem
	}{
		{name: "metadata deployed, defaults", want: []wantProblem{typeWarning}},
		{name: "metadata not deployed", spec: syncSpec{withoutMetadata: true}, want: []wantProblem{
			{code: "ticket_sync_field_missing", title: "Case field Zendesk_Ticket_Key__c is missing", fix: deploy, blocking: true},
			{code: "ticket_sync_field_missing", title: "Case field Zendesk_Ticket_URL__c is missing", fix: deploy, blocking: true},
			{code: "ticket_sync_field_missing", title: "Case field Zendesk_Last_Comment_Id__c is missing", fix: deploy, blocking: true},
			{code: "ticket_sync_display_fields_missing", title: "12 Zendesk display field(s) on Case are missing or read-only: Zendesk_Requester_Name__c, Zendesk_Requester_Email__c, Zendesk_Organization_Name__c, Zendesk_Assignee_Name__c, Zendesk_Group_Name__c, Zendesk_Brand_Name__c, Zendesk_Form_Name__c, Zendesk_Tags__c, Zendesk_Created_At__c, Zendesk_Updated_At__c, Zendesk_Solved_At__c, Zendesk_Status__c", fix: deploy},
			typeWarning,
		}},
		{name: "no field-level security on the key and the marker", setup: func(t *testing.T, f *syncFixture) {
			fls(t, f, "Case", crossview.CaseTicketKeyField, salesforcetest.FieldHidden)
			fls(t, f, "Case", crossview.CaseCommentMarkerField, salesforcetest.FieldReadOnly)
		}, want: []wantProblem{
			{code: "ticket_sync_field_missing", title: "Case field Zendesk_Ticket_Key__c is missing", fix: deploy, blocking: true},
			{code: "ticket_sync_field_not_writable", title: "admin@acme.example may not write Case field Zendesk_Last_Comment_Id__c",
				fix: "Assign the Crossview_Ticket_Sync permission set to admin@acme.example", blocking: true},
			typeWarning,
		}},
		{name: "a required Case field nothing fills", setup: func(t *testing.T, f *syncFixture) {
			addField(t, f, "Case", salesforcetest.FieldSpec{Name: "Region__c", Type: "string", Required: true})
		}, want: []wantProblem{
			{code: "ticket_sync_required_field_unmapped", title: "Required Case field Region__c is not mapped",
				fix: "Map a Zendesk ticket field to Region__c", blocking: true},
			typeWarning,
		}},
		{name: "the required field mapped", setup: func(t *testing.T, f *syncFixture) {
			addField(t, f, "Case", salesforcetest.FieldSpec{Name: "Region__c", Type: "string", Required: true})
			f.conn.TicketSync.Mappings = []crossview.FieldMapping{{Zendesk: "custom:360001", Salesforce: "Region__c"}}
		}, want: []wantProblem{typeWarning}},
		{name: "a value map to a value the picklist lacks", setup: func(t *testing.T, f *syncFixture) {
			f.conn.TicketSync.Mappings = []crossview.FieldMapping{{Zendesk: "priority", Salesforce: "Priority",
				Values: map[string]string{"urgent": "Critical", "low": "Low"}}}
		}, want: []wantProblem{
			{code: "ticket_sync_mapping_value", title: `Case field Priority has no value "Critical"`,
				fix: `Add "Critical" to the Priority picklist, or map "urgent" to one of: "High", "Medium", "Low".`, blocking: true},
			typeWarning,
		}},
		{name: "a restricted status picklist with no closed value", setup: func(t *testing.T, f *syncFixture) {
			if err := f.org.SetPicklist("Case", "Status", []string{"New", "Working", "Escalated"}, true); err != nil {
				t.Fatal(err)
			}
		}, want: []wantProblem{
			{code: "ticket_sync_picklist_unmapped", title: `Zendesk status "solved", "closed": no Status value`,
				fix: `Map each to one of "New", "Working", "Escalated" in the ticket-sync value map for Status.`, blocking: true},
			typeWarning,
		}},
		{name: "types the official rules refuse", setup: func(t *testing.T, f *syncFixture) {
			addField(t, f, "Case", salesforcetest.FieldSpec{Name: "Notes__c", Type: "textarea"})
			f.conn.TicketSync.Mappings = []crossview.FieldMapping{
				{Zendesk: "subject", Salesforce: "IsEscalated"},
				{Zendesk: "brand_name", Salesforce: "Origin"},
				{Zendesk: "description", Salesforce: "Notes__c"},
				{Zendesk: "created_at", Salesforce: "Missing__c"},
				{Zendesk: "sbject", Salesforce: "SuppliedName"},
				{Zendesk: "type", Salesforce: "Type", Values: map[string]string{"question": "Other", "incident": "Electrical", "problem": "Other", "task": "Other"}},
			}
		}, want: []wantProblem{
			{code: "ticket_sync_mapping_field_missing", title: "Mapped Case field Missing__c does not exist", fix: "Create the field", blocking: true},
			{code: "ticket_sync_mapping_source", title: `Unknown Zendesk field "sbject" is mapped to SuppliedName`, fix: "Correct the Zendesk side", blocking: true},
			{code: "ticket_sync_mapping_type", title: "Case field IsEscalated (boolean) cannot take Zendesk subject", fix: "supported type", blocking: true},
			{code: "ticket_sync_mapping_type", title: "Case field Origin (picklist) cannot take Zendesk brand_name", fix: "supported type", blocking: true},
			{code: "ticket_sync_mapping_type", title: "Case field Notes__c (textarea) cannot take Zendesk description", fix: "supported type", blocking: true},
		}},
		{name: "requesters created with a required field Crossview does not fill", setup: func(t *testing.T, f *syncFixture) {
			addField(t, f, "Contact", salesforcetest.FieldSpec{Name: "Segment__c", Type: "string", Required: true})
		}, want: []wantProblem{
			{code: "ticket_sync_requester_required_field", title: "Required Contact field Segment__c would be empty on Contacts Crossview creates",
				fix: "Give Contact.Segment__c a default value", blocking: true},
			typeWarning,
		}},
		{name: "default records that do not exist or are not Accounts", setup: func(t *testing.T, f *syncFixture) {
			f.conn.TicketSync.AccountMatch, f.conn.TicketSync.DefaultAccountID = crossview.MatchDefault, "001000000000001AAA"
			f.conn.TicketSync.RequesterMatch, f.conn.TicketSync.DefaultRequesterID = crossview.MatchDefault, "001000000000002AAA"
		}, want: []wantProblem{
			{code: "ticket_sync_default_record_missing", title: "The default requester 001000000000002AAA is not a Contact id", fix: "id of a Contact", blocking: true},
			{code: "ticket_sync_default_record_missing", title: "The default Account 001000000000001AAA does not exist", fix: "existing Account", blocking: true},
			typeWarning,
		}},
		{name: "an Account external id field the org lacks", setup: func(t *testing.T, f *syncFixture) {
			f.conn.TicketSync.AccountExternalIDField = "Zendesk_Org_Id__c"
		}, want: []wantProblem{
			{code: "ticket_sync_account_field_missing", title: "Account field Zendesk_Org_Id__c is missing", fix: "clear the Account external id field", blocking: true},
			typeWarning,
		}},
		{name: "a record type in an org without Case record types", setup: func(t *testing.T, f *syncFixture) {
			f.conn.TicketSync.RecordTypeID = "012000000000001AAA"
		}, want: []wantProblem{
			{code: "ticket_sync_record_type", title: "Case record type 012000000000001AAA cannot be used", fix: "Create the Case record type", blocking: true},
			typeWarning,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSyncFixture(t, tc.spec)
			if tc.setup != nil {
				tc.setup(t, f)
			}
			before := f.org.Stats().Calls["composite"]
			got, err := f.sink.Check(context.Background(), f.conn)
			if err != nil {
				t.Fatal(err)
			}
			if n := f.org.Stats().Calls["composite"] - before; n != 1 {
				t.Errorf("Check made %d composite calls, want 1", n)
			}
			var gotCodes, wantCodes []string
			for _, p := range got {
				gotCodes = append(gotCodes, p.Code+": "+p.Title)
			}
			for _, w := range tc.want {
				wantCodes = append(wantCodes, w.code+": "+w.title)
			}
			if d := cmp.Diff(wantCodes, gotCodes); d != "" {
				t.Fatalf("problems (-want +got):\n%s", d)
			}
			for i, w := range tc.want {
				p := got[i]
				if p.Blocking != w.blocking || !strings.Contains(p.Fix, w.fix) || p.Message == "" {
					t.Errorf("%s: blocking %v fix %q message %q; want blocking %v and a fix with %q", p.Title, p.Blocking, p.Fix, p.Message, w.blocking, w.fix)
				}
			}
		})
	}
}

func TestCheckReadsDescribesAfresh(t *testing.T) {
	// An admin deploys the metadata after a failed check and checks again:
	// the second check must not answer from a cached describe.
	f := newSyncFixture(t, syncSpec{})
	fls(t, f, "Case", crossview.CaseTicketKeyField, salesforcetest.FieldHidden)
	got, err := f.sink.Check(context.Background(), f.conn)
	if err != nil || len(got) == 0 || got[0].Code != "ticket_sync_field_missing" {
		t.Fatalf("first check = %v, %v", problemCodes(got), err)
	}
	fls(t, f, "Case", crossview.CaseTicketKeyField, salesforcetest.FieldEditable)
	got, err = f.sink.Check(context.Background(), f.conn)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range got {
		if p.Blocking {
			t.Errorf("after the fix: %s: %s", p.Code, p.Title)
		}
	}
}

func fls(t *testing.T, f *syncFixture, object, field string, access salesforcetest.FieldAccess) {
	t.Helper()
	if err := f.org.SetFieldAccess(f.admin.ID, object, field, access); err != nil {
		t.Fatal(err)
	}
}

func addField(t *testing.T, f *syncFixture, object string, spec salesforcetest.FieldSpec) {
	t.Helper()
	if err := f.org.AddField(object, spec); err != nil {
		t.Fatal(err)
	}
}

func TestCheckThatCannotRunIsAnError(t *testing.T) {
	f := newSyncFixture(t, syncSpec{})
	f.org.SetAPIUsage(15000, 15000)
	if got, err := f.sink.Check(context.Background(), f.conn); err == nil {
		t.Errorf("Check with the allowance spent = %v, nil; want an error, not problems", problemCodes(got))
	}
}
