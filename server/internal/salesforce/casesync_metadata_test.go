package salesforce_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// metadataDir is salesforce-lwc's source, from this package.
const metadataDir = "../../../salesforce-lwc/force-app/main/default"

type customField struct {
	FullName      string `xml:"fullName"`
	Type          string `xml:"type"`
	Length        int    `xml:"length"`
	ExternalID    bool   `xml:"externalId"`
	Unique        bool   `xml:"unique"`
	CaseSensitive bool   `xml:"caseSensitive"`
}

// TestMetadataMatchesWhatTheSinkWrites keeps the deployable Case fields
// and the Go code in step: a field the sink writes that the metadata does
// not define (or defines with another type) fails every sync in a real org.
func TestMetadataMatchesWhatTheSinkWrites(t *testing.T) {
	want := map[string]customField{
		crossview.CaseTicketKeyField:         {Type: "Text", Length: 80, ExternalID: true, Unique: true},
		crossview.CaseTicketURLField:         {Type: "Url"},
		crossview.CaseCommentMarkerField:     {Type: "Text", Length: 32},
		salesforce.CaseRequesterNameField:    {Type: "Text", Length: 255},
		salesforce.CaseRequesterEmailField:   {Type: "Email"},
		salesforce.CaseOrganizationNameField: {Type: "Text", Length: 255},
		salesforce.CaseAssigneeNameField:     {Type: "Text", Length: 255},
		salesforce.CaseGroupNameField:        {Type: "Text", Length: 255},
		salesforce.CaseBrandNameField:        {Type: "Text", Length: 255},
		salesforce.CaseFormNameField:         {Type: "Text", Length: 255},
		salesforce.CaseTagsField:             {Type: "Text", Length: 255},
		salesforce.CaseCreatedAtField:        {Type: "DateTime"},
		salesforce.CaseUpdatedAtField:        {Type: "DateTime"},
		salesforce.CaseSolvedAtField:         {Type: "DateTime"},
		salesforce.CaseStatusField:           {Type: "Text", Length: 20},
	}
	files, err := filepath.Glob(filepath.Join(metadataDir, "objects", "Case", "fields", "*.field-meta.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Case field metadata under %s: %v", metadataDir, err)
	}
	got := map[string]customField{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f customField
		if err := xml.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if name := strings.TrimSuffix(filepath.Base(file), ".field-meta.xml"); f.FullName != name {
			t.Errorf("%s names itself %s", file, f.FullName)
		}
		name := f.FullName
		f.FullName = ""
		got[name] = f
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Case fields (-the sink writes +the metadata defines):\n%s", d)
	}

	set, err := os.ReadFile(filepath.Join(metadataDir, "permissionsets", salesforce.PermissionSetTicketSync+".permissionset-meta.xml"))
	if err != nil {
		t.Fatalf("the %s permission set the Check fix names: %v", salesforce.PermissionSetTicketSync, err)
	}
	var ps struct {
		Fields []struct {
			Field    string `xml:"field"`
			Readable bool   `xml:"readable"`
			Editable bool   `xml:"editable"`
		} `xml:"fieldPermissions"`
	}
	if err := xml.Unmarshal(set, &ps); err != nil {
		t.Fatal(err)
	}
	var granted, names []string
	for _, f := range ps.Fields {
		if f.Readable && f.Editable {
			granted = append(granted, f.Field)
		}
	}
	for name := range want {
		names = append(names, "Case."+name)
	}
	sort.Strings(granted)
	sort.Strings(names)
	if d := cmp.Diff(names, granted); d != "" {
		t.Errorf("fields the permission set lets its user read and edit (-want +got):\n%s", d)
	}
}
