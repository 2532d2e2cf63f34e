package zendesk_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// FuzzParseTicketEvent: any body either is refused with an invalid-input
// error or gives an event whose ids are positive and written in the body
// (nothing invented), at most one current and one previous of each, and
// which reads back the same from its canonical event-subscription form.
func FuzzParseTicketEvent(f *testing.F) {
	for _, s := range []string{
		`{"type":"zen:event-type:ticket.requester_changed","account_id":1,"detail":{"id":"35","requester_id":"12","organization_id":null,"status":"OPEN"},"event":{"previous":"11","current":"12"}}`,
		`{"type":"zen:event-type:ticket.organization_changed","detail":{"id":7,"requester_id":3,"organization_id":9},"event":{"previous":8,"current":9}}`,
		`{"type":"zen:event-type:ticket.status_changed","detail":{"id":"7","requester_id":"3","organization_id":"9"},"event":{"previous":"OPEN","current":"SOLVED"}}`,
		`{"ticket_id": 123, "salesforce_org_id": "00D"}`,
		`{"ticket_id": "-1"}`,
		`{"detail":{"id":"9223372036854775808"}}`,
		`{"detail":{"id":"\u0031\u0032"}}`,
		`{"detail":{"id":1e3}}`,
		`{"DETAIL":{"ID":5}}`,
		`{"detail":{"id":[1]},"ticket_id":{"a":2}}`,
		`not json`, `{}`, `null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := zendesk.ParseTicketEvent(body)
		if err != nil {
			if crossview.ErrorCode(err) != crossview.EINVALID {
				t.Fatalf("refusal %v is not invalid input", err)
			}
			return
		}
		ids := append(append([]int64{ev.TicketID}, ev.RequesterIDs...), ev.OrganizationIDs...)
		for _, id := range ids {
			if id <= 0 || !strings.Contains(string(body), strconv.FormatInt(id, 10)) {
				t.Fatalf("id %d is not positive or not in the body %q", id, body)
			}
		}
		if len(ev.RequesterIDs) > 2 || len(ev.OrganizationIDs) > 2 || len(ev.RequesterIDs) == 2 && len(ev.OrganizationIDs) == 2 {
			t.Fatalf("more ids than one change can name: %+v", ev)
		}
		back, err := zendesk.ParseTicketEvent(canonicalEvent(t, ev))
		if err != nil || back.Type != ev.Type || back.TicketID != ev.TicketID ||
			!slices.Equal(back.RequesterIDs, ev.RequesterIDs) || !slices.Equal(back.OrganizationIDs, ev.OrganizationIDs) {
			t.Fatalf("round trip: %+v became %+v, %v", ev, back, err)
		}
	})
}

// canonicalEvent writes ev as Zendesk's event-subscription body.
func canonicalEvent(t *testing.T, ev crossview.TicketEvent) []byte {
	detail := map[string]any{"id": strconv.FormatInt(ev.TicketID, 10)}
	event := map[string]any{}
	if len(ev.RequesterIDs) > 0 {
		detail["requester_id"] = ev.RequesterIDs[0]
	}
	if len(ev.OrganizationIDs) > 0 {
		detail["organization_id"] = ev.OrganizationIDs[0]
	}
	if len(ev.RequesterIDs) > 1 {
		event["previous"] = ev.RequesterIDs[1]
	}
	if len(ev.OrganizationIDs) > 1 {
		event["previous"] = ev.OrganizationIDs[1]
	}
	b, err := json.Marshal(map[string]any{"type": "zen:event-type:" + ev.Type, "detail": detail, "event": event})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
