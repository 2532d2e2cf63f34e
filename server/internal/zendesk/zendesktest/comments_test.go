package zendesktest

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// commentTicket makes a ticket with its description and three more
// comments, one internal and one with an attachment.
func commentTicket(t *testing.T, f *fixture) (Ticket, []int64) {
	t.Helper()
	tk := f.acct.AddTicket(Ticket{Subject: "Printer", Description: "It jams.", RequesterID: f.endUser.ID})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"
	f.clk.Add(time.Minute)
	resp, b := f.send(t, "PUT", path, `{"ticket":{"comment":{"body":"Which model?","public":true}}}`)
	wantStatus(t, resp, b, http.StatusOK)
	f.clk.Add(time.Minute)
	resp, b = f.send(t, "PUT", path, `{"ticket":{"comment":{"html_body":"<p>Ask <b>facilities</b></p>","public":false}}}`)
	wantStatus(t, resp, b, http.StatusOK)
	f.clk.Add(time.Minute)
	if _, err := f.acct.AddComment(tk.ID, Comment{Body: "Photo attached", Public: true,
		Attachments: []Attachment{{FileName: "jam.png", ContentType: "image/png", Size: 2048, ContentURL: "https://example.com/jam.png"}}}); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, c := range f.acct.Comments(tk.ID) {
		got = append(got, c.ID)
	}
	return tk, got
}

