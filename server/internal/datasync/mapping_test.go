package datasync

import (
	"slices"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

// A value map applies to tags as to dropdowns: each picklist value of a
// multi-picklist becomes its mapped tag; unmapped values stay as tags.
func TestValueMapsApplyToTags(t *testing.T) {
	ob := objectSync{object: objAccount, sync: crossview.ObjectSync{Mappings: []crossview.DataMapping{
		{Salesforce: "Name", Zendesk: "name"},
		{Salesforce: "Regions__c", Zendesk: "tags", Values: map[string]string{"North America": "na", "EMEA": "emea_region"}},
	}}}
	r := crossview.SFRecord{ID: "001A", Fields: map[string]any{"Name": "Globex", "Regions__c": "North America;EMEA;APAC"}}
	w, _ := orgWrite(crossview.DefaultDataSyncSettings(), ob, r, fieldTypes{})
	if want := []string{"na", "emea_region", "apac"}; !slices.Equal(w.Tags, want) {
		t.Errorf("tags %q, want %q", w.Tags, want)
	}
	ob.object = objContact
	u, _ := userWrite(crossview.DefaultDataSyncSettings(), ob, r, fieldTypes{})
	if want := []string{"na", "emea_region", "apac"}; !slices.Equal(u.Tags, want) {
		t.Errorf("user tags %q, want %q", u.Tags, want)
	}
}
