package zendesk_test

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The search fallback finds tickets by an email no user has as primary:
// only tickets whose requester holds exactly that email come back,
// whatever the address does to the search syntax.
func TestRequesterTicketsBySearchKeepsOnlyExactMatches(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	carol := e.acct.AddUser(zendesktest.User{Name: "Carol", Email: "carol@x.example", OtherEmails: []string{"c.work@x.example"}})
	// Someone who named themselves after Carol's address: search's
	// requester: matches names too.
	namesake := e.acct.AddUser(zendesktest.User{Name: "c.work@x.example", Email: "mallory@evil.example"})
	bob := e.acct.AddUser(zendesktest.User{Name: "Bob", Email: "bob@x.example"})
	a1 := e.acct.AddUser(zendesktest.User{Name: "A One", Email: "a1@x.example"})
	tc := e.acct.AddTicket(zendesktest.Ticket{Subject: "carol's", RequesterID: carol.ID})
	e.acct.AddTicket(zendesktest.Ticket{Subject: "namesake's", RequesterID: namesake.ID})
	e.acct.AddTicket(zendesktest.Ticket{Subject: "bob's", RequesterID: bob.ID})
	e.acct.AddTicket(zendesktest.Ticket{Subject: "a1's", RequesterID: a1.ID})
	ctx := context.Background()
	for _, tt := range []struct {
		email string
		want  []int64
	}{
		{"c.work@x.example", []int64{tc.ID}},
		{"C.Work@X.example", []int64{tc.ID}},
		{"carol@x.example", []int64{tc.ID}},
		{"*@x.example", nil},
		{"a*@x.example", nil},
		{"c.work@x.example requester:bob@x.example", nil},
		{"bob@x.example OR requester:*", nil},
		{`c.work@x.example" requester:"bob@x.example`, nil},
		{"-c.work@x.example", nil},
		{"(c.work@x.example)", nil},
		{"c.work@x.example:x", nil},
		{"nobody@x.example", nil},
		{"", nil},
	} {
		got, err := e.client.RequesterTicketsBySearch(ctx, "acme", e.cred, tt.email, 100)
		if err != nil {
			t.Fatalf("%q: %v", tt.email, err)
		}
		if diff := cmp.Diff(tt.want, ticketIDs(got), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.email, diff)
		}
	}
}

func TestRequesterSearchQuery(t *testing.T) {
	for email, want := range map[string]string{
		"ann@example.com":       `requester:"ann@example.com"`,
		"o'brien+ops@x.example": `requester:"o'brien+ops@x.example"`,
		"first-last@x.example":  `requester:"first-last@x.example"`,
		"-lead@x.example":       `requester:"-lead@x.example"`,
	} {
		if got, ok := zendesk.RequesterSearchQuery(email); !ok || got != want {
			t.Errorf("RequesterSearchQuery(%q) = %q, %v; want %q", email, got, ok, want)
		}
	}
	for _, bad := range []string{"", "ann", "a b@x.example", `a"b@x.example`, `a\b@x.example`, "a*@x.example",
		"a@b@x.example", "a@x.example\n", "(a)@x.example", "a@x.example:1", "a@", "a<b>@x.example", "a@x.example,b@x.example", "@x.example"} {
		if q, ok := zendesk.RequesterSearchQuery(bad); ok {
			t.Errorf("RequesterSearchQuery(%q) = %q, want refused", bad, q)
		}
	}
}

// FuzzRequesterSearchQuery: an address is searched for only as one quoted
// requester: term that nothing in it can end, widen or escape: no quote,
// backslash, wildcard, space or control character, and one @.
func FuzzRequesterSearchQuery(f *testing.F) {
	for _, s := range []string{"ann@example.com", `a"b@x.example`, "a*@x.example", "a b@x.example", "a@b@c", "ü@例え.jp", "-x@y.z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, email string) {
		q, ok := zendesk.RequesterSearchQuery(email)
		if !ok {
			if q != "" {
				t.Fatalf("refused %q but gave %q", email, q)
			}
			return
		}
		if q != `requester:"`+email+`"` || strings.Count(email, "@") != 1 ||
			strings.ContainsAny(email, "\"\\*():<>,;[] ") || strings.ContainsFunc(email, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) ||
			!utf8.ValidString(email) {
			t.Fatalf("RequesterSearchQuery(%q) = %q", email, q)
		}
	})
}
