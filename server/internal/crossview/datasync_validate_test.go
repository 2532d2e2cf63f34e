package crossview

import (
	"strings"
	"testing"
)

func TestDataSyncSettingsValidate(t *testing.T) {
	if err := DefaultDataSyncSettings().Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	filter, err := ParseFilter("(Industry = 'Tech' OR Industry = 'Retail') AND AnnualRevenue >= 1000000")
	if err != nil {
		t.Fatal(err)
	}
	ok := DefaultDataSyncSettings()
	ok.Accounts.Filter = filter
	ok.Accounts.Mappings = append(ok.Accounts.Mappings, DataMapping{Salesforce: "Website", Zendesk: "domain_names"},
		DataMapping{Salesforce: "Industry", Zendesk: "organization_fields.industry", Values: map[string]string{"Technology": "tech"}})
	ok.Contacts.Mappings = append(ok.Contacts.Mappings, DataMapping{Salesforce: "Owner.Name", Zendesk: "user_fields.owner"})
	ok.OrgMatch = []string{"external_id", "domain", "field:sf_id"}
	ok.OnDelete, ok.DeleteTag, ok.Memberships = "tag", "gone_from_salesforce", "all"
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid settings: %v", err)
	}
	for _, tc := range []struct {
		name, want string
		change     func(*DataSyncSettings)
	}{
		{"an Account to an email", `Zendesk has no "email" here`, func(s *DataSyncSettings) {
			s.Accounts.Mappings = []DataMapping{{Salesforce: "Name", Zendesk: "email"}}
		}},
		{"a Contact to an organization field", `no "organization_fields.tier"`, func(s *DataSyncSettings) {
			s.Contacts.Mappings = []DataMapping{{Salesforce: "Level__c", Zendesk: "organization_fields.tier"}}
		}},
		{"a Contact to external_id", "external_id is always the Contact's Salesforce id", func(s *DataSyncSettings) {
			s.Contacts.Mappings = []DataMapping{{Salesforce: "Id", Zendesk: "external_id"}}
		}},
		{"an injected field", "not a Salesforce field name", func(s *DataSyncSettings) {
			s.Leads.Mappings = []DataMapping{{Salesforce: "Name FROM User--", Zendesk: "name"}}
		}},
		{"an unknown user match", `Unknown user match "phone"`, func(s *DataSyncSettings) { s.UserMatch = []string{"external_id", "phone"} }},
		{"a repeated org match", `names "name" twice`, func(s *DataSyncSettings) { s.OrgMatch = []string{"name", "name"} }},
		{"no user match", "Choose how users are matched", func(s *DataSyncSettings) { s.UserMatch = nil }},
		{"deleting users", "never deleted", func(s *DataSyncSettings) { s.OnDelete = "delete" }},
		{"a tag with a space", "one word", func(s *DataSyncSettings) { s.OnDelete, s.DeleteTag = "tag", "gone now" }},
		{"memberships", `not "some"`, func(s *DataSyncSettings) { s.Memberships = "some" }},
		{"API share", "percentage", func(s *DataSyncSettings) { s.APIShare = 2 }},
		{"a bad operator", `unknown operator "~"`, func(s *DataSyncSettings) {
			s.Leads.Filter = &FilterGroup{Op: "and", Conditions: []FilterCondition{{Field: "Status", Operator: "~", Value: "x"}}}
		}},
	} {
		s := DefaultDataSyncSettings()
		tc.change(&s)
		err := s.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestParseDataMapping(t *testing.T) {
	m, err := ParseDataMapping(" Industry ", "organization_fields.industry", "Technology=tech, Retail = retail ,")
	if err != nil || m.Salesforce != "Industry" || m.Zendesk != "organization_fields.industry" || len(m.Values) != 2 || m.Values["Retail"] != "retail" {
		t.Fatalf("%+v %v", m, err)
	}
	for _, bad := range [][3]string{{"", "name", ""}, {"Name", "", ""}, {"Industry", "tags", "Technology"}, {"Industry", "tags", "=tech"}} {
		if _, err := ParseDataMapping(bad[0], bad[1], bad[2]); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
