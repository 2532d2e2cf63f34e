package salesforcetest

import (
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary text through the lexer, parser, checker and
// executor: none may panic, and every refusal must be a 400 with an error
// code, as Salesforce answers any bad query.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"SELECT Id FROM Contact",
		"SELECT Id, Name, Account.Name, Account.Owner.Name FROM Contact WHERE Email = 'o\\'brien@example.com' ORDER BY Name DESC NULLS LAST LIMIT 5 OFFSET 1",
		"SELECT Name, (SELECT Name FROM Opportunities WHERE IsClosed = false ORDER BY CloseDate LIMIT 5), (SELECT Id FROM Cases) FROM Account",
		"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%\\_x\\%%')",
		"SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity) AND (Name = 'a' OR Name = 'b')",
		"SELECT COUNT() FROM Lead WHERE CreatedDate = LAST_N_DAYS:30",
		"SELECT Id FROM Opportunity WHERE CloseDate > 2026-11-25 AND Amount >= -1.5 AND CreatedDate < 2026-11-25T10:00:00.000+01:00",
		"SELECT Id FROM Contact WHERE NOT (LastName IN ('a', null, 'b\\u00e9'))",
		"SELECT PermissionsApiEnabled FROM UserPermissionAccess",
		"SELECT Id, Profile.Name FROM User",
		"SELECT Id FROM Contact WHERE LastName = 'unterminated",
		"SELECT Id FROM Contact WHERE LastName = 'bad\\q'",
		"SELECT Id FROM Contact WHERE LastName = 'x' AND Title = 'y' OR Email = 'z'",
		"SELECT Id FROM Contact WHERE Id = '003Dx0000001aBc'",
		"select id from case where isclosed = true and casenumber > '0'",
		"SELECT Id FROM Contact WHERE CreatedDate > 2026-11-25T",
		"\x00\xff'\\",
	} {
		f.Add(q)
	}
	d := newOrgData(newStandardSchema(true), func() func(string) string {
		var seq uint64
		return func(prefix string) string { seq++; return makeID(prefix, seq) }
	}(), func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) })
	user := &User{ID: makeID(prefixUser, 999), Username: "u@x.example", LastName: "U", Perms: Permissions{APIEnabled: true}}
	seedFuzzData(f, d, user)
	f.Fuzz(func(t *testing.T, q string) {
		// Long inputs add nothing the short ones miss but make the fuzzer
		// spend its time minimizing runs of repeated bytes.
		if len(q) > 300 {
			return
		}
		p, err := compileSOQL(q, d.schema, d.now())
		if err != nil {
			if err.status != 400 || err.code == "" || err.message == "" {
				t.Fatalf("compile(%q) gave a malformed error: %+v", q, err)
			}
			return
		}
		x := &executor{d: d, user: user, v: 66}
		res := x.run(p)
		if res.total != len(res.rows) && !p.count {
			t.Fatalf("total %d for %d rows", res.total, len(res.rows))
		}
		if _, err := marshal(res.rows); err != nil {
			t.Fatalf("rows do not encode: %v", err)
		}
	})
}

func seedFuzzData(f *testing.F, d *orgData, user *User) {
	f.Helper()
	d.users[user.ID] = user
	must := func(obj string, vals map[string]any) string {
		o := d.schema.object(obj)
		r, err := d.save(o, nil, vals, fromSeed, nil)
		if err != nil {
			f.Fatalf("seeding %s: %v", obj, err)
		}
		return r.id
	}
	acc := must("Account", map[string]any{"Name": "Acme", "Industry": "Tech"})
	con := must("Contact", map[string]any{"LastName": "O'Brien", "Email": "o'brien@example.com", "AccountId": acc})
	must("Contact", map[string]any{"LastName": strings.Repeat("x", 10)})
	must("Opportunity", map[string]any{"Name": "Deal", "StageName": "Closed Won", "CloseDate": "2026-11-25", "AccountId": acc, "Amount": 1.5})
	must("Case", map[string]any{"Subject": "Help", "ContactId": con, "AccountId": acc})
	must("Lead", map[string]any{"LastName": "Lee", "Company": "Lee Ltd"})
}
