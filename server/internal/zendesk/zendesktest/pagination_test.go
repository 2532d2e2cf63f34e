package zendesktest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fiveTickets gives the end-user five tickets, updated one minute apart,
// and one ticket of someone else.
func fiveTickets(t *testing.T, f *fixture) []int64 {
	t.Helper()
	var out []int64
	for i := range 5 {
		tk := f.acct.AddTicket(Ticket{Subject: "t" + strconv.Itoa(i), RequesterID: f.endUser.ID})
		out = append(out, tk.ID)
		f.clk.Add(time.Minute)
	}
	f.acct.AddTicket(Ticket{Subject: "not theirs", RequesterID: f.agent.ID})
	return out
}

func TestCursorPaginationRoundTrip(t *testing.T) {
	f := newFixture(t)
	all := fiveTickets(t, f)
	// Ticket 2 becomes the most recently updated.
	f.clk.Add(time.Minute)
	if _, err := f.acct.UpdateTicket(all[1], func(t *Ticket) { t.Status = "open" }); err != nil {
		t.Fatal(err)
	}
	base := "/api/v2/users/" + strconv.FormatInt(f.endUser.ID, 10) + "/tickets/requested.json"
	for _, tt := range []struct {
		sort string
		want []int64
	}{
		{"", all},
		{"-updated_at", []int64{all[1], all[4], all[3], all[2], all[0]}},
		{"updated_at", []int64{all[0], all[2], all[3], all[4], all[1]}},
	} {
		t.Run("sort="+tt.sort, func(t *testing.T) {
			next := f.acct.BaseURL() + base + "?page[size]=2"
			if tt.sort != "" {
				next += "&sort=" + tt.sort
			}
			var got []int64
			var pages []map[string]any
			for i := 0; next != ""; i++ {
				if i > 5 {
					t.Fatal("pagination does not end")
				}
				resp, b := request(t, "GET", next, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
				wantStatus(t, resp, b, http.StatusOK)
				m := decode(t, b)
				pages = append(pages, m)
				got = append(got, ids(t, m["tickets"])...)
				meta := m["meta"].(map[string]any)
				if cur, _ := meta["after_cursor"].(string); cur != "" && !strings.Contains(cur, "+") {
					t.Errorf("cursor %q has no '+'; the test of encoding needs one", cur)
				}
				next = ""
				if meta["has_more"] == true {
					next = m["links"].(map[string]any)["next"].(string)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tickets in page order (-want +got):\n%s", diff)
			}
			if len(pages) != 3 {
				t.Fatalf("got %d pages of 2 for 5 tickets, want 3", len(pages))
			}
			// links.prev of the second page leads back to the first page.
			prev := pages[1]["links"].(map[string]any)["prev"].(string)
			resp, b := request(t, "GET", prev, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
			wantStatus(t, resp, b, http.StatusOK)
			if diff := cmp.Diff(tt.want[:2], ids(t, decode(t, b)["tickets"])); diff != "" {
				t.Errorf("previous page (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCursorMustBeURLEncoded(t *testing.T) {
	f := newFixture(t)
	fiveTickets(t, f)
	base := "/api/v2/users/" + strconv.FormatInt(f.endUser.ID, 10) + "/tickets/requested.json?page[size]=2"
	_, b := f.get(t, base)
	cur := decode(t, b)["meta"].(map[string]any)["after_cursor"].(string)
	if !strings.Contains(cur, "+") {
		t.Fatalf("cursor %q has no '+'", cur)
	}

	// Pasted raw, '+' arrives as a space: Zendesk refuses it.
	resp, b := f.get(t, base+"&page[after]="+cur)
	wantStatus(t, resp, b, http.StatusBadRequest)
	if e := decode(t, b); e["error"] != "InvalidPaginationParameter" || e["description"] == "" {
		t.Errorf("unencoded cursor error = %v", e)
	}
	resp, b = f.get(t, base+"&page[after]="+url.QueryEscape(cur))
	wantStatus(t, resp, b, http.StatusOK)
	if n := len(ids(t, decode(t, b)["tickets"])); n != 2 {
		t.Errorf("encoded cursor gave %d tickets, want 2", n)
	}

	for name, q := range map[string]string{
		"garbage":            "&page[after]=bm90IGEgY3Vyc29y",
		"other sort":         "&sort=-id&page[after]=" + url.QueryEscape(cur),
		"both directions":    "&page[after]=" + url.QueryEscape(cur) + "&page[before]=" + url.QueryEscape(cur),
		"unknown sort field": "&sort=subject",
	} {
		resp, b := f.get(t, base+q)
		if resp.StatusCode != http.StatusBadRequest || decode(t, b)["error"] != "InvalidPaginationParameter" {
			t.Errorf("%s: status %d body %s, want 400 InvalidPaginationParameter", name, resp.StatusCode, b)
		}
	}
	resp, b = f.get(t, strings.Replace(base, "page[size]=2", "page[size]=101", 1))
	wantStatus(t, resp, b, http.StatusBadRequest)
	// A cursor of one list does not page another.
	orgList := "/api/v2/organizations/" + strconv.FormatInt(f.org.ID, 10) + "/tickets.json?page[size]=2&page[after]=" + url.QueryEscape(cur)
	resp, b = f.get(t, orgList)
	wantStatus(t, resp, b, http.StatusBadRequest)
}

func TestOffsetPagination(t *testing.T) {
	f := newFixture(t)
	all := fiveTickets(t, f)
	path := "/api/v2/organizations/" + strconv.FormatInt(f.org.ID, 10) + "/tickets.json"
	resp, b := f.get(t, path+"?per_page=2&page=2")
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	if diff := cmp.Diff(all[2:4], ids(t, m["tickets"])); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	if m["count"] != 5.0 {
		t.Errorf("count = %v, want 5", m["count"])
	}
	for key, page := range map[string]string{"next_page": "3", "previous_page": "1"} {
		link, _ := m[key].(string)
		u, err := url.Parse(link)
		if err != nil || u.Query().Get("page") != page || !strings.HasPrefix(link, f.acct.BaseURL()+path) {
			t.Errorf("%s = %q, want page %s of the same list", key, link, page)
		}
	}
	resp, b = f.get(t, path+"?per_page=2&page=3&sort_order=desc")
	wantStatus(t, resp, b, http.StatusOK)
	m = decode(t, b)
	if diff := cmp.Diff(all[:1], ids(t, m["tickets"])); diff != "" || m["next_page"] != nil {
		t.Errorf("last page, newest first: %s next=%v", diff, m["next_page"])
	}
	resp, b = f.get(t, path+"?per_page=100&page=101")
	wantStatus(t, resp, b, http.StatusBadRequest)
	resp, b = f.get(t, "/api/v2/organizations/999/tickets.json")
	wantStatus(t, resp, b, http.StatusNotFound)
}

func TestListSideloads(t *testing.T) {
	f := newFixture(t)
	fiveTickets(t, f)
	resp, b := f.get(t, "/api/v2/users/"+strconv.FormatInt(f.endUser.ID, 10)+"/tickets/requested.json?page[size]=2&include=users,organizations")
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	if diff := cmp.Diff([]int64{f.endUser.ID}, ids(t, m["users"])); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{f.org.ID}, ids(t, m["organizations"])); diff != "" {
		t.Errorf("organizations (-want +got):\n%s", diff)
	}
	if next := m["links"].(map[string]any)["next"].(string); !strings.Contains(next, "include=users%2Corganizations") {
		t.Errorf("links.next %q drops include", next)
	}
}
