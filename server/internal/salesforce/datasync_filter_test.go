package salesforce_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// filterOrg is an org with six Accounts whose fields differ in every way a
// filter can test, by name.
func filterOrg(tb testing.TB) (*dsFixture, map[string]string) {
	tb.Helper()
	f := newDSFixture(tb, salesforcetest.Options{})
	for _, spec := range []salesforcetest.FieldSpec{
		{Name: "Active__c", Type: "boolean"},
		{Name: "Renewal__c", Type: "date"},
		{Name: "Tier__c", Type: "picklist", Picklist: []string{"Gold", "Silver", "Bronze"}},
	} {
		if err := f.org.AddField("Account", spec); err != nil {
			tb.Fatal(err)
		}
	}
	old, recent := dsT0.Add(-48*time.Hour), dsT0.Add(-time.Hour)
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	seed := map[string]map[string]any{
		"Acme Corp": {"Type": "Customer - Direct", "Industry": "Technology", "AnnualRevenue": 5000000.0, "NumberOfEmployees": 250,
			"BillingCountry": "US", "Active__c": true, "Renewal__c": day("2026-12-01"), "Tier__c": "Gold", "CreatedDate": old},
		"Globex": {"Type": "Prospect", "Industry": "Manufacturing", "AnnualRevenue": 800000.0, "NumberOfEmployees": 40,
			"BillingCountry": "DE", "Active__c": false, "Renewal__c": day("2027-03-01"), "Tier__c": "Silver", "CreatedDate": old},
		"Initech": {"Type": "Customer - Channel", "Industry": "Technology", "AnnualRevenue": 1200000.0, "NumberOfEmployees": 90,
			"BillingCountry": "US", "Active__c": true, "CreatedDate": old},
		"Umbrella": {"Type": "Customer - Direct", "Industry": "Healthcare", "NumberOfEmployees": 5000,
			"BillingCountry": "GB", "Active__c": true, "Renewal__c": day("2026-01-15"), "Tier__c": "Gold", "CreatedDate": recent},
		`O'Brien & Sons_ 100% \ "quoted"`: {"Type": "Other", "Industry": "Retail", "AnnualRevenue": 50000.0, "NumberOfEmployees": 3,
			"BillingCountry": "IE", "Active__c": false, "Renewal__c": day("2026-06-30"), "CreatedDate": recent},
		"Acme Labs": {"Type": "Prospect", "Industry": "Technology", "AnnualRevenue": 2000000.0, "NumberOfEmployees": 12,
			"BillingCountry": "US", "Active__c": false, "Tier__c": "Bronze", "CreatedDate": recent},
	}
	byID := map[string]string{}
	for name, fields := range seed {
		fields["Name"] = name
		byID[f.insert(tb, "Account", fields)] = name
	}
	return f, byID
}

func cond(field, op, value string, values ...string) crossview.FilterCondition {
	return crossview.FilterCondition{Field: field, Operator: op, Value: value, Values: values}
}

func and(cs []crossview.FilterCondition, gs ...crossview.FilterGroup) crossview.FilterGroup {
	return crossview.FilterGroup{Op: "and", Conditions: cs, Groups: gs}
}

func or(cs []crossview.FilterCondition, gs ...crossview.FilterGroup) crossview.FilterGroup {
	return crossview.FilterGroup{Op: "or", Conditions: cs, Groups: gs}
}

func conds(cs ...crossview.FilterCondition) []crossview.FilterCondition { return cs }

const obrien = `O'Brien & Sons_ 100% \ "quoted"`

