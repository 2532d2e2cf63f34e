package salesforcetest

import (
	"strings"
	"testing"
	"time"
)

func TestCompileAccepts(t *testing.T) {
	s := newStandardSchema(true)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, q := range []string{
		"SELECT Id FROM Contact",
		"select id, name from contact where email = 'a@b.co' order by name desc nulls last limit 5 offset 2",
		"SELECT Id, Account.Name, Account.Owner.Name, Owner.Name FROM Contact",
		"SELECT COUNT() FROM Contact WHERE Email != null",
		"SELECT Id, (SELECT Id, Name FROM Opportunities WHERE IsClosed = false ORDER BY CloseDate LIMIT 5) FROM Account",
		"SELECT Id, (SELECT Id FROM Contacts), (SELECT Id FROM Cases) FROM Account",
		"SELECT Id FROM Contact WHERE (Email = 'a@b.co' AND LastName = 'x') OR Title = 'y'",
		"SELECT Id FROM Contact WHERE Email = 'a@b.co' AND LastName = 'x' AND Title = 'y'",
		"SELECT Id FROM Contact WHERE NOT Email = null",
		"SELECT Id FROM Contact WHERE Email = 'a@b.co' AND (NOT LastName LIKE 'x%')",
		"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email = 'x@y.co')",
		"SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity)",
		"SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:30 AND LastModifiedDate > YESTERDAY",
		"SELECT Id FROM Opportunity WHERE CloseDate > 2026-11-25 AND CloseDate <= TODAY",
		"SELECT Id FROM Contact WHERE CreatedDate > 2026-11-25T10:00:00Z",
		"SELECT Id FROM Contact WHERE CreatedDate > 2026-11-25T10:00:00.000+01:00",
		"SELECT Id FROM Opportunity WHERE Amount > -5.5 AND Amount <> 3",
		"SELECT Id FROM Contact WHERE LastName IN ('a', 'b', null)",
		"SELECT Id FROM Contact WHERE Id = '003Dx0000001aBc'",
		"SELECT PermissionsModifyAllData, PermissionsApiEnabled FROM UserPermissionAccess",
		"SELECT Id, Profile.Name FROM User",
		"SELECT Id, Name, IsSandbox, OrganizationType FROM Organization",
		"SELECT Id FROM Account ORDER BY Industry, Name DESC, Id ASC NULLS LAST",
		"SELECT Id\nFROM Contact\nWHERE Email = 'x@y.co'",
	} {
		if _, err := compileSOQL(q, s, now); err != nil {
			t.Errorf("compile(%q): %v", q, err)
		}
	}
}

