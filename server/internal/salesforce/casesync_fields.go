package salesforce

import (
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// The display fields of the ticket-sync metadata (salesforce-lwc's
// objects/Case/fields), mirroring the official integration's mapping. The
// sync writes each one the org has; Check names the ones it lacks.
const (
	CaseRequesterNameField    = "Zendesk_Requester_Name__c"
	CaseRequesterEmailField   = "Zendesk_Requester_Email__c"
	CaseOrganizationNameField = "Zendesk_Organization_Name__c"
	CaseAssigneeNameField     = "Zendesk_Assignee_Name__c"
	CaseGroupNameField        = "Zendesk_Group_Name__c"
	CaseBrandNameField        = "Zendesk_Brand_Name__c"
	CaseFormNameField         = "Zendesk_Form_Name__c"
	CaseTagsField             = "Zendesk_Tags__c"
	CaseCreatedAtField        = "Zendesk_Created_At__c"
	CaseUpdatedAtField        = "Zendesk_Updated_At__c"
	CaseSolvedAtField         = "Zendesk_Solved_At__c"
	CaseStatusField           = "Zendesk_Status__c"
)

// PermissionSetTicketSync is the permission set that grants the fields.
const PermissionSetTicketSync = "Crossview_Ticket_Sync"

// fieldMap maps one Zendesk ticket field (a source, see sourceValue) to
// one Case field.
type fieldMap struct {
	target, source string
	// values maps Zendesk values to picklist values, ahead of the
	// defaults for status, priority and type.
	values map[string]string
	// display fields are skipped quietly where the org lacks them.
	display bool
	// builtin mappings are Crossview's defaults, not an admin's.
	builtin bool
}

// defaultMappings is the official integration's fixed mapping, plus the
// ticket URL.
func defaultMappings() []fieldMap {
	m := []fieldMap{
		{target: "Subject", source: "subject", builtin: true},
		{target: "Description", source: "description", builtin: true},
		{target: "Status", source: "status", builtin: true},
		{target: "Priority", source: "priority", builtin: true},
		{target: "Type", source: "type", builtin: true},
		{target: crossview.CaseTicketURLField, source: "url", builtin: true},
	}
	for _, d := range []struct{ target, source string }{
		{CaseRequesterNameField, "requester_name"},
		{CaseRequesterEmailField, "requester_email"},
		{CaseOrganizationNameField, "organization_name"},
		{CaseAssigneeNameField, "assignee_name"},
		{CaseGroupNameField, "group_name"},
		{CaseBrandNameField, "brand_name"},
		{CaseFormNameField, "form_name"},
		{CaseTagsField, "tags"},
		{CaseCreatedAtField, "created_at"},
		{CaseUpdatedAtField, "updated_at"},
		{CaseSolvedAtField, "solved_at"},
		{CaseStatusField, "status"},
	} {
		m = append(m, fieldMap{target: d.target, source: d.source, display: true, builtin: true})
	}
	return m
}

// displayFields lists the display fields' names.
func displayFields() []string {
	var out []string
	for _, m := range defaultMappings() {
		if m.display {
			out = append(out, m.target)
		}
	}
	return out
}

// mappings merges the connection's custom mappings into the defaults: a
// custom mapping to a Case field the defaults also fill replaces that
// default; any other is added.
func mappings(s crossview.TicketSyncSettings) []fieldMap {
	out := defaultMappings()
	for _, c := range s.Mappings {
		m := fieldMap{target: c.Salesforce, source: strings.ToLower(strings.TrimSpace(c.Zendesk)), values: c.Values}
		replaced := false
		for i := range out {
			if strings.EqualFold(out[i].target, c.Salesforce) {
				out[i], replaced = m, true
			}
		}
		if !replaced {
			out = append(out, m)
		}
	}
	return out
}

// sourceKind says what a Zendesk ticket field holds.
type sourceKind int

const (
	kindUnknown sourceKind = iota // not a field Crossview knows
	kindText
	kindNumber
	kindTime
	kindCustom // a custom ticket field: its type is Zendesk's business
)

// sourceKindOf classifies a mapping's Zendesk field name.
func sourceKindOf(source string) sourceKind {
	switch source {
	case "subject", "description", "status", "priority", "type", "url", "key", "tags",
		"requester_name", "requester_email", "assignee_name", "assignee_email",
		"organization_name", "organization_external_id", "group_name", "brand_name", "form_name":
		return kindText
	case "id", "requester_id", "assignee_id", "organization_id":
		return kindNumber
	case "created_at", "updated_at", "solved_at":
		return kindTime
	}
	if id, ok := customFieldID(source); ok && id > 0 {
		return kindCustom
	}
	return kindUnknown
}

func customFieldID(source string) (int64, bool) {
	rest, ok := strings.CutPrefix(source, "custom:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil
}

// sourceValue reads a ticket field: a string, an int64, a time.Time, or
// for custom fields what Zendesk holds (string, bool, float64); nil when
// empty.
func sourceValue(t crossview.SyncTicket, source string) any {
	str := func(s string) any {
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		return s
	}
	num := func(n int64) any {
		if n == 0 {
			return nil
		}
		return n
	}
	tm := func(x time.Time) any {
		if x.IsZero() {
			return nil
		}
		return x
	}
	switch source {
	case "subject":
		return str(t.Subject)
	case "description":
		return str(t.Description)
	case "status":
		return str(t.Status)
	case "priority":
		return str(t.Priority)
	case "type":
		return str(t.Type)
	case "url":
		return str(t.URL)
	case "key":
		return t.Key()
	case "tags":
		return str(strings.Join(t.Tags, " "))
	case "requester_name":
		return str(t.Requester.Name)
	case "requester_email":
		return str(t.Requester.Email)
	case "assignee_name":
		return str(t.Assignee.Name)
	case "assignee_email":
		return str(t.Assignee.Email)
	case "organization_name":
		return str(t.Organization.Name)
	case "organization_external_id":
		return str(t.Organization.ExternalID)
	case "group_name":
		return str(t.GroupName)
	case "brand_name":
		return str(t.BrandName)
	case "form_name":
		return str(t.FormName)
	case "id":
		return num(t.ID)
	case "requester_id":
		return num(t.Requester.ID)
	case "assignee_id":
		return num(t.Assignee.ID)
	case "organization_id":
		return num(t.Organization.ID)
	case "created_at":
		return tm(t.CreatedAt)
	case "updated_at":
		return tm(t.UpdatedAt)
	case "solved_at":
		return tm(t.SolvedAt)
	}
	if id, ok := customFieldID(source); ok {
		v := t.CustomFields[id]
		if s, isText := v.(string); isText {
			return str(s)
		}
		return v
	}
	return nil
}