// TestFilterKeepsExactlyTheRecordsItShould runs each filter against the
// emulated org, through Page and Count, and compares what comes back.
func TestFilterKeepsExactlyTheRecordsItShould(t *testing.T) {
	f, byID := filterOrg(t)
	f.clock.Set(dsT0)
	cases := []struct {
		name   string
		filter crossview.FilterGroup
		want   []string
	}{
		{"nested AND inside OR inside AND",
			or(nil,
				and(conds(cond("Industry", "=", "Technology")),
					or(conds(cond("AnnualRevenue", ">=", "1000000"), cond("NumberOfEmployees", ">", "100")))),
				and(conds(cond("Type", "=", "Customer - Direct"), cond("BillingCountry", "=", "GB")))),
			[]string{"Acme Corp", "Initech", "Umbrella", "Acme Labs"}},
		{"three levels deep",
			and(conds(cond("Active__c", "=", "false")),
				or(nil,
					and(conds(cond("Industry", "=", "Technology"), cond("NumberOfEmployees", "<", "20"))),
					and(conds(cond("Type", "not in", "", "Prospect"), cond("BillingCountry", "!=", "US"))))),
			[]string{obrien, "Acme Labs"}},
		{"more than three conditions in each kind of group",
			and(conds(cond("NumberOfEmployees", ">=", "1"), cond("NumberOfEmployees", "<=", "5000"), cond("Name", "!=", "Globex"),
				cond("BillingCountry", "in", "", "US", "GB", "IE", "DE")),
				or(conds(cond("Tier__c", "=", "Gold"), cond("Tier__c", "=", "Bronze"), cond("Industry", "=", "Retail"), cond("Industry", "=", "Manufacturing")))),
			[]string{"Acme Corp", "Umbrella", obrien, "Acme Labs"}},
		{"like", or(conds(cond("Name", "like", "acme%"))), []string{"Acme Corp", "Acme Labs"}},
		{"not like", and(conds(cond("Name", "NOT LIKE", "Acme%"))), []string{"Globex", "Initech", "Umbrella", obrien}},
		{"a name with quotes, backslash and wildcards", and(conds(cond("Name", "=", obrien))), []string{obrien}},
		{"like with a quote in it", and(conds(cond("Name", "like", "O'Brien &%"))), []string{obrien}},
		{"is null", and(conds(cond("Renewal__c", "is null", ""))), []string{"Initech", "Acme Labs"}},
		{"is not null", and(conds(cond("AnnualRevenue", "is not null", ""))), []string{"Acme Corp", "Globex", "Initech", obrien, "Acme Labs"}},
		{"dates", and(conds(cond("Renewal__c", "<", "2026-07-01"))), []string{"Umbrella", obrien}},
		{"date-times", and(conds(cond("CreatedDate", ">", "2026-11-24T00:00:00Z"))), []string{"Umbrella", obrien, "Acme Labs"}},
		{"date-time with an offset", and(conds(cond("CreatedDate", "<", "2026-11-24T01:00:00+01:00"))), []string{"Acme Corp", "Globex", "Initech"}},
		{"a date literal", and(conds(cond("CreatedDate", "=", "last_n_days:1"))), []string{"Umbrella", obrien, "Acme Labs"}},
		{"numbers in a list", and(conds(cond("NumberOfEmployees", "in", "", "3", "40"))), []string{"Globex", obrien}},
		{"amounts with decimals", and(conds(cond("AnnualRevenue", ">", "999999.99"))), []string{"Acme Corp", "Initech", "Acme Labs"}},
		{"!= keeps the nulls, as SOQL does", and(conds(cond("Tier__c", "!=", "Gold"))), []string{"Globex", "Initech", obrien, "Acme Labs"}},
		{"picklist values without regard to case", or(conds(cond("Industry", "in", "", "technology", "RETAIL"))),
			[]string{"Acme Corp", "Initech", obrien, "Acme Labs"}},
		{"booleans", and(conds(cond("Active__c", "=", "TRUE"), cond("Type", "=", "Customer - Direct"))), []string{"Acme Corp", "Umbrella"}},
		{"an empty filter keeps everything", crossview.FilterGroup{Op: "and"},
			[]string{"Acme Corp", "Globex", "Initech", "Umbrella", obrien, "Acme Labs"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := f.src.Page(f.ctx, f.conn, "Account", "", []string{"Name"}, &tc.filter, 100)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, byID[r.ID])
			}
			if !slices.Equal(sortedCopy(got), sortedCopy(tc.want)) {
				t.Errorf("kept %q, want %q", sortedCopy(got), sortedCopy(tc.want))
			}
			n, err := f.src.Count(f.ctx, f.conn, "Account", &tc.filter)
			if err != nil || n != len(tc.want) {
				t.Errorf("count %d %v, want %d", n, err, len(tc.want))
			}
		})
	}
}

