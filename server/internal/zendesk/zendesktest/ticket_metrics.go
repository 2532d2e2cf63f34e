package zendesktest

import (
	"net/http"
	"strconv"
	"time"
)

// ticketMetrics is what Zendesk's ticket metric set records: when a ticket
// was solved, assigned, commented, and how often it was reopened.
type ticketMetrics struct {
	id                                          int64
	created, updated                            time.Time
	solved, assigned, initiallyAssigned         time.Time
	statusUpdated, latestComment, firstReply    time.Time
	requesterUpdated, assigneeUpdated           time.Time
	reopens, replies, assigneeStations, groupSt int
}

// update applies one audit's change. Callers hold the account lock.
func (m *ticketMetrics) update(old *Ticket, next Ticket, c *Comment, at time.Time, users map[int64]*User) {
	at = at.Truncate(time.Second)
	if old == nil {
		m.created, m.statusUpdated = at, at
		old = &Ticket{}
	}
	m.updated = at
	if old.Status != next.Status {
		m.statusUpdated = at
		if next.Status == "solved" {
			m.solved = at
		}
		if old.Status == "solved" && next.Status != "closed" {
			m.reopens++
		}
	}
	if old.AssigneeID != next.AssigneeID {
		m.assigneeUpdated = at
		if next.AssigneeID != 0 {
			m.assigned = at
			m.assigneeStations++
			if m.initiallyAssigned.IsZero() {
				m.initiallyAssigned = at
			}
		}
	}
	if old.GroupID != next.GroupID && next.GroupID != 0 {
		m.groupSt++
	}
	if c != nil {
		m.latestComment = at
		author := users[c.AuthorID]
		if c.Public && author != nil && author.Role != RoleEndUser && old.ID != 0 {
			m.replies++
			if m.firstReply.IsZero() {
				m.firstReply = at
			}
		} else if c.AuthorID == next.RequesterID {
			m.requesterUpdated = at
		}
	}
}

// json renders the metric set of ticket t.
func (m *ticketMetrics) json(a *Account, ticketID int64) map[string]any {
	minutes := func(from, to time.Time) any {
		if to.IsZero() {
			return map[string]any{"calendar": nil, "business": nil}
		}
		n := int(to.Sub(from).Minutes())
		return map[string]any{"calendar": n, "business": n}
	}
	return map[string]any{
		"id": m.id, "ticket_id": ticketID,
		"url":               a.base + "/api/v2/ticket_metrics/" + strconv.FormatInt(m.id, 10) + ".json",
		"group_stations":    m.groupSt,
		"assignee_stations": m.assigneeStations, "reopens": m.reopens, "replies": m.replies,
		"assignee_updated_at": optStamp(m.assigneeUpdated), "requester_updated_at": optStamp(m.requesterUpdated),
		"status_updated_at": optStamp(m.statusUpdated), "initially_assigned_at": optStamp(m.initiallyAssigned),
		"assigned_at": optStamp(m.assigned), "solved_at": optStamp(m.solved),
		"latest_comment_added_at":          optStamp(m.latestComment),
		"reply_time_in_minutes":            minutes(m.created, m.firstReply),
		"first_resolution_time_in_minutes": minutes(m.created, m.solved),
		"full_resolution_time_in_minutes":  minutes(m.created, m.solved),
		"created_at":                       stamp(m.created), "updated_at": stamp(m.updated),
	}
}

func optStamp(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}

// handleTicketMetrics serves GET /api/v2/tickets/{id}/metrics.json.
func handleTicketMetrics(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.tickets[c.id("id")]
	if rec == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"ticket_metric": rec.metrics.json(a, rec.t.ID)})
	return nil
}
