package salesforce_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// orgFields are a Zendesk account's custom organization fields.
var orgFields = []crossview.ZendeskField{
	{Key: "tier", Type: "dropdown", Options: []string{"gold", "silver"}},
	{Key: "plan", Type: "dropdown", Options: []string{"basic", "pro"}},
	{Key: "active", Type: "checkbox"},
	{Key: "renewal", Type: "date"},
	{Key: "revenue", Type: "decimal"},
	{Key: "employees", Type: "integer"},
	{Key: "industry_text", Type: "text"},
}

func checkFixture(t *testing.T) *dsFixture {
	t.Helper()
	f, _ := filterOrg(t)
	if err := f.org.AddField("Account", salesforcetest.FieldSpec{Name: "Notes__c", Type: "textarea", HTML: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

func m(sf, zd string) crossview.DataMapping {
	return crossview.DataMapping{Salesforce: sf, Zendesk: zd}
}

func TestCheckObjectPassesGoodSettings(t *testing.T) {
	f := checkFixture(t)
	tier := m("Tier__c", "organization_fields.tier")
	tier.Values = map[string]string{"Bronze": "silver"} // Gold and Silver are options as they are
	sync := crossview.ObjectSync{On: true, Mappings: []crossview.DataMapping{
		m("Name", "name"), m("Website", "domain_names"), tier, m("Active__c", "organization_fields.active"),
		m("Renewal__c", "organization_fields.renewal"), m("AnnualRevenue", "organization_fields.revenue"),
		m("NumberOfEmployees", "organization_fields.employees"), m("Industry", "organization_fields.industry_text"),
		m("Industry", "tags"), m("Type", "tags"), m("CreatedDate", "notes"), m("Owner.Name", "details"),
	}, Filter: &crossview.FilterGroup{Op: "or", Conditions: []crossview.FilterCondition{{Field: "Industry", Operator: "in", Values: []string{"Technology", "Retail"}}}}}
	problems, err := f.src.CheckObject(f.ctx, f.conn, "Account", sync, orgFields)
	if err != nil || len(problems) != 0 {
		t.Fatalf("problems %+v %v, want none", problems, err)
	}
}

func TestCheckObjectNamesEachProblem(t *testing.T) {
	f := checkFixture(t)
	plan := m("Industry", "organization_fields.plan")
	plan.Values = map[string]string{"Technology": "enterprise", "Retail": "basic"}
	sync := crossview.ObjectSync{On: true, Mappings: []crossview.DataMapping{
		m("Name", "name"),
		m("Nope__c", "details"),
		m("Description", "notes"),
		m("Notes__c", "notes"),
		m("ParentId", "details"),
		m("Active__c", "organization_fields.revenue"),
		m("NumberOfEmployees", "organization_fields.tier"),
		m("Name", "organization_fields.ghost"),
		m("Name", "user_fields.plan"),
		m("Owner.Nope", "details"),
		plan,
		m("Phone", "name"),
	}, Filter: &crossview.FilterGroup{Op: "and", Conditions: []crossview.FilterCondition{
		{Field: "Industry", Operator: "=", Value: "Tech"}, {Field: "Description", Operator: "like", Value: "x%"},
	}}}
	problems, err := f.src.CheckObject(f.ctx, f.conn, "Account", sync, orgFields)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code, title string
		blocking    bool
	}{
		{salesforce.DataSyncMappingMissing, "Mapped field Account.Nope__c does not exist", true},
		{salesforce.DataSyncMappingMissing, "Mapped field Account.Owner.Nope does not exist", true},
		{salesforce.DataSyncMappingUnmappable, "Account.Description cannot be mapped", true},
		{salesforce.DataSyncMappingUnmappable, "Account.Notes__c cannot be mapped", true},
		{salesforce.DataSyncMappingUnmappable, "Account.ParentId cannot be mapped", true},
		{salesforce.DataSyncMappingType, "Account.Active__c (boolean) cannot go to Zendesk organization_fields.revenue (decimal)", true},
		{salesforce.DataSyncMappingType, "Account.NumberOfEmployees (int) cannot go to Zendesk organization_fields.tier (dropdown)", true},
		{salesforce.DataSyncMappingTarget, `Account.Name is mapped to "organization_fields.ghost", which is no Zendesk organization field`, true},
		{salesforce.DataSyncMappingTarget, `Account.Name is mapped to "user_fields.plan", which is no Zendesk organization field`, true},
		{salesforce.DataSyncMappingOption, "Account.Industry → organization_fields.plan: the value map names options the dropdown lacks", true},
		{salesforce.DataSyncMappingPicklist, "Account.Industry → organization_fields.plan: 30 picklist values have no dropdown option", false},
		{salesforce.DataSyncMappingDuplicate, "Zendesk name is mapped from both Account.Name and Account.Phone", false},
		{salesforce.FilterPicklistValue, `Account filter on Industry: "Tech" is not a value of the Industry picklist`, true},
		{salesforce.FilterFieldNotFilterable, "Account filter on Description: Salesforce cannot filter on Description (a text area)", true},
	}
	for _, w := range want {
		i := slices.IndexFunc(problems, func(p crossview.HealthProblem) bool { return p.Code == w.code && p.Title == w.title })
		if i < 0 {
			t.Errorf("no %s problem %q", w.code, w.title)
			continue
		}
		if p := problems[i]; p.Blocking != w.blocking || p.Fix == "" || p.Message == "" {
			t.Errorf("%+v: want blocking %v, a message and a fix", p, w.blocking)
		}
	}
	if len(problems) != len(want) {
		for _, p := range problems {
			t.Logf("%s: %s", p.Code, p.Title)
		}
		t.Errorf("%d problems, want %d", len(problems), len(want))
	}
	if !problems[0].Blocking || problems[len(problems)-1].Blocking {
		t.Errorf("blocking problems come first")
	}
	// The lookup's fix names what to map instead.
	i := slices.IndexFunc(problems, func(p crossview.HealthProblem) bool { return strings.Contains(p.Title, "ParentId") })
	if !strings.Contains(problems[i].Message, "Parent.Name") {
		t.Errorf("lookup: %q, want it to suggest Parent.Name", problems[i].Message)
	}
}

func TestCheckObjectNeedsTheFieldsEveryReadSelects(t *testing.T) {
	f := newDSFixture(t, salesforcetest.Options{})
	if err := f.org.SetFieldAccess(f.admin.ID, "Contact", "AccountId", salesforcetest.FieldHidden); err != nil {
		t.Fatal(err)
	}
	problems, err := f.src.CheckObject(f.ctx, f.conn, "Contact", crossview.DefaultDataSyncSettings().Contacts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Code != salesforce.DataSyncFieldHidden || !problems[0].Blocking ||
		problems[0].Title != "admin@acme.example cannot read Contact.AccountId" {
		t.Errorf("problems %+v, want Contact.AccountId hidden", problems)
	}
	// A user field on the user side is found there.
	sync := crossview.ObjectSync{Mappings: []crossview.DataMapping{m("Email", "email"), m("Title", "user_fields.title"), m("Phone", "phone")}}
	problems, err = f.src.CheckObject(f.ctx, f.conn, "Lead", sync, []crossview.ZendeskField{{Key: "title", Type: "text"}})
	if err != nil || len(problems) != 0 {
		t.Errorf("Lead: %+v %v, want no problems", problems, err)
	}
}

// TestCheckObjectChecksStandardTargets: Zendesk's own user and
// organization fields take only the Salesforce types that make sense
// there, and external_id, always the Salesforce id, is refused by name.
func TestCheckObjectChecksStandardTargets(t *testing.T) {
	f := checkFixture(t)
	lead := crossview.ObjectSync{Mappings: []crossview.DataMapping{
		m("Email", "email"), m("Phone", "phone"), m("Title", "name"),
		m("IsConverted", "email"), m("CreatedDate", "phone"), m("Email", "phone"), m("Industry", "tags"),
		m("Id", "external_id"), m("Company", "tags"),
	}}
	problems, err := f.src.CheckObject(f.ctx, f.conn, "Lead", lead, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		salesforce.DataSyncMappingType + ": Lead.IsConverted (boolean) cannot go to Zendesk email",
		salesforce.DataSyncMappingType + ": Lead.CreatedDate (datetime) cannot go to Zendesk phone",
		salesforce.DataSyncMappingType + ": Lead.Email (email) cannot go to Zendesk phone",
		salesforce.DataSyncMappingExternalID + ": Lead.Id is mapped to external_id, which is always the Salesforce id",
	}
	if got := problemCodes(problems); !sameSet(got, want) {
		t.Errorf("Lead problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, p := range problems {
		if !p.Blocking || p.Message == "" || p.Fix == "" {
			t.Errorf("%+v: want blocking, a message and a fix", p)
		}
		if p.Code == salesforce.DataSyncMappingType && !strings.Contains(p.Message, "Zendesk email takes") && !strings.Contains(p.Message, "Zendesk phone takes") {
			t.Errorf("%q: want it to name what the Zendesk field takes", p.Message)
		}
	}
	account := crossview.ObjectSync{Mappings: []crossview.DataMapping{
		m("Website", "domain_names"), m("AnnualRevenue", "domain_names"), m("NumberOfEmployees", "tags"), m("Name", "external_id"),
	}}
	problems, err = f.src.CheckObject(f.ctx, f.conn, "Account", account, orgFields)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		salesforce.DataSyncMappingType + ": Account.AnnualRevenue (currency) cannot go to Zendesk domain_names",
		salesforce.DataSyncMappingType + ": Account.NumberOfEmployees (int) cannot go to Zendesk tags",
		salesforce.DataSyncMappingExternalID + ": Account.Name is mapped to external_id, which is always the Salesforce id",
	}
	if got := problemCodes(problems); !sameSet(got, want) {
		t.Errorf("Account problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