func TestFilterRefusesWhatSalesforceWouldNot(t *testing.T) {
	f, _ := filterOrg(t)
	cases := []struct {
		name   string
		filter crossview.FilterGroup
		code   string
		reason string
	}{
		{"an unknown field", and(conds(cond("Nope__c", "=", "x"))), salesforce.FilterFieldMissing, `Account has no field "Nope__c"`},
		{"a related record's field", and(conds(cond("Parent.Name", "=", "x"))), salesforce.FilterFieldMissing, "not a related record's"},
		{"a long text area", and(conds(cond("Description", "=", "x"))), salesforce.FilterFieldNotFilterable, "cannot filter on Description"},
		{"like on a number", and(conds(cond("NumberOfEmployees", "like", "1%"))), salesforce.FilterOperator, "like works on text only"},
		{"like on a picklist", and(conds(cond("Industry", "like", "Tech%"))), salesforce.FilterOperator, "compare it with =, !=, in or not in"},
		{"< on a boolean", and(conds(cond("Active__c", ">", "true"))), salesforce.FilterOperator, "compare it with = or !="},
		{"< on an id", and(conds(cond("ParentId", "<", "001Dx0000000001AAA"))), salesforce.FilterOperator, "compare it with ="},
		{"an unknown operator", and(conds(cond("Name", "~=", "x"))), salesforce.FilterOperator, `"~=" is not an operator`},
		{"a value the picklist lacks", and(conds(cond("Industry", "=", "Tech"))), salesforce.FilterPicklistValue, `"Tech" is not a value of the Industry picklist`},
		{"text for a number", and(conds(cond("NumberOfEmployees", "=", "12 OR Name != null"))), salesforce.FilterValue, "is not a whole number"},
		{"a fraction for a whole number", and(conds(cond("NumberOfEmployees", "=", "1.5"))), salesforce.FilterValue, "is not a whole number"},
		{"an exponent", and(conds(cond("AnnualRevenue", ">", "1e6"))), salesforce.FilterValue, "is not a number"},
		{"a date that is not one", and(conds(cond("Renewal__c", "=", "2026-13-01"))), salesforce.FilterValue, "is not a date"},
		{"a date for a date-time", and(conds(cond("CreatedDate", ">", "2026-01-01"))), salesforce.FilterValue, "is not a date and time"},
		{"fractions of a second", and(conds(cond("CreatedDate", ">", "2026-01-01T00:00:00.5Z"))), salesforce.FilterValue, "fractions of a second"},
		{"an unknown date literal", and(conds(cond("CreatedDate", "=", "LAST_N_DAYS"))), salesforce.FilterValue, "is not a date and time"},
		{"an id that is not one", and(conds(cond("ParentId", "=", "abc"))), salesforce.FilterValue, "is not a Salesforce id"}, {"an id whose checksum is wrong", and(conds(cond("ParentId", "=", "001Dx0000000001ZZZ"))), salesforce.FilterValue, "is not a Salesforce id"},
		{"a boolean that is not one", and(conds(cond("Active__c", "=", "yes"))), salesforce.FilterValue, "is not true or false"},
		{"in without values", and(conds(cond("Type", "in", ""))), salesforce.FilterValue, "in needs at least one value"},
		{"a comparison without a value", and(conds(cond("Name", "=", " "))), salesforce.FilterValue, "use is null"},
		{"a group that is neither and nor or", crossview.FilterGroup{Op: "xor", Conditions: conds(cond("Name", "=", "x"))}, salesforce.FilterGroupInvalid, `not "xor"`},
		{"an empty nested group", and(conds(cond("Name", "=", "x")), crossview.FilterGroup{Op: "or"}), salesforce.FilterGroupInvalid, "no conditions"},
		{"a filter too long for a query", and(conds(cond("Name", "in", "", slices.Repeat([]string{"a long account name to fill the URL"}, 600)...))),
			salesforce.FilterTooLong, "too long"},
	}
	before := f.org.Stats().Calls
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.src.Page(f.ctx, f.conn, "Account", "", nil, &tc.filter, 10)
			var fe *salesforce.FilterError
			if !errors.As(err, &fe) || fe.Code != tc.code || !strings.Contains(fe.Error(), tc.reason) {
				t.Errorf("%v, want a %s FilterError saying %q", err, tc.code, tc.reason)
			}
		})
	}
	// The describe was read once; nothing was queried.
	if calls := f.callsSince(before); calls["query"] != 0 || calls["composite"] != 1 {
		t.Errorf("calls %v, want one describe and no query", calls)
	}
}

func TestALongFilterStaysUnderTheURILimit(t *testing.T) {
	f, _ := filterOrg(t)
	// Near the longest filter compiled: its query must still fit the
	// 16,384 bytes Salesforce takes in a URI and headers.
	names := slices.Repeat([]string{"a long account name to fill the URL"}, 260)
	g := and(conds(cond("Name", "in", "", append(names, "Globex")...)))
	recs, err := f.src.Page(f.ctx, f.conn, "Account", "", []string{"Name", "Type", "Industry", "BillingCountry", "AnnualRevenue"}, &g, 10)
	if err != nil || len(recs) != 1 {
		t.Fatalf("%d records, %v; want Globex", len(recs), err)
	}
}

// TestFiltersShareDescribesSafely runs filtered reads of one connection
// at once, as pollers of several objects do (run with -race).
func TestFiltersShareDescribesSafely(t *testing.T) {
	f, _ := filterOrg(t)
	g := and(conds(cond("Industry", "=", "Technology")))
	// Related reads the describes without looking into them; the reads
	// below then share them.
	if err := f.src.Related(f.ctx, f.conn, []crossview.SFRecord{{Object: "Contact", ID: "003Dx0000000001AAA"}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			recs, err := f.src.Page(f.ctx, f.conn, "Account", "", nil, &g, 10)
			if err == nil && len(recs) != 3 {
				err = fmt.Errorf("%d records, want 3", len(recs))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
