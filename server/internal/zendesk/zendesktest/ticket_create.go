package zendesktest

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// handleCreateTicket serves POST /api/v2/tickets.json: 201 with the
// ticket and its audit. The comment becomes the description and the first
// comment; without one the ticket is refused, as Zendesk does. The
// requester is requester_id, a requester object (found by email, or
// created), or the caller.
func handleCreateTicket(c *call) error {
	f, err := readObject(c, "ticket")
	if err != nil {
		return err
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	base := Ticket{Status: "new", Via: Via{Channel: "api"}}
	next, cm, err := a.applyTicketUpdate(base, f)
	if err != nil {
		return err
	}
	if cm == nil {
		return invalidField("description", "Description: cannot be blank")
	}
	if err := a.checkCommentAuthor(cm, c.who.user.ID); err != nil {
		return err
	}
	if !f.has("requester_id") {
		id, err := a.requesterFor(f, c.who.user.ID)
		if err != nil {
			return err
		}
		next.RequesterID = id
	}
	next.SubmitterID = c.who.user.ID
	if id, ok := f.id("submitter_id", "Submitter"); ok && a.users[id] != nil {
		next.SubmitterID = id
	}
	if next.OrganizationID == 0 && a.users[next.RequesterID] != nil {
		next.OrganizationID = a.users[next.RequesterID].OrganizationID
	}
	next.Description = cm.Body
	next.ID = a.claimID(0, &a.nextTicket, func(id int64) bool { return a.tickets[id] != nil })
	next.URL = a.ticketURL(next.ID)
	rec := &ticketRecord{changed: a.now()}
	next.CreatedAt = rec.changed.Truncate(time.Second)
	next.UpdatedAt = next.CreatedAt
	rec.t = next.clone()
	rec.metrics.id = a.eventID()
	rec.remember()
	a.tickets[next.ID] = rec
	au := a.afterChange(rec, nil, next, c.who.user.ID, cm, "api")
	writeJSON(c.w, http.StatusCreated, map[string]any{"ticket": next.clone(), "audit": a.auditJSON(au)})
	return nil
}

// requesterFor resolves the requester object of a new ticket: an existing
// user by email, else a new end-user. Without one the caller requests.
// Callers hold a.mu.
func (a *Account) requesterFor(f *fields, caller int64) (int64, error) {
	if !f.has("requester") || f.isNull("requester") {
		return caller, nil
	}
	var r struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}
	if json.Unmarshal(f.raw["requester"], &r) != nil || !looksLikeEmail(r.Email) {
		return 0, invalidField("requester", "Requester: Email is invalid")
	}
	if u := a.userByEmail(r.Email); u != nil {
		return u.ID, nil
	}
	name := strings.TrimSpace(r.Name)
	if name == "" {
		name = r.Email[:strings.IndexByte(r.Email, '@')]
	}
	now := a.now().Truncate(time.Second)
	u := &User{Name: name, Email: r.Email, Role: RoleEndUser, Active: true, CreatedAt: now, UpdatedAt: now}
	u.ID = a.claimID(0, &a.nextUser, func(id int64) bool { return a.users[id] != nil })
	u.URL = a.userURL(u.ID)
	a.users[u.ID] = u
	a.indexUser(u)
	return u.ID, nil
}
