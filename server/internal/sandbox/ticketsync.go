package sandbox

import (
	"context"
	"strings"
	"sync"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// CaseFinder names the Case ticket sync made for a ticket: the org's
// instance URL and the Case id. The sandbox asks Crossview itself.
type CaseFinder func(ctx context.Context, tenant string, ticketID int64) (instanceURL, caseID string, ok bool)

// caseFinder is set once Crossview runs (SetCaseFinder).
type caseFinder struct {
	mu sync.Mutex
	f  CaseFinder
}

// SetCaseFinder tells the world how to find a ticket's synced Case.
func (w *World) SetCaseFinder(f CaseFinder) {
	w.cases.mu.Lock()
	defer w.cases.mu.Unlock()
	w.cases.f = f
}

// SyncedCase returns the Lightning page of the Case a ticket became, if
// ticket sync made one.
func (w *World) SyncedCase(ctx context.Context, tenant string, ticketID int64) (string, bool) {
	w.cases.mu.Lock()
	f := w.cases.f
	w.cases.mu.Unlock()
	if f == nil {
		return "", false
	}
	base, id, ok := f(ctx, tenant, ticketID)
	if !ok || id == "" {
		return "", false
	}
	return strings.TrimRight(base, "/") + "/lightning/r/Case/" + id + "/view", true
}

// CommentTicket adds a comment to a ticket in the emulated Zendesk, as its
// requester (public) or its assignee (an internal note); Zendesk fires its
// triggers and webhooks as for any change.
func (w *World) CommentTicket(_ context.Context, tenant string, id int64, body string, public bool) error {
	acct := w.AccountSeed(tenant)
	if acct == nil {
		return crossview.Errorf(crossview.ENOTFOUND, "No emulated Zendesk account %q.", tenant)
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return crossview.Errorf(crossview.EINVALID, "Write the comment first.")
	}
	c := zendesktest.Comment{Body: body, Public: public}
	if !public {
		c.AuthorID = acct.Agent.ID
	}
	if _, err := acct.Account.AddComment(id, c); err != nil {
		return crossview.Wrap(crossview.EINVALID, "The emulated Zendesk refused the comment (a closed ticket takes none).", err)
	}
	return nil
}

// addTicketSyncFields deploys the Crossview ticket-sync metadata's
// display fields to an org, as `sf project deploy` would (the emulator
// has the key, URL and marker fields already).
func addTicketSyncFields(org *salesforcetest.Org) error {
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
			return err
		}
	}
	return nil
}

// TicketSyncSettings are the sandbox's: link Cases only to the Contacts
// and Accounts the org has, so the seeded data keeps its shape (Mia stays
// a Lead only, Sam stays unknown).
func TicketSyncSettings() crossview.TicketSyncSettings {
	s := crossview.DefaultTicketSyncSettings()
	s.RequesterMatch, s.AccountMatch = crossview.MatchExisting, crossview.MatchExisting
	s.Comments = crossview.CommentsAll
	return s
}
