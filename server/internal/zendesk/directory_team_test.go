package zendesk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// An agent reached through a secondary email is as much a team member as
// one reached through the primary: Zendesk matches a user by any email
// identity, so the record is skipped, and the agent stays as it was.
func TestUpsertUsersNeverChangesAgentsBySecondaryEmail(t *testing.T) {
	e := newDirEmu(t, bulkSpec())
	ctx := context.Background()
	agent := e.acct.AddUser(zendesktest.User{Name: "Gus Agent", Email: "gus@acme.test", OtherEmails: []string{"gus@home.example"}, Role: zendesktest.RoleAgent})
	res, err := e.dir.UpsertUsers(ctx, e.tenant, []crossview.UserWrite{
		{ExternalID: "003GUS", Name: "Gus as a Contact", Email: "Gus@Home.example", Match: userMatch},
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"skipped"}, statuses(res)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s\n%+v", diff, res)
	}
	if !strings.Contains(res[0].Error, fmt.Sprintf("belongs to Zendesk agent %d", agent.ID)) {
		t.Errorf("skip reason = %q", res[0].Error)
	}
	if got, _ := e.acct.User(agent.ID); !cmp.Equal(got, agent) {
		t.Errorf("agent changed:\n%s", cmp.Diff(agent, got))
	}
}
