package main

import (
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// filterAccount is an Account seeded for the filter test.
type filterAccount struct {
	name, industry, typ, country string
	revenue                      float64 // 0: none
	employees                    int
}

func filterAccounts() []filterAccount {
	return []filterAccount{
		{"Tech Big US", "Technology", "Customer - Direct", "United States", 5e6, 500},
		{"Tech Small US", "Technology", "Prospect", "United States", 2e5, 20},
		{"Tech No Revenue", "Technology", "Prospect", "United States", 0, 5},
		{"Retail Big DE", "Retail", "Customer - Channel", "Germany", 3e6, 800},
		{"Retail Small DE", "Retail", "Technology Partner", "Germany", 1e5, 10},
		{"O'Brien Retail", "Retail", "Customer - Direct", "Ireland", 1.5e6, 120},
		{"Bank Big FR", "Banking", "Customer - Direct", "France", 9e6, 2000},
		{"Energy Partner UK", "Energy", "Installation Partner", "United Kingdom", 4e5, 50},
		{"Shipping Tiny NL", "Shipping", "Other", "Netherlands", 5e4, 3},
	}
}

// A filter with nested AND/OR groups keeps exactly the Accounts it
// should, end to end: written as an admin writes it, compiled for the
// org, the backfill's count and writes, and later changes moving a record
// into scope (written) or out of it (left alone).
func TestDataSyncNestedFilters(t *testing.T) {
	for _, tc := range []struct {
		name, filter string
		want         []string
	}{
		{"an OR group inside an AND",
			"(Industry = 'Technology' OR Industry = 'Retail') AND AnnualRevenue >= 1000000",
			[]string{"Tech Big US", "Retail Big DE", "O'Brien Retail"}},
		{"an AND group inside an OR, with an OR inside it",
			"Industry = 'Technology' OR (Industry = 'Retail' AND (BillingCountry = 'Germany' OR NumberOfEmployees < 20))",
			[]string{"Tech Big US", "Tech Small US", "Tech No Revenue", "Retail Big DE", "Retail Small DE"}},
		{"IN, LIKE and IS NULL",
			"(Type IN ('Customer - Direct', 'Customer - Channel') AND Name LIKE '%Big%') OR AnnualRevenue IS NULL",
			[]string{"Tech Big US", "Tech No Revenue", "Retail Big DE", "Bank Big FR"}},
		{"a quote in a value, NOT IN and a comparison, three groups deep",
			`Name = 'O\'Brien Retail' OR (Industry NOT IN ('Technology', 'Retail', 'Banking') AND (NumberOfEmployees > 10 OR BillingCountry = 'Netherlands'))`,
			[]string{"O'Brien Retail", "Energy Partner UK", "Shipping Tiny NL"}},
		{"no filter", "", []string{"Tech Big US", "Tech Small US", "Tech No Revenue", "Retail Big DE", "Retail Small DE",
			"O'Brien Retail", "Bank Big FR", "Energy Partner UK", "Shipping Tiny NL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newDataWorld(t, "")
			ids := map[string]string{}
			for _, a := range filterAccounts() {
				fields := map[string]any{"Name": a.name, "Industry": a.industry, "Type": a.typ, "BillingCountry": a.country, "NumberOfEmployees": a.employees}
				if a.revenue > 0 {
					fields["AnnualRevenue"] = a.revenue
				}
				ids[a.name] = w.insert("Account", fields)
			}
			filter, err := crossview.ParseFilter(tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			w.configure(func(s *crossview.DataSyncSettings) {
				s.Accounts = crossview.ObjectSync{On: true, Mappings: []crossview.DataMapping{{Salesforce: "Name", Zendesk: "name"}}, Filter: filter}
				s.Contacts.On, s.PollSeconds = false, 2
			})
			w.enable(crossview.FeatureAccountSync)
			st := w.backfilled(30 * time.Second)
			if b := st.Objects[0].Backfill; b.Total != len(tc.want) || b.Done != len(tc.want) {
				t.Errorf("backfill counted %d and wrote %d, want %d", b.Total, b.Done, len(tc.want))
			}
			if got := orgNames(w); !slices.Equal(got, sorted(tc.want)) {
				t.Fatalf("organizations:\n got %q\nwant %q", got, sorted(tc.want))
			}
			if tc.filter == "" || tc.name != "an OR group inside an AND" {
				return
			}
			// Into scope: written. Out of scope: Zendesk keeps what it had.
			w.update("Account", ids["Tech Small US"], map[string]any{"AnnualRevenue": 2e6})
			w.update("Account", ids["Retail Big DE"], map[string]any{"AnnualRevenue": 10, "Name": "Retail Shrunk DE"})
			want := sorted(append(tc.want, "Tech Small US"))
			waitUntil(t, "the Account that came into scope", 8*time.Second, func() (bool, string) {
				got := orgNames(w)
				return slices.Equal(got, want), fmt.Sprint(got)
			})
			time.Sleep(3 * time.Second) // another poll
			if got := orgNames(w); !slices.Equal(got, want) {
				t.Errorf("after an Account left the scope, organizations are %q, want %q", got, want)
			}
		})
	}
}

func orgNames(w *dataWorld) []string {
	var out []string
	for _, o := range w.orgs() {
		out = append(out, o.Name)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}
