package salesforce

import (
	"errors"
	"slices"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

// TestMappingTableIsTheOfficialOne checks the compatibility table type by
// type, including the types the emulated org has no field of
// (multi-select picklists, encrypted text, percent, time).
func TestMappingTableIsTheOfficialOne(t *testing.T) {
	zendesk := []string{"text", "textarea", "dropdown", "decimal", "checkbox", "date", "integer", "regexp", "lookup", "multiselect"}
	text := []string{"text", "textarea"}
	cases := []struct {
		field FieldDescribe
		fits  []string // nil: not mappable at all
	}{
		{FieldDescribe{Name: "Id", Type: "id"}, text},
		{FieldDescribe{Name: "Name", Type: "string", Length: 255}, text},
		{FieldDescribe{Name: "Phone", Type: "phone"}, text},
		{FieldDescribe{Name: "Email", Type: "email"}, text},
		{FieldDescribe{Name: "Regions__c", Type: "multipicklist"}, text},
		{FieldDescribe{Name: "Short__c", Type: "textarea", Length: 255}, text},
		{FieldDescribe{Name: "Industry", Type: "picklist"}, append(slices.Clone(text), "dropdown")},
		{FieldDescribe{Name: "AnnualRevenue", Type: "currency"}, append(slices.Clone(text), "decimal")},
		{FieldDescribe{Name: "Score__c", Type: "double"}, append(slices.Clone(text), "decimal")},
		{FieldDescribe{Name: "Active__c", Type: "boolean"}, append(slices.Clone(text), "checkbox")},
		{FieldDescribe{Name: "Renewal__c", Type: "date"}, append(slices.Clone(text), "date")},
		{FieldDescribe{Name: "CreatedDate", Type: "datetime"}, append(slices.Clone(text), "date")},
		{FieldDescribe{Name: "NumberOfEmployees", Type: "int"}, append(slices.Clone(text), "integer")},
		{FieldDescribe{Name: "Description", Type: "textarea", Length: 32000}, nil},
		{FieldDescribe{Name: "Rich__c", Type: "textarea", Length: 32768}, nil},
		{FieldDescribe{Name: "SSN__c", Type: "encryptedstring", Length: 175}, nil},
		{FieldDescribe{Name: "OwnerId", Type: "reference", RelationshipName: "Owner"}, nil},
		{FieldDescribe{Name: "RecordTypeId", Type: "reference", RelationshipName: "RecordType"}, nil},
		{FieldDescribe{Name: "BillingAddress", Type: "address"}, nil},
		{FieldDescribe{Name: "Opens__c", Type: "time"}, nil},
	}
	for _, tc := range cases {
		why := unmappableField(&tc.field)
		if (why != "") != (tc.fits == nil) {
			t.Errorf("%s (%s): unmappable %q, want mappable %v", tc.field.Name, tc.field.Type, why, tc.fits != nil)
			continue
		}
		if tc.fits == nil {
			continue
		}
		for _, z := range zendesk {
			if got := slices.Contains(zendeskFits[tc.field.Type], z); got != slices.Contains(tc.fits, z) {
				t.Errorf("%s (%s) → Zendesk %s: fits %v, want %v", tc.field.Name, tc.field.Type, z, got, !got)
			}
		}
	}
}

// TestFilterOnTypesTheEmulatorLacks covers multi-select picklists,
// encrypted text and percentages.
func TestFilterOnTypesTheEmulatorLacks(t *testing.T) {
	d := &ObjectDescribe{Name: "Account", Fields: []FieldDescribe{
		{Name: "Regions__c", Type: "multipicklist", Filterable: true, PicklistValues: []PicklistValue{{Value: "EMEA", Active: true}, {Value: "APAC", Active: true}}},
		{Name: "SSN__c", Type: "encryptedstring", Filterable: false},
		{Name: "Share__c", Type: "percent", Filterable: true},
		{Name: "Opens__c", Type: "time", Filterable: true},
	}}
	ok := map[string]crossview.FilterCondition{
		"Regions__c = 'EMEA;APAC'": {Field: "Regions__c", Operator: "=", Value: "EMEA;APAC"},
		"Share__c >= 12.5":         {Field: "Share__c", Operator: ">=", Value: "12.5"},
	}
	for want, c := range ok {
		got, err := CompileFilter(d, &crossview.FilterGroup{Op: "and", Conditions: []crossview.FilterCondition{c}})
		if err != nil || got != want {
			t.Errorf("%+v: %q %v, want %q", c, got, err, want)
		}
	}
	bad := map[string]crossview.FilterCondition{
		FilterPicklistValue:      {Field: "Regions__c", Operator: "=", Value: "EMEA;LATAM"},
		FilterOperator:           {Field: "Regions__c", Operator: "like", Value: "EM%"},
		FilterFieldNotFilterable: {Field: "SSN__c", Operator: "=", Value: "x"},
	}
	for code, c := range bad {
		_, err := CompileFilter(d, &crossview.FilterGroup{Op: "and", Conditions: []crossview.FilterCondition{c}})
		var fe *FilterError
		if !errors.As(err, &fe) || fe.Code != code {
			t.Errorf("%+v: %v, want %s", c, err, code)
		}
	}
	if _, err := CompileFilter(d, &crossview.FilterGroup{Op: "and", Conditions: []crossview.FilterCondition{{Field: "Opens__c", Operator: "=", Value: "10:00:00.000Z"}}}); err == nil {
		t.Errorf("a time field was filtered")
	}
}
