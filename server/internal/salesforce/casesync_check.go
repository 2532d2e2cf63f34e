package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Check says whether the org can take synced Cases, reading the describes
// (afresh, and caching them) of Case, CaseComment, the requester object and
// Account, and checking any default records, in one composite call. Each
// problem has a stable code, a title naming the field, and the fix; an
// error means the check itself could not run.
func (s *CaseSink) Check(ctx context.Context, conn crossview.Connection) ([]crossview.HealthProblem, error) {
	set := conn.TicketSync
	objects := []string{crossview.ObjectCase}
	if set.Comments != crossview.CommentsNone {
		objects = append(objects, "CaseComment")
	}
	person := requesterObject(set)
	objects = append(objects, person, crossview.ObjectAccount)
	k := checker{set: set, user: userName(conn)}
	extra := k.defaultRecordQueries(s.c, person)
	resp, err := s.c.Composite(ctx, conn, describeRequest(s.c, objects, extra))
	if err != nil {
		return nil, err
	}
	ds := map[string]*ObjectDescribe{}
	for _, o := range objects {
		d, err := decodeDescribe(resp, o)
		var e *APIError
		switch {
		case errors.As(err, &e) && e.Status < 500 && e.Status != http.StatusUnauthorized && !IsRateLimited(err):
			k.add(problem("ticket_sync_object_inaccessible", fmt.Sprintf("%s cannot see %s records", k.user, o),
				fmt.Sprintf("Salesforce refused to describe %s to the connected user: %s", o, e.Message),
				k.permFix(fmt.Sprintf("read access to %s", o)), true))
			continue
		case err != nil:
			return nil, err
		}
		s.describes.set(conn.ID+"|"+o, d, s.opts.DescribeTTL)
		ds[o] = d
	}
	if c := ds[crossview.ObjectCase]; c != nil {
		k.checkCase(c)
		k.checkMappings(c)
		k.checkRequired(c)
	}
	if d := ds["CaseComment"]; d != nil {
		k.checkCreatable(d, "ticket_sync_comments_not_writable", "CaseComment", []string{"ParentId", "CommentBody", "IsPublished"})
	}
	if d := ds[person]; d != nil {
		k.checkRequester(d)
	}
	if d := ds[crossview.ObjectAccount]; d != nil {
		k.checkAccount(d)
	}
	k.checkDefaultRecords(resp, person)
	sortProblems(k.problems)
	return k.problems, nil
}

// checker collects the problems of one Check.
type checker struct {
	set      crossview.TicketSyncSettings
	user     string
	problems []crossview.HealthProblem
}

func (k *checker) add(p crossview.HealthProblem) { k.problems = append(k.problems, p) }

func problem(code, title, message, fix string, blocking bool) crossview.HealthProblem {
	return crossview.HealthProblem{Code: code, Title: title, Message: message, Fix: fix, Blocking: blocking}
}

func userName(conn crossview.Connection) string {
	if conn.Username != "" {
		return conn.Username
	}
	return "the connected Salesforce user"
}

func (k *checker) deployFix() string {
	return fmt.Sprintf("Deploy the Crossview metadata (salesforce-lwc: sf project deploy start --source-dir force-app) and assign the %s permission set to %s.",
		PermissionSetTicketSync, k.user)
}

func (k *checker) permFix(what string) string {
	return fmt.Sprintf("Assign the %s permission set to %s, or give them %s in their profile.", PermissionSetTicketSync, k.user, what)
}

// checkCase checks the fields ticket sync cannot work without.
func (k *checker) checkCase(d *ObjectDescribe) {
	if !d.Createable || !d.Updateable {
		k.add(problem("ticket_sync_case_not_writable", fmt.Sprintf("%s may not create and edit Cases", k.user),
			"Ticket sync creates a Case for every ticket and keeps it current.", k.permFix("Create and Edit on Case"), true))
	}
	core := []string{crossview.CaseTicketKeyField, crossview.CaseTicketURLField, crossview.CaseCommentMarkerField, "AccountId"}
	if requesterObject(k.set) == crossview.ObjectContact {
		core = append(core, "ContactId")
	}
	for _, name := range core {
		f, ok := d.Field(name)
		switch {
		case !ok && strings.HasSuffix(name, "__c"):
			k.add(problem("ticket_sync_field_missing", fmt.Sprintf("Case field %s is missing", name),
				fmt.Sprintf("Ticket sync needs %s, but the Case describe %s sees has no such field: the Crossview metadata is not deployed, or field-level security hides it.", name, k.user),
				k.deployFix(), true))
		case !ok || !f.Writable():
			k.add(problem("ticket_sync_field_not_writable", fmt.Sprintf("%s may not write Case field %s", k.user, name),
				fmt.Sprintf("Ticket sync writes %s on every Case, but field-level security makes it hidden or read-only for the connected user.", name),
				k.permFix("read and edit access to Case."+name), true))
		}
	}
	if f, ok := d.Field(crossview.CaseTicketKeyField); ok && (!f.ExternalID || !f.Unique || f.CaseSensitive || f.Type != "string") {
		k.add(problem("ticket_sync_key_not_unique", fmt.Sprintf("Case field %s is not a unique, case-insensitive External ID", f.Name),
			"Cases are upserted by the ticket key; without External ID and Unique (case-insensitive) a ticket could become two Cases.",
			k.deployFix()+" The field must be Text(80), External ID, Unique, case-insensitive.", true))
	}
	var absent []string
	for _, name := range displayFields() {
		if f, ok := d.Field(name); !ok || !f.Writable() {
			absent = append(absent, name)
		}
	}
	if len(absent) > 0 {
		k.add(problem("ticket_sync_display_fields_missing",
			fmt.Sprintf("%d Zendesk display field(s) on Case are missing or read-only: %s", len(absent), strings.Join(absent, ", ")),
			"Cases still sync, without these fields (requester, organization, assignee, group, brand, form, tags, dates, Zendesk status).",
			k.deployFix(), false))
	}
	if id := k.set.RecordTypeID; id != "" {
		if _, ok := d.Field("RecordTypeId"); !ok {
			k.add(problem("ticket_sync_record_type", fmt.Sprintf("Case record type %s cannot be used", id),
				"The Case describe has no RecordTypeId field: the org has no Case record types, or the connected user may not set them.",
				"Create the Case record type and give "+k.user+" access to it, or clear the record type in the ticket-sync settings.", true))
		} else if len(d.RecordTypeInfos) > 0 && !recordTypeAvailable(d, id) {
			k.add(problem("ticket_sync_record_type", fmt.Sprintf("Case record type %s is not available to %s", id, k.user),
				"The record type id is not one of the Case record types the connected user may use (is it the Org ID by mistake?).",
				"Enter the 012… id from Setup › Object Manager › Case › Record Types, and give "+k.user+" access to it.", true))
		}
	}
}

