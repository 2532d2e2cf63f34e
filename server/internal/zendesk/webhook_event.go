package zendesk

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// ParseTicketEvent reads a webhook body: Zendesk's event-subscription shape
// ({"type":"zen:event-type:ticket.…","detail":{"id","requester_id",
// "organization_id"},"event":{"previous","current"}}) or a trigger body
// that names the ticket ({"ticket_id": 123}). Ids arrive as strings or
// numbers. Unknown fields are ignored.
func ParseTicketEvent(body []byte) (crossview.TicketEvent, error) {
	var raw struct {
		Type   string `json:"type"`
		Detail struct {
			ID             flexID `json:"id"`
			RequesterID    flexID `json:"requester_id"`
			OrganizationID flexID `json:"organization_id"`
		} `json:"detail"`
		Event struct {
			Previous flexID `json:"previous"`
			Current  flexID `json:"current"`
		} `json:"event"`
		TicketID  flexID `json:"ticket_id"`
		UpdatedAt string `json:"updated_at"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return crossview.TicketEvent{}, crossview.Wrap(crossview.EINVALID, "The webhook body is not JSON.", err)
	}
	ev := crossview.TicketEvent{Type: strings.TrimPrefix(raw.Type, "zen:event-type:"), TicketID: int64(raw.Detail.ID)}
	if ev.TicketID == 0 {
		ev.TicketID = int64(raw.TicketID)
	}
	if ev.TicketID <= 0 {
		return crossview.TicketEvent{}, crossview.Errorf(crossview.EINVALID, "The webhook body names no ticket.")
	}
	add := func(list []int64, id flexID) []int64 {
		if id > 0 {
			return append(list, int64(id))
		}
		return list
	}
	if at, err := time.Parse(time.RFC3339, raw.UpdatedAt); err == nil {
		ev.UpdatedAt = at
	}
	ev.RequesterIDs = add(nil, raw.Detail.RequesterID)
	ev.OrganizationIDs = add(nil, raw.Detail.OrganizationID)
	// A move to another requester or organization changes the old list too.
	switch ev.Type {
	case "ticket.requester_changed":
		ev.RequesterIDs = add(ev.RequesterIDs, raw.Event.Previous)
	case "ticket.organization_changed":
		ev.OrganizationIDs = add(ev.OrganizationIDs, raw.Event.Previous)
	}
	return ev, nil
}

// flexID decodes an id sent as a number, a numeric string, or null.
type flexID int64

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Not an id (a status "previous" value, say): ignore it.
		*f = 0
		return nil //nolint:nilerr // a non-id value is simply not an id
	}
	*f = flexID(n)
	return nil
}
