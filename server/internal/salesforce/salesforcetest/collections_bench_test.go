package salesforcetest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// BenchmarkCollectionsUpsertBackfill upserts 10,000 Cases by ticket key in
// calls of 200, as a ticket-sync backfill does, then upserts them again.
func BenchmarkCollectionsUpsertBackfill(b *testing.B) {
	for n := 0; n < b.N; n++ {
		e := newEnvB(b)
		for pass := 0; pass < 2; pass++ {
			for batch := 0; batch < 50; batch++ {
				recs := make([]string, 200)
				for i := range recs {
					recs[i] = fmt.Sprintf(`{"attributes":{"type":"Case"},"%s":"acme:%d","Subject":"Ticket %d pass %d"}`, TicketKeyField, batch*200+i, i, pass)
				}
				r := call(b, http.MethodPatch, e.org.InstanceURL()+data+"/composite/sobjects/Case/"+TicketKeyField, e.adminToken,
					`{"allOrNone":true,"records":[`+strings.Join(recs, ",")+`]}`)
				if r.status != http.StatusOK || strings.Contains(string(r.body), `"success":false`) {
					b.Fatalf("batch %d: %d %.300s", batch, r.status, r.body)
				}
			}
		}
	}
}

func newEnvB(b *testing.B) *env {
	b.Helper()
	c, err := New(Options{ClientID: testClientID, ClientSecret: testClientSecret})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	o, err := c.AddOrg(OrgSpec{Name: "Bench", DailyAPILimit: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	admin := o.AddUser(User{Username: "admin@bench.example", Perms: Permissions{APIEnabled: true, ModifyAllData: true}})
	token, _ := o.IssueTokens(admin.ID)
	return &env{cloud: c, org: o, admin: admin, adminToken: token}
}
