package salesforce_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// The sink is what the ticket-sync worker writes through.
var _ ticketsync.Sink = (*salesforce.CaseSink)(nil)

// syncFixture is an org with the ticket-sync metadata deployed, a
// connection with ticket sync's default settings, and a sink.
type syncFixture struct {
	*fixture
	sink *salesforce.CaseSink
}

// syncSpec chooses what the fixture's org has.
type syncSpec struct {
	// withoutMetadata leaves out every ticket-sync Case field.
	withoutMetadata bool
	// withoutDisplay leaves out the display fields only (the emulator
	// ships the key, URL and marker fields itself).
	withoutDisplay bool
}

func newSyncFixture(t *testing.T, spec syncSpec) *syncFixture {
	t.Helper()
	f := newOrgFixture(t, salesforcetest.Options{}, salesforcetest.OrgSpec{Name: "Acme", WithoutTicketSyncFields: spec.withoutMetadata})
	if !spec.withoutMetadata && !spec.withoutDisplay {
		addDisplayFields(t, f.org)
	}
	f.conn.Username, f.conn.UserID = f.admin.Username, f.admin.ID
	f.conn.TicketSync = crossview.DefaultTicketSyncSettings()
	return &syncFixture{fixture: f, sink: salesforce.NewCaseSink(f.client, salesforce.CaseSinkOptions{})}
}

// addDisplayFields adds the display fields as salesforce-lwc's metadata
// defines them (the emulator has the key, URL and marker fields only).
func addDisplayFields(t *testing.T, org *salesforcetest.Org) {
	t.Helper()
	for _, spec := range []salesforcetest.FieldSpec{
		{Name: salesforce.CaseRequesterNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseRequesterEmailField, Type: "email"},
		{Name: salesforce.CaseOrganizationNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseAssigneeNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseGroupNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseBrandNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseFormNameField, Type: "string", Length: 255},
		{Name: salesforce.CaseTagsField, Type: "string", Length: 255},
		{Name: salesforce.CaseCreatedAtField, Type: "datetime"},
		{Name: salesforce.CaseUpdatedAtField, Type: "datetime"},
		{Name: salesforce.CaseSolvedAtField, Type: "datetime"},
		{Name: salesforce.CaseStatusField, Type: "string", Length: 20},
	} {
		if err := org.AddField("Case", spec); err != nil {
			t.Fatal(err)
		}
	}
}

// clientWith returns a client of the fixture's org whose requests go
// through rt.
func (f *syncFixture) clientWith(rt http.RoundTripper) *salesforce.Client {
	return salesforce.NewClient(salesforce.Config{
		ClientID: "cid", ClientSecret: "csecret", LoginURL: f.cloud.LoginURL(), SandboxLoginURL: f.cloud.LoginURL(),
		APIVersion: "66.0", Timeout: 5 * time.Second,
	}, &http.Client{Transport: rt}, f.tokens, nil, time.Now)
}

// calls counts the org's charged API calls so far.
func (f *syncFixture) calls() int { return f.org.Stats().APICalls }

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// ticket is a realistic open ticket of the acme account.
func ticket(id int64) crossview.SyncTicket {
	return crossview.SyncTicket{
		Tenant: "acme", ID: id, URL: fmt.Sprintf("https://acme.zendesk.com/agent/tickets/%d", id),
		Subject: fmt.Sprintf("Printer %d is on fire", id), Description: "It started smoking after the update.",
		Status: "open", Priority: "high", Type: "incident",
		Requester:    crossview.TicketPerson{ID: 501, Name: "Ada King Lovelace", Email: "ada@engines.example"},
		Assignee:     crossview.TicketPerson{ID: 601, Name: "Grace Hopper", Email: "grace@acme.example"},
		Organization: crossview.TicketOrganization{ID: 77, Name: "Analytical Engines"},
		GroupName:    "Support", BrandName: "Acme", FormName: "Hardware",
		Tags:      []string{"printer", "fire"},
		CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
	}
}

// comments makes n comments of ticket id, ids from first, public unless
// every third.
func comments(first int64, n int) []crossview.TicketComment {
	out := make([]crossview.TicketComment, n)
	for i := range out {
		id := first + int64(i)
		out[i] = crossview.TicketComment{ID: id, Public: i%3 != 2, Body: fmt.Sprintf("comment %d", id),
			Author: crossview.TicketPerson{ID: 501, Name: "Ada King Lovelace"}, CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
	}
	return out
}

// query reads records through the REST API as the admin.
func (f *syncFixture) query(t *testing.T, soql string) []map[string]any {
	t.Helper()
	recs, err := f.client.QueryAll(context.Background(), f.conn, soql, 0)
	if err != nil {
		t.Fatalf("%s: %v", soql, err)
	}
	out := make([]map[string]any, len(recs))
	for i, raw := range recs {
		if err := json.Unmarshal(raw, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// caseByKey reads the one Case with the key, failing unless exactly one.
func (f *syncFixture) caseByKey(t *testing.T, key string) map[string]any {
	t.Helper()
	rows := f.query(t, "SELECT Id, Subject, Description, Status, Priority, Type, IsClosed, ContactId, AccountId, "+
		"Zendesk_Ticket_URL__c, Zendesk_Last_Comment_Id__c, Zendesk_Requester_Name__c, Zendesk_Requester_Email__c, "+
		"Zendesk_Organization_Name__c, Zendesk_Assignee_Name__c, Zendesk_Group_Name__c, Zendesk_Brand_Name__c, "+
		"Zendesk_Form_Name__c, Zendesk_Tags__c, Zendesk_Created_At__c, Zendesk_Updated_At__c, Zendesk_Solved_At__c, "+
		"Zendesk_Status__c FROM Case WHERE Zendesk_Ticket_Key__c = "+salesforce.Quote(key))
	if len(rows) != 1 {
		t.Fatalf("%d Cases have key %s, want exactly one", len(rows), key)
	}
	return rows[0]
}

// commentBodies lists a Case's comments' bodies, oldest first.
func (f *syncFixture) commentBodies(t *testing.T, caseID string) []string {
	t.Helper()
	rows := f.query(t, "SELECT CommentBody, IsPublished FROM CaseComment WHERE ParentId = "+salesforce.Quote(caseID)+" ORDER BY CreatedDate, Id")
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r["CommentBody"].(string)
	}
	return out
}

// commentIDs reads the Zendesk comment ids back out of CaseComment
// bodies, sorted, so a test sees duplicates and gaps.
func commentIDs(bodies []string) []int64 {
	var out []int64
	for _, b := range bodies {
		var id int64
		if i := strings.Index(b, "(Zendesk comment "); i >= 0 {
			_, _ = fmt.Sscanf(b[i:], "(Zendesk comment %d)", &id)
		}
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func idRange(first int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = first + int64(i)
	}
	return out
}

// problemCodes lists problems as "code: title" for failure messages.
func problemCodes(ps []crossview.HealthProblem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code + ": " + p.Title
	}
	return out
}