func recordTypeAvailable(d *ObjectDescribe, id string) bool {
	for _, r := range d.RecordTypeInfos {
		if len(r.RecordTypeID) >= 15 && len(id) >= 15 && r.RecordTypeID[:15] == id[:15] && r.Available {
			return true
		}
	}
	return false
}

// checkRequired names every field Salesforce requires on a new Case that
// nothing fills.
func (k *checker) checkRequired(d *ObjectDescribe) {
	filled := map[string]bool{
		strings.ToLower(crossview.CaseTicketKeyField):     true,
		strings.ToLower(crossview.CaseCommentMarkerField): true,
	}
	for _, m := range mappings(k.set) {
		filled[strings.ToLower(m.target)] = true
	}
	if k.set.RecordTypeID != "" {
		filled["recordtypeid"] = true
	}
	if k.set.AccountMatch == crossview.MatchDefault {
		filled["accountid"] = true
	}
	if requesterObject(k.set) == crossview.ObjectContact && k.set.RequesterMatch != crossview.MatchExisting {
		filled["contactid"] = true
	}
	for _, f := range d.Fields {
		if f.Required() && !filled[strings.ToLower(f.Name)] {
			k.add(problem("ticket_sync_required_field_unmapped", fmt.Sprintf("Required Case field %s is not mapped", f.Name),
				fmt.Sprintf("Salesforce refuses a Case without %s (%s), and no Zendesk field is mapped to it.", f.Name, f.Label),
				fmt.Sprintf("Map a Zendesk ticket field to %s in the ticket-sync field mappings, or give %s a default value in Salesforce.", f.Name, f.Name), true))
		}
	}
}

// checkCreatable names the fields of an object Crossview creates that
// the user may not set.
func (k *checker) checkCreatable(d *ObjectDescribe, code, object string, fields []string) {
	var bad []string
	if !d.Createable {
		bad = append(bad, object+" itself")
	}
	for _, name := range fields {
		if f, ok := d.Field(name); !ok || !f.Createable {
			bad = append(bad, object+"."+name)
		}
	}
	if len(bad) > 0 {
		k.add(problem(code, fmt.Sprintf("%s may not create %s records (%s)", k.user, object, strings.Join(bad, ", ")),
			fmt.Sprintf("Ticket sync creates %s records with these fields.", object),
			k.permFix("Create on "+object+" and edit access to "+strings.Join(bad, ", ")), true))
	}
}

// checkUnfilled names required fields of a record Crossview creates that
// it does not fill.
func (k *checker) checkUnfilled(d *ObjectDescribe, code, object string, fills []string) {
	filled := map[string]bool{}
	for _, f := range fills {
		filled[strings.ToLower(f)] = true
	}
	for _, f := range d.Fields {
		if f.Required() && !filled[strings.ToLower(f.Name)] {
			k.add(problem(code, fmt.Sprintf("Required %s field %s would be empty on %ss Crossview creates", object, f.Name, object),
				fmt.Sprintf("Matching is set to create a %s when none matches, and Salesforce refuses a %s without %s.", object, object, f.Name),
				fmt.Sprintf("Give %s.%s a default value in Salesforce, or set matching to existing records or a default record.", object, f.Name), true))
		}
	}
}

// sortProblems orders problems blocking first, then by code and title,
// so a page lists them the same way every time.
func sortProblems(ps []crossview.HealthProblem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Blocking != ps[j].Blocking {
			return ps[i].Blocking
		}
		return ps[i].Code < ps[j].Code
	})
}
