package salesforce

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Data-sync health problem codes (the filter's are the Filter* codes).
const (
	DataSyncObjectInaccessible = "datasync_object_inaccessible"
	DataSyncFieldHidden        = "datasync_field_hidden"
	DataSyncMappingMissing     = "datasync_mapping_field_missing"
	DataSyncMappingUnmappable  = "datasync_mapping_unmappable"
	DataSyncMappingTarget      = "datasync_mapping_zendesk_field"
	DataSyncMappingType        = "datasync_mapping_type"
	DataSyncMappingPicklist    = "datasync_mapping_picklist_unmapped"
	DataSyncMappingOption      = "datasync_mapping_dropdown_option"
	DataSyncMappingDuplicate   = "datasync_mapping_duplicate_target"
	DataSyncMappingExternalID  = "datasync_mapping_external_id"
)

// CheckObject checks one object's sync settings against the org, reading
// its describe afresh (one composite call, two when a mapping reads a
// parent object data sync does not describe anyway): the object and the
// fields every read selects are visible; each mapping's Salesforce field
// exists and may be mapped, its Zendesk field exists, and their types fit
// as the official integration's table says (picklist values each mapped to
// a dropdown option); the filter compiles. Each problem has a stable code,
// a title naming the field, and the fix. zendesk lists the account's
// custom fields of the side the object writes (organization fields for
// Accounts, user fields for Contacts and Leads).
func (s *DataSource) CheckObject(ctx context.Context, conn crossview.Connection, object string, sync crossview.ObjectSync, zendesk []crossview.ZendeskField) ([]crossview.HealthProblem, error) {
	if err := syncObject(object); err != nil {
		return nil, err
	}
	ds, err := s.describeSet(ctx, conn, true)
	if err != nil {
		return nil, err
	}
	k := &dataChecker{object: object, user: userName(conn), ds: ds, zendesk: zendesk}
	d := ds[object]
	if d == nil {
		k.add(problem(DataSyncObjectInaccessible, fmt.Sprintf("%s cannot see %s records", k.user, object),
			fmt.Sprintf("Data sync reads %ss, but Salesforce does not describe %s to the connected user.", object, object),
			fmt.Sprintf("Give %s read access to %s (View All, or a sharing rule covering every record to sync), or turn %s sync off.", k.user, object, object), true))
		return k.problems, nil
	}
	if parents := k.parentObjects(d, sync.Mappings); len(parents) > 0 {
		more, err := s.c.Describe(ctx, conn, parents...)
		if err != nil {
			return nil, err
		}
		k.ds = maps.Clone(ds) // the cached set stays as read
		maps.Copy(k.ds, more)
	}
	k.d = d
	k.checkFixed()
	k.checkMappings(sync.Mappings)
	_, fps := compileFilter(d, sync.Filter)
	for _, fe := range fps {
		k.add(filterProblem(fe))
	}
	sortProblems(k.problems)
	return k.problems, nil
}

// dataChecker collects the problems of one CheckObject.
type dataChecker struct {
	object   string
	user     string
	d        *ObjectDescribe
	ds       map[string]*ObjectDescribe
	zendesk  []crossview.ZendeskField
	problems []crossview.HealthProblem
}

func (k *dataChecker) add(p crossview.HealthProblem) { k.problems = append(k.problems, p) }

// checkFixed checks the fields every read selects: without them no page
// can be read at all.
func (k *dataChecker) checkFixed() {
	fixed := []string{"Id", "SystemModstamp"}
	if k.object == crossview.ObjectContact {
		fixed = append(fixed, "AccountId")
	}
	for _, name := range fixed {
		if _, ok := k.d.Field(name); !ok {
			k.add(problem(DataSyncFieldHidden, fmt.Sprintf("%s cannot read %s.%s", k.user, k.object, name),
				fmt.Sprintf("Data sync reads %s on every %s; field-level security hides it from the connected user, so no %s can be read.", name, k.object, k.object),
				fmt.Sprintf("Give %s read access to %s.%s.", k.user, k.object, name), true))
		}
	}
}

// parentObjects lists the objects mapped relationship paths (Owner.Name)
// lead to that the describe set lacks.
func (k *dataChecker) parentObjects(d *ObjectDescribe, ms []crossview.DataMapping) []string {
	var out []string
	for _, m := range ms {
		head, _, ok := strings.Cut(strings.TrimSpace(m.Salesforce), ".")
		if !ok {
			continue
		}
		if rel, ok := d.Relationship(head); ok && len(rel.ReferenceTo) > 0 {
			if o := rel.ReferenceTo[0]; k.ds[o] == nil && !containsFold(out, o) {
				out = append(out, o)
			}
		}
	}
	return out
}

// sourceField resolves a mapping's Salesforce side: a field of the object
// or one of a parent's (Owner.Name).
func (k *dataChecker) sourceField(name string) (*FieldDescribe, bool) {
	head, tail, dotted := strings.Cut(name, ".")
	if !dotted {
		return k.d.Field(name)
	}
	rel, ok := k.d.Relationship(head)
	if !ok || len(rel.ReferenceTo) == 0 || strings.Contains(tail, ".") {
		return nil, false
	}
	return k.ds[rel.ReferenceTo[0]].Field(tail)
}

// filterProblem is a filter error as a health problem.
func filterProblem(fe *FilterError) crossview.HealthProblem {
	title := fmt.Sprintf("%s filter: %s", fe.Object, fe.Reason)
	if fe.Field != "" {
		title = fmt.Sprintf("%s filter on %s: %s", fe.Object, fe.Field, fe.Reason)
	}
	fix := map[string]string{
		FilterFieldMissing:       "Correct the field's API name in the filter, or give the connected user read access to it.",
		FilterFieldNotFilterable: "Filter on another field: long and rich text areas and encrypted fields cannot be filtered.",
		FilterOperator:           "Choose an operator the field's type takes.",
		FilterValue:              "Correct the value in the filter.",
		FilterPicklistValue:      "Use one of the picklist's values (Setup → Object Manager shows them).",
		FilterGroupInvalid:       "Correct the group in the filter.",
		FilterTooLong:            "Shorten the filter.",
	}[fe.Code]
	return problem(fe.Code, title,
		fmt.Sprintf("Salesforce cannot run the %s filter as written, so %s sync stops until it is fixed.", fe.Object, fe.Object), fix, true)
}
