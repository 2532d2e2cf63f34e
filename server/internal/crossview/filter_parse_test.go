package crossview

import (
	"strings"
	"testing"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", ""},
		{"Industry = 'Technology'", "Industry = 'Technology'"},
		{"Industry = 'Tech' OR Industry = 'Retail'", "Industry = 'Tech' OR Industry = 'Retail'"},
		{"(Industry = 'Tech' OR Industry = 'Retail') AND AnnualRevenue >= 1000000",
			"AnnualRevenue >= '1000000' AND (Industry = 'Tech' OR Industry = 'Retail')"},
		{"a = 1 OR b = 2 AND c = 3", "a = '1' OR (b = '2' AND c = '3')"},
		{"Type in ('Customer', 'Partner') and Owner.Name != 'O\\'Brien'", "Type IN ('Customer', 'Partner') AND Owner.Name != 'O\\'Brien'"},
		{"Closed__c IS NULL AND Email IS NOT NULL", "Closed__c IS NULL AND Email IS NOT NULL"},
		{"Name LIKE 'Acme%' AND Name NOT LIKE '%test%'", "Name LIKE 'Acme%' AND Name NOT LIKE '%test%'"},
		{"((a = 1) AND ((b = 2 OR c = 3) OR d = 4))", "a = '1' AND (b = '2' OR c = '3' OR d = '4')"},
	}
	for _, tt := range tests {
		g, err := ParseFilter(tt.in)
		if err != nil {
			t.Errorf("ParseFilter(%q): %v", tt.in, err)
			continue
		}
		if got := g.String(); got != tt.want {
			t.Errorf("ParseFilter(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// What String writes, ParseFilter reads back the same.
		again, err := ParseFilter(g.String())
		if err != nil || again.String() != g.String() {
			t.Errorf("round trip of %q: %q, %v", g.String(), again.String(), err)
		}
	}
}

func TestParseFilterRefusesWithAReason(t *testing.T) {
	for in, want := range map[string]string{
		"Industry":                       "needs an operator",
		"Industry =":                     "needs a value",
		"Industry = 'open":               "not closed",
		"(a = 1":                         "not closed",
		"a = 1 b = 2":                    "unexpected",
		"a ! 1":                          "unknown operator",
		"a IN 'x'":                       "list in parentheses",
		"a IN ('x'":                      "not closed",
		"1a = 2":                         "not a Salesforce field name",
		"a = 1; DELETE":                  "unexpected",
		"a = 1 OR":                       "ends where a condition",
		"Name = 'x') OR (Name = 'y'":     "unexpected",
		"Owner.Manager.Name = 'too far'": "not a Salesforce field name",
	} {
		_, err := ParseFilter(in)
		if err == nil || !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("ParseFilter(%q) = %v, want an error saying %q", in, err, want)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"a = 1", "(a = 'x' OR b IN ('y', 'z')) AND c IS NULL", "a LIKE '\\'%'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseFilter(s)
		if err != nil || g == nil {
			return
		}
		again, err := ParseFilter(g.String())
		if err != nil || again.String() != g.String() {
			t.Fatalf("round trip of %q: %q → %q, %v", s, g.String(), again.String(), err)
		}
	})
}
