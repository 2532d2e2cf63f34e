package salesforce_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// FuzzFilterValueCannotInject puts any value into filter conditions and
// runs them against the emulated org: a text comparison keeps exactly the
// Accounts with that name, and every other condition either is refused
// before any call or runs as a query Salesforce accepts. A value that
// escaped its literal would do neither.
func FuzzFilterValueCannotInject(f *testing.F) {
	for _, seed := range []string{
		"Acme Corp", "x' OR Name != 'y", `x\' OR Name != \'y`, `\`, `\\' OR Id != null OR Name = '`,
		"' OR '1'='1", "%", "_", "Acme%' OR Name LIKE '%", "a\nb", "a\tb\rc", "\"", "'", "''",
		"x') OR (Name != 'y", "12 OR NumberOfEmployees > 0", "2026-01-01T00:00:00Z OR CreatedDate != null",
		"true OR Active__c = false", "TODAY OR CreatedDate != null", "LAST_N_DAYS:1) OR (Name != null",
		"\\u0027 OR Name != \\u0027", "001Dx0000000001AAA' OR Name != '", "é ünïcödé ✓", "\x00", "\x01\x02",
	} {
		f.Add(seed)
	}
	fx, byID := filterOrg(f)
	fx.org.SetAPIUsage(0, 1<<30) // a fuzzing run makes millions of calls
	f.Fuzz(func(t *testing.T, v string) {
		// SOQL compares text as the emulator does: lower-cased.
		lower := strings.ToLower(v)
		if kept, ok := fx.run(t, and(conds(cond("Name", "=", v)))); ok {
			for _, id := range kept {
				if strings.ToLower(byID[id]) != lower {
					t.Fatalf("Name = %q kept %q", v, byID[id])
				}
			}
			for id, name := range byID {
				if strings.ToLower(name) == lower && !slices.Contains(kept, id) {
					t.Fatalf("Name = %q missed %q", v, name)
				}
			}
		}
		for _, c := range []crossview.FilterCondition{
			cond("Name", "like", v), cond("Name", "not like", v), cond("Name", "in", "", v, "Acme Corp"),
			cond("Name", ">", v), cond("NumberOfEmployees", "=", v), cond("AnnualRevenue", "not in", "", v),
			cond("CreatedDate", ">=", v), cond("Renewal__c", "<", v), cond("Active__c", "=", v),
			cond("Industry", "=", v), cond("ParentId", "=", v), cond(v, "=", "x"), cond("Name", v, "x"),
		} {
			fx.run(t, or(conds(c)))
		}
	})
}

// run pages through the filter; it returns the ids kept, and false when
// the filter was refused (with a FilterError, before any call). Any other
// failure fails the test.
func (f *dsFixture) run(t *testing.T, g crossview.FilterGroup) ([]string, bool) {
	t.Helper()
	recs, err := f.src.Page(f.ctx, f.conn, "Account", "", []string{"Name"}, &g, 100)
	var fe *salesforce.FilterError
	switch {
	case errors.As(err, &fe):
		return nil, false
	case err != nil:
		t.Fatalf("%+v: %v", g.Conditions, err)
	}
	return ids(recs), true
}