func TestCompileRejects(t *testing.T) {
	s := newStandardSchema(true)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		q, code, msg string
	}{
		{"SELECT Id FROM Contact WHERE Email = 'x' x", "MALFORMED_QUERY", "unexpected token: 'x'"},
		{"SELECT FROM Contact", "MALFORMED_QUERY", "unexpected token: 'FROM'"},
		{"SELECT Id Contact", "MALFORMED_QUERY", "unexpected token: 'Contact'"},
		{"SELECT Id FROM", "MALFORMED_QUERY", "unexpected token: <EOF>"},
		{"SELECT * FROM Contact", "MALFORMED_QUERY", "unexpected token: '*'"},
		{"", "MALFORMED_QUERY", "unexpected token: <EOF>"},
		{"SELECT Id FROM Contact WHERE Email = 'a' AND LastName = 'b' OR Title = 'c'", "MALFORMED_QUERY", "unexpected token: 'OR'"},
		{"SELECT Id FROM Contact WHERE Email = 'a' OR LastName = 'b' AND Title = 'c'", "MALFORMED_QUERY", "unexpected token: 'AND'"},
		{"SELECT Id FROM Contact WHERE Email = 'a' AND NOT LastName = 'b'", "MALFORMED_QUERY", "unexpected token: 'NOT'"},
		{"SELECT Id FROM Contact WHERE NOT Email = 'a' AND LastName = 'b'", "MALFORMED_QUERY", "unexpected token: 'AND'"},
		{"SELECT Id FROM Contact WHERE (Email = 'a'", "MALFORMED_QUERY", "unexpected token: <EOF>"},
		{"SELECT Id FROM Contact GROUP BY Name", "MALFORMED_QUERY", "does not support GROUP"},
		{"SELECT Id FROM Contact LIMIT 1.5", "MALFORMED_QUERY", "unexpected token: '1.5'"},
		{"SELECT Id FROM Contact LIMIT -1", "MALFORMED_QUERY", "unexpected token: '-1'"},
		{"SELECT Id FROM Contact WHERE LastName = :name", "MALFORMED_QUERY", "unexpected token: ':'"},
		{"SELECT Id FROM Contact WHERE LastName IN ()", "MALFORMED_QUERY", "unexpected token: ')'"},
		{"SELECT Id FROM Contact WHERE LastName = FOO", "MALFORMED_QUERY", "unexpected token: 'FOO'"},
		{"SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS", "MALFORMED_QUERY", "unexpected token: <EOF>"},
		{"SELECT Id FROM Opportunity WHERE CloseDate = 2026-13-45", "MALFORMED_QUERY", "unexpected token: '2026-13-45'"},
		{"SELECT Id FROM Contact WHERE CreatedDate > 2026-11-25T10:00", "MALFORMED_QUERY", "unexpected token"},
		{"SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM Account", "MALFORMED_QUERY", "unexpected token: '('"},
		{"SELECT Id FROM Contact OFFSET 5 LIMIT 1", "MALFORMED_QUERY", "unexpected token: 'LIMIT'"},
		{"SELECT Id FROM Foo", "INVALID_TYPE", "sObject type 'Foo' is not supported."},
		{"SELECT Id FROM Contacts", "INVALID_TYPE", "sObject type 'Contacts' is not supported."},
		{"SELECT Foo FROM Contact", "INVALID_FIELD", "No such column 'Foo' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c'"},
		{"SELECT Id FROM Contact WHERE Foo__c = 'x'", "INVALID_FIELD", "No such column 'Foo__c' on entity 'Contact'"},
		{"SELECT Account.Foo FROM Contact", "INVALID_FIELD", "No such column 'Foo' on entity 'Account'"},
		{"SELECT Foo.Name FROM Contact", "INVALID_FIELD", "Didn't understand relationship 'Foo' in field path"},
		{"SELECT Account FROM Contact", "INVALID_FIELD", "No such column 'Account' on entity 'Contact'"},
		{"SELECT Id, (SELECT Id FROM Foos) FROM Account", "INVALID_TYPE", "Didn't understand relationship 'Foos' in FROM part"},
		{"SELECT Id, (SELECT Id FROM Opportunities) FROM Contact", "INVALID_TYPE", "Didn't understand relationship 'Opportunities'"},
		{"SELECT Id FROM Contact WHERE IsDeleted = 'false'", "INVALID_FIELD", "value of filter criterion for field 'IsDeleted' must be of type boolean and should not be enclosed in quotes"},
		{"SELECT Id FROM Contact WHERE LastName = 5", "INVALID_FIELD", "must be of type string and should be enclosed in quotes"},
		{"SELECT Id FROM Contact WHERE LastName = true", "INVALID_FIELD", "must be of type string"},
		{"SELECT Id FROM Opportunity WHERE Amount = '5'", "INVALID_FIELD", "must be of type currency and should not be enclosed in quotes"},
		{"SELECT Id FROM Opportunity WHERE CloseDate = 2026-11-25T10:00:00Z", "INVALID_FIELD", "must be of type date"},
		{"SELECT Id FROM Opportunity WHERE CloseDate = '2026-11-25'", "INVALID_FIELD", "must be of type date"},
		{"SELECT Id FROM Contact WHERE CreatedDate > 2026-11-25", "INVALID_FIELD", "must be of type dateTime"},
		{"SELECT Id FROM Contact WHERE Id = 'abc'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: abc"},
		{"SELECT Id FROM Contact WHERE AccountId IN ('001Dx000000aBcD', 'nope')", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: nope"},
		{"SELECT Id FROM Contact WHERE IsDeleted > true", "INVALID_QUERY_FILTER_OPERATOR", "invalid operator on boolean field"},
		{"SELECT Id FROM Contact WHERE AccountId LIKE '001%'", "INVALID_QUERY_FILTER_OPERATOR", "invalid operator on id field"},
		{"SELECT Id FROM Contact WHERE LastName IN (TODAY)", "INVALID_FIELD", "must be of type string"},
		{"SELECT Id FROM Contact ORDER BY Description", "INVALID_FIELD", "field 'Description' can not be sorted"},
		{"SELECT Id FROM Contact WHERE Description = 'x'", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Case WHERE Description LIKE '%printer%'", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Account WHERE Description != null", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Lead WHERE NOT (Description IN ('a', 'b'))", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Contact WHERE Account.Description = 'x'", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id, (SELECT Id FROM Contacts WHERE Description = 'x') FROM Account", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Description = 'x')", "INVALID_FIELD", "field 'Description' can not be filtered in a query call"},
		{"SELECT Id FROM Contact OFFSET 2001", "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is 2000"},
		{"SELECT Id, id FROM Contact", "MALFORMED_QUERY", "duplicate field selected: Id"},
		{"SELECT COUNT(), Id FROM Contact", "MALFORMED_QUERY", "COUNT()"},
		{"SELECT COUNT() FROM Contact ORDER BY Name", "MALFORMED_QUERY", "ORDER BY"},
		{"SELECT Id FROM Account WHERE Id IN (SELECT Email FROM Contact)", "INVALID_FIELD", "semi join sub-selects can only query id fields"},
		{"SELECT Id FROM Account WHERE Name IN (SELECT AccountId FROM Contact)", "INVALID_QUERY_FILTER_OPERATOR", "Invalid field for semi/anti join"},
		{"SELECT Id FROM Account WHERE Id IN (SELECT AccountId, Id FROM Contact)", "MALFORMED_QUERY", "only select one field"},
		{"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Id IN (SELECT ContactId FROM Case))", "INVALID_QUERY_FILTER_OPERATOR", "Nesting of semi join"},
	}
	for _, tt := range tests {
		_, err := compileSOQL(tt.q, s, now)
		if err == nil {
			t.Errorf("compile(%q) succeeded, want %s", tt.q, tt.code)
			continue
		}
		if err.code != tt.code || err.status != 400 || !strings.Contains(err.message, tt.msg) {
			t.Errorf("compile(%q) = %d %s %q, want 400 %s containing %q", tt.q, err.status, err.code, err.message, tt.code, tt.msg)
		}
	}
}

// TestQueryErrorFormat checks the caret layout Salesforce uses, which
// clients show to admins.
func TestQueryErrorFormat(t *testing.T) {
	_, err := compileSOQL("SELECT Id\nFROM Contact WHERE Fooo = 'x'", newStandardSchema(true), time.Now())
	want := "\nFROM Contact WHERE Fooo = 'x'\n                   ^\nERROR at Row:2:Column:20\nNo such column 'Fooo' on entity 'Contact'."
	if err == nil || !strings.HasPrefix(err.message, want) {
		t.Errorf("message = %q, want prefix %q", err, want)
	}
}
