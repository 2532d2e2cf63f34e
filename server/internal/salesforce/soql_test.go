package salesforce

import "testing"

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"o'brien@example.com":       `'o\'brien@example.com'`,
		`back\slash@example.com`:    `'back\\slash@example.com'`,
		`\'`:                        `'\\\''`,
		"two\nlines\t\"q\"":         `'two\nlines\t\"q\"'`,
		"' OR Name != '":            `'\' OR Name != \''`,
		"zoë+billing@stark.example": `'zoë+billing@stark.example'`,
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	if got := QuoteLike("100%_off"); got != `'100\%\_off'` {
		t.Errorf("QuoteLike = %s", got)
	}
}

func TestParseLimitInfo(t *testing.T) {
	for h, want := range map[string]Usage{
		"api-usage=10018/100000":              {10018, 100000},
		"api-usage=5/15000; api-bursts=1/750": {5, 15000},
		"api-bursts=1/750;api-usage=7/15000":  {7, 15000},
	} {
		got, ok := parseLimitInfo(h)
		if !ok || got != want {
			t.Errorf("parseLimitInfo(%q) = %v, %v", h, got, ok)
		}
	}
	for _, h := range []string{"", "api-usage=x/1", "api-usage=1/0", "api-usage=5"} {
		if _, ok := parseLimitInfo(h); ok {
			t.Errorf("parseLimitInfo(%q) accepted", h)
		}
	}
}

func TestDisplayNumbers(t *testing.T) {
	for in, want := range map[string]string{"9600.0": "9,600", "1.5E7": "15,000,000", "1234.5": "1,234.5", "-48000.0": "-48,000", "12": "12"} {
		if got := groupDigits(in); got != want {
			t.Errorf("groupDigits(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{"StageName": "Stage", "CloseDate": "Close Date", "CaseNumber": "Case Number", "Owner.Name": "Owner Name", "Customer_Tier__c": "Customer Tier", "NumberOfEmployees": "Number Of Employees"} {
		if got := Label(in); got != want {
			t.Errorf("Label(%s) = %q, want %q", in, got, want)
		}
	}
}
