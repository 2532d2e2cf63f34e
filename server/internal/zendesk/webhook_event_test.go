package zendesk_test

import (
	"slices"
	"testing"

	"github.com/crossview/crossview/server/internal/zendesk"
)

func TestParseTicketEvent(t *testing.T) {
	ev, err := zendesk.ParseTicketEvent([]byte(`{"type":"zen:event-type:ticket.requester_changed","account_id":1,
		"detail":{"id":"35","requester_id":"12","organization_id":null,"status":"OPEN"},"event":{"previous":"11","current":"12"}}`))
	if err != nil || ev.TicketID != 35 || ev.Type != "ticket.requester_changed" || !slices.Equal(ev.RequesterIDs, []int64{12, 11}) || len(ev.OrganizationIDs) != 0 {
		t.Fatalf("event = %+v, %v", ev, err)
	}
	ev, err = zendesk.ParseTicketEvent([]byte(`{"type":"zen:event-type:ticket.status_changed","detail":{"id":"7","requester_id":"3","organization_id":"9"},"event":{"previous":"OPEN","current":"SOLVED"}}`))
	if err != nil || !slices.Equal(ev.RequesterIDs, []int64{3}) || !slices.Equal(ev.OrganizationIDs, []int64{9}) {
		t.Fatalf("status change = %+v, %v", ev, err)
	}
	if ev, err = zendesk.ParseTicketEvent([]byte(`{"ticket_id": 123, "salesforce_org_id": "00D"}`)); err != nil || ev.TicketID != 123 {
		t.Fatalf("trigger body = %+v, %v", ev, err)
	}
	for _, bad := range []string{`not json`, `{}`, `{"detail":{"id":"x"}}`} {
		if _, err := zendesk.ParseTicketEvent([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