func TestListComments(t *testing.T) {
	f := newFixture(t)
	tk, want := commentTicket(t, f)
	if len(want) != 4 || !(want[0] < want[1] && want[1] < want[2] && want[2] < want[3]) {
		t.Fatalf("comment ids %v are not increasing", want)
	}
	resp, b := f.get(t, "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+"/comments.json?include=users")
	wantStatus(t, resp, b, http.StatusOK)
	m := decode(t, b)
	if diff := cmp.Diff(want, ids(t, m["comments"])); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if m["count"] != 4.0 || m["next_page"] != nil {
		t.Errorf("count=%v next_page=%v", m["count"], m["next_page"])
	}
	cs := m["comments"].([]any)
	first, second, note, photo := cs[0].(map[string]any), cs[1].(map[string]any), cs[2].(map[string]any), cs[3].(map[string]any)
	if first["body"] != "It jams." || first["author_id"] != float64(f.endUser.ID) || first["public"] != true || first["type"] != "Comment" {
		t.Errorf("first comment = %v", first)
	}
	if second["author_id"] != float64(f.admin.ID) || second["html_body"] != `<div class="zd-comment" dir="auto">Which model?</div>` ||
		second["created_at"] != "2026-03-02T10:01:30Z" || second["audit_id"] == nil {
		t.Errorf("second comment = %v", second)
	}
	if note["public"] != false || note["body"] != "Ask facilities" || note["plain_body"] != "Ask facilities" || note["html_body"] != "<p>Ask <b>facilities</b></p>" {
		t.Errorf("internal note = %v", note)
	}
	atts := photo["attachments"].([]any)
	if len(atts) != 1 || atts[0].(map[string]any)["file_name"] != "jam.png" || atts[0].(map[string]any)["size"] != 2048.0 ||
		atts[0].(map[string]any)["id"] == nil || first["attachments"] == nil {
		t.Errorf("attachments = %v / %v", atts, first["attachments"])
	}
	if diff := cmp.Diff([]int64{f.admin.ID, f.endUser.ID}, ids(t, m["users"])); diff != "" {
		t.Errorf("sideloaded users (-want +got):\n%s", diff)
	}

	_, b = f.get(t, "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+"/comments.json?sort_order=desc&per_page=3")
	m = decode(t, b)
	if diff := cmp.Diff([]int64{want[3], want[2], want[1]}, ids(t, m["comments"])); diff != "" || m["next_page"] == nil {
		t.Errorf("desc page (-want +got):\n%s next=%v", diff, m["next_page"])
	}
}

func TestListCommentsCursor(t *testing.T) {
	f := newFixture(t)
	tk, want := commentTicket(t, f)
	base := f.acct.BaseURL() + "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + "/comments.json"
	for _, tt := range []struct {
		sort string
		want []int64
	}{
		{"", want},
		{"-created_at", []int64{want[3], want[2], want[1], want[0]}},
	} {
		next := base + "?page[size]=3"
		if tt.sort != "" {
			next += "&sort=" + tt.sort
		}
		var got []int64
		var last map[string]any
		for i := 0; next != ""; i++ {
			if i > 3 {
				t.Fatal("pagination does not end")
			}
			resp, b := request(t, "GET", next, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
			wantStatus(t, resp, b, http.StatusOK)
			last = decode(t, b)
			got = append(got, ids(t, last["comments"])...)
			next = ""
			if last["meta"].(map[string]any)["has_more"] == true {
				next = last["links"].(map[string]any)["next"].(string)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("sort=%q (-want +got):\n%s", tt.sort, diff)
		}
		// Going back from the last page gives the page before it.
		prev := last["links"].(map[string]any)["prev"].(string)
		resp, b := request(t, "GET", prev, "", "Authorization: "+basicAuth(f.admin.Email, f.token))
		wantStatus(t, resp, b, http.StatusOK)
		if diff := cmp.Diff(tt.want[:3], ids(t, decode(t, b)["comments"])); diff != "" {
			t.Errorf("sort=%q prev page (-want +got):\n%s", tt.sort, diff)
		}
	}

	other := f.acct.AddTicket(Ticket{Subject: "other", Description: "x", RequesterID: f.endUser.ID})
	_, b := f.get(t, "/api/v2/tickets/"+strconv.FormatInt(tk.ID, 10)+"/comments.json?page[size]=1")
	foreign := decode(t, b)["meta"].(map[string]any)["after_cursor"].(string)
	for name, q := range map[string]string{
		"size too big":          "page[size]=101",
		"bad sort":              "sort=updated_at",
		"other ticket cursor":   "page[after]=" + url.QueryEscape(foreign),
		"garbage cursor":        "page[after]=abc",
		"both directions":       "page[after]=x&page[before]=y",
		"bad sort order":        "sort_order=up",
		"offset past the limit": "page=101",
	} {
		resp, b := f.get(t, "/api/v2/tickets/"+strconv.FormatInt(other.ID, 10)+"/comments.json?"+q)
		if resp.StatusCode != http.StatusBadRequest || decode(t, b)["error"] != "InvalidPaginationParameter" {
			t.Errorf("%s: status %d body %s", name, resp.StatusCode, b)
		}
	}
	resp, b := f.get(t, "/api/v2/tickets/999/comments.json")
	wantStatus(t, resp, b, http.StatusNotFound)
}

func TestCommentAuthorAndClosedTicket(t *testing.T) {
	f := newFixture(t)
	tk := f.acct.AddTicket(Ticket{Subject: "x", Description: "d", RequesterID: f.endUser.ID})
	path := "/api/v2/tickets/" + strconv.FormatInt(tk.ID, 10) + ".json"
	resp, b := f.send(t, "PUT", path, `{"ticket":{"comment":{"body":"from peter","author_id":`+strconv.FormatInt(f.endUser.ID, 10)+`}}}`)
	wantStatus(t, resp, b, http.StatusOK)
	audit := decode(t, b)["audit"].(map[string]any)
	ev := audit["events"].([]any)[0].(map[string]any)
	if ev["type"] != "Comment" || ev["author_id"] != float64(f.endUser.ID) || audit["author_id"] != float64(f.admin.ID) {
		t.Errorf("audit = %v", audit)
	}
	resp, b = f.send(t, "PUT", path, `{"ticket":{"comment":{"body":"ghost","author_id":123}}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	resp, b = f.send(t, "PUT", path, `{"ticket":{"comment":{"body":""}}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)

	resp, b = f.send(t, "PUT", path, `{"ticket":{"status":"solved"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	resp, b = f.send(t, "PUT", path, `{"ticket":{"status":"closed"}}`)
	wantStatus(t, resp, b, http.StatusOK)
	before := len(f.acct.Comments(tk.ID))
	resp, b = f.send(t, "PUT", path, `{"ticket":{"comment":{"body":"too late"}}}`)
	wantStatus(t, resp, b, http.StatusUnprocessableEntity)
	if got := string(b); got != `{"error":"RecordInvalid","description":"Record validation errors","details":{"status":[{"description":"Status: closed prevents ticket update"}]}}` {
		t.Errorf("closed ticket body = %s", got)
	}
	if _, err := f.acct.AddComment(tk.ID, Comment{Body: "too late"}); err == nil {
		t.Error("AddComment on a closed ticket succeeded")
	}
	if n := len(f.acct.Comments(tk.ID)); n != before {
		t.Errorf("%d comments after refusals, want %d", n, before)
	}
}
