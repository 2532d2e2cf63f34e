package zendesk_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// emuNow is the emulator's fixed clock: the start of a rate-limit minute,
// so a 429 always says "retry in 60 s" and is never waited out.
func emuNow() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) }

// emu is one emulated account seen through a real client.
type emu struct {
	acct   *zendesktest.Account
	client *zendesk.Client
	cred   zendesk.Credentials
}

// newEmu starts an emulator with account "acme" (spec's other fields kept)
// and an agent whose API token the client uses.
func newEmu(t *testing.T, spec zendesktest.AccountSpec) *emu {
	t.Helper()
	srv, err := zendesktest.New(zendesktest.Options{Now: emuNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	spec.Subdomain = "acme"
	acct, err := srv.AddAccount(spec)
	if err != nil {
		t.Fatal(err)
	}
	agent := acct.AddUser(zendesktest.User{Name: "Agent Smith", Email: "agent@acme.test", Role: zendesktest.RoleAgent})
	return &emu{
		acct:   acct,
		client: zendesk.NewClient(srv.URLTemplate(), http.DefaultClient, 5*time.Second, nil, time.Now),
		cred:   zendesk.Credentials{APIEmail: agent.Email, APIToken: acct.IssueAPIToken()},
	}
}

// calls is how many requests an endpoint (keyed as in Stats.ByEndpoint)
// has served.
func (e *emu) calls(endpoint string) int { return e.acct.Stats().ByEndpoint[endpoint] }

// customer is a requester with an organization and n tickets.
type customer struct {
	user zendesktest.User
	org  zendesktest.Organization
	// newestFirst lists the ticket ids by updated_at, newest first.
	newestFirst []int64
}

// seedCustomer gives a new end-user in a new organization n tickets whose
// update times are shuffled against their ids, so id order and update
// order differ.
func seedCustomer(e *emu, n int) customer {
	org := e.acct.AddOrganization(zendesktest.Organization{Name: "Initech", ExternalID: "SF-001A"})
	u := e.acct.AddUser(zendesktest.User{Name: "Peter Gibbons", Email: "peter@initech.example", OrganizationID: org.ID})
	type seeded struct {
		id      int64
		updated time.Time
	}
	var all []seeded
	for i := range n {
		// 97 is coprime with every n used here, so the minutes are a permutation.
		updated := emuNow().Add(-time.Hour - time.Duration((i*97)%n)*time.Minute)
		tk := e.acct.AddTicket(zendesktest.Ticket{
			Subject: "Ticket", RequesterID: u.ID, OrganizationID: org.ID,
			CreatedAt: updated.Add(-24 * time.Hour), UpdatedAt: updated,
		})
		all = append(all, seeded{tk.ID, tk.UpdatedAt})
	}
	slices.SortFunc(all, func(a, b seeded) int { return b.updated.Compare(a.updated) })
	c := customer{user: u, org: org}
	for _, s := range all {
		c.newestFirst = append(c.newestFirst, s.id)
	}
	return c
}

func ticketIDs(ts []zendesk.Ticket) []int64 {
	ids := make([]int64, 0, len(ts))
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}
