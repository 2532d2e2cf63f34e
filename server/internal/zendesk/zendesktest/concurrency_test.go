package zendesktest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentUse drives one account from many goroutines, through the
// API and the Go helpers at once; with -race it checks the locking.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	_, endpoint := startReceiver(t)
	f.acct.AddWebhook(Webhook{Endpoint: endpoint})
	tk := f.acct.AddTicket(Ticket{Subject: "shared", RequesterID: f.endUser.ID})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"
	auth := basicAuth(f.admin.Email, f.token)
	// do runs in worker goroutines, so it reports with Errorf, never Fatal.
	do := func(method, p, body string) {
		req, err := http.NewRequest(method, f.acct.BaseURL()+p, strings.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s: status %d", method, p, resp.StatusCode)
		}
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 10 {
				switch (i + j) % 5 {
				case 0:
					do("GET", path+"?include=users", "")
				case 1:
					tags := `["t` + strconv.Itoa(j) + `"]`
					do("PUT", path, `{"ticket":{"tags":`+tags+`}}`)
				case 2:
					f.acct.AddTicket(Ticket{Subject: "more", RequesterID: f.endUser.ID})
				case 3:
					do("GET", "/api/v2/search.json?query=type:ticket", "")
				case 4:
					_ = f.acct.Stats()
					_ = f.acct.Deliveries()
					_, _ = f.acct.UpdateTicket(tk.ID, func(t *Ticket) { t.Subject = "changed" })
				}
			}
		})
	}
	wg.Wait()
	if st := f.acct.Stats(); st.Requests != 48 {
		t.Errorf("Requests = %d, want 48", st.Requests)
	}
}
