package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

var panelTokenAttr = regexp.MustCompile(`data-token="([^"]+)"`)

// openSidebar does what Zendesk and the shell page do for the demo's agent
// and ticket 1: see openSidebarAs.
func openSidebar(tb testing.TB, base string, sb *sandboxRun) string {
	tb.Helper()
	return openSidebarAs(tb, base, sb.world.Account, sb.world.DeskAgent.ID, 1)
}

// openSidebarAs POSTs a signed token for the user as Zendesk does, reads
// the shell's token, and exchanges it for one bound to the ticket, as the
// shell does once the ZAF SDK names the open ticket.
func openSidebarAs(tb testing.TB, base string, acct *zendesktest.Account, userID, ticketID int64) string {
	tb.Helper()
	jwt, err := acct.SignAppToken(zendesktest.AppClaims{UserID: userID})
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := http.PostForm(base+"/zendesk/sidebar?origin="+url.QueryEscape(base)+"&app_guid=g", url.Values{"token": {jwt}})
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, _ := io.ReadAll(resp.Body)
	m := panelTokenAttr.FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		tb.Fatalf("shell: %d\n%s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/zendesk/panel/token", strings.NewReader("ticket_id="+strconv.FormatInt(ticketID, 10)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Crossview-Token", string(m[1]))
	bresp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = bresp.Body.Close() }()
	var bound struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(bresp.Body).Decode(&bound); err != nil || bresp.StatusCode != 200 {
		tb.Fatalf("bind: %d %v", bresp.StatusCode, err)
	}
	return bound.Token
}

// TestHundredSimultaneousOpens: 100 agents open the same ticket at once on
// a cold cache; each org is asked once, and Zendesk only for the binding
// (the app's key, the agent, their groups, and the ticket, which the
// panels then share).
// Run against the embedded store and memory cache, and against Redis.
func TestHundredSimultaneousOpens(t *testing.T) {
	for _, mode := range []string{"embedded", "redis"} {
		t.Run(mode, func(t *testing.T) {
			var env []string
			if mode == "redis" {
				env = []string{"CROSSVIEW_REDIS_URL", redistest.URL(t)}
			}
			base, sb := startTestSandbox(t, env...)
			ticketSyncOff(t, sb) // its own Zendesk and Salesforce calls are not the panels'
			zdBefore := sb.world.Account.Stats().Requests
			tok := openSidebar(t, base, sb)
			before := map[string]int{}
			for _, o := range sb.world.OrgSeeds {
				before[o.Key] = o.Org.Stats().APICalls
			}

			var wg sync.WaitGroup
			bodies := make([]string, 100)
			statuses := make([]int, 100)
			start := make(chan struct{})
			for i := range 100 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					req, _ := http.NewRequest(http.MethodGet, base+"/zendesk/panel?ticket_id=1", nil)
					req.Header.Set("X-Crossview-Token", tok)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					defer func() { _ = resp.Body.Close() }()
					b, _ := io.ReadAll(resp.Body)
					bodies[i], statuses[i] = string(b), resp.StatusCode
				}()
			}
			close(start)
			wg.Wait()
			for i := range 100 {
				if statuses[i] != 200 || !strings.Contains(bodies[i], "Globex GmbH") || !strings.Contains(bodies[i], "Globex Corporation") {
					t.Fatalf("open %d: %d\n%s", i, statuses[i], bodies[i])
				}
			}
			for _, o := range sb.world.OrgSeeds {
				if n := o.Org.Stats().APICalls - before[o.Key]; n != 1 {
					t.Errorf("org %s: %d Salesforce API calls for 100 simultaneous opens, want 1", o.Name, n)
				}
			}
			if n := sb.world.Account.Stats().Requests - zdBefore; n != 4 {
				t.Errorf("%d Zendesk calls for binding and 100 simultaneous opens, want 4 (app key, agent, groups, ticket): %v", n, sb.world.Account.Stats().ByEndpoint)
			}
		})
	}
}
