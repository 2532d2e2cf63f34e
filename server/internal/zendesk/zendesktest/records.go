package zendesktest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// AddUser stores a user and returns it with its id, url and timestamps
// set. A zero ID gets a fresh one; an empty Role means end-user. Users
// are added active; see SetUserActive. An unknown role, or an email or
// external id another user has (Zendesk keeps both unique), panics: it is
// a mistake in the calling test or seed.
func (a *Account) AddUser(u User) User {
	if u.Role == "" {
		u.Role = RoleEndUser
	}
	if !validRole(u.Role) {
		panic(fmt.Sprintf("zendesktest: AddUser: invalid role %q", u.Role))
	}
	var err error
	if u.TicketRestriction, err = restrictionFor(u.Role, u.TicketRestriction); err != nil {
		panic("zendesktest: AddUser: " + err.Error())
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, e := range u.emails() {
		if a.userByEmail(e) != nil {
			panic(fmt.Sprintf("zendesktest: AddUser: email %q is taken", e))
		}
	}
	if u.ExternalID != "" && a.userByExternalID(u.ExternalID) != nil {
		panic(fmt.Sprintf("zendesktest: AddUser: external id %q is taken", u.ExternalID))
	}
	u.OtherEmails = slices.Clone(u.OtherEmails)
	u.ID = a.claimID(u.ID, &a.nextUser, func(id int64) bool { return a.users[id] != nil })
	u.URL = a.userURL(u.ID)
	u.Active = true
	u.CreatedAt, u.UpdatedAt = a.stamps(u.CreatedAt, u.UpdatedAt)
	a.users[u.ID] = &u
	a.indexUser(&u)
	return u
}

// AddOrganization stores an organization and returns it with its id, url
// and timestamps set. A name or external id that another organization has
// panics: Zendesk keeps both unique.
func (a *Account) AddOrganization(o Organization) Organization {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.orgByName(o.Name) != nil || (o.ExternalID != "" && a.orgByExternalID(o.ExternalID) != nil) {
		panic(fmt.Sprintf("zendesktest: AddOrganization: name %q or external id %q is taken", o.Name, o.ExternalID))
	}
	o = o.clone()
	o.ID = a.claimID(o.ID, &a.nextOrg, func(id int64) bool { return a.orgs[id] != nil })
	o.URL = a.orgURL(o.ID)
	o.CreatedAt, o.UpdatedAt = a.stamps(o.CreatedAt, o.UpdatedAt)
	a.orgs[o.ID] = &o
	a.indexOrg(&o)
	return o.clone()
}

// AddTicket stores a ticket and fires ticket.created webhooks. Defaults:
// status new, submitter = requester, organization = the requester's,
// via web, created_at = updated_at = now (a given past time is kept, so
// seeds can look old). Invalid status, priority or type values panic.
func (a *Account) AddTicket(t Ticket) Ticket {
	t = t.clone()
	if t.Status == "" {
		t.Status = "new"
	}
	if msg := enumError(t); msg != "" {
		panic("zendesktest: AddTicket: " + msg)
	}
	if t.Via.Channel == "" {
		t.Via.Channel = "web"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if t.SubmitterID == 0 {
		t.SubmitterID = t.RequesterID
	}
	if req := a.users[t.RequesterID]; t.OrganizationID == 0 && req != nil {
		t.OrganizationID = req.OrganizationID
	}
	t.ID = a.claimID(t.ID, &a.nextTicket, func(id int64) bool { return a.tickets[id] != nil })
	t.URL = a.ticketURL(t.ID)
	changed := a.now()
	if !t.UpdatedAt.IsZero() {
		changed = t.UpdatedAt.UTC()
	} else if !t.CreatedAt.IsZero() {
		changed = t.CreatedAt.UTC()
	}
	t.CreatedAt, t.UpdatedAt = a.stamps(t.CreatedAt, t.UpdatedAt)
	rec := &ticketRecord{t: t, changed: changed}
	rec.metrics.id = a.eventID()
	rec.remember()
	a.tickets[t.ID] = rec
	var first *Comment
	if strings.TrimSpace(t.Description) != "" {
		first = &Comment{AuthorID: t.SubmitterID, Body: t.Description, Public: true}
	}
	a.afterChange(rec, nil, t, t.SubmitterID, first, t.Via.Channel)
	return t.clone()
}

// UpdateTicket changes a ticket with fn, bumps updated_at and fires
// webhooks for what changed. fn runs under the account's lock and must not
// call the Account. The id, url and created_at cannot change.
func (a *Account) UpdateTicket(id int64, fn func(*Ticket)) (Ticket, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	rec := a.tickets[id]
	if rec == nil {
		return Ticket{}, fmt.Errorf("zendesktest: updating ticket %d: not found", id)
	}
	next := rec.t.clone()
	fn(&next)
	if msg := enumError(next); msg != "" {
		return Ticket{}, fmt.Errorf("zendesktest: updating ticket %d: %s", id, msg)
	}
	t, _ := a.commitTicket(rec, next, 0, nil, "web")
	return t, nil
}

// commitTicket stores next as rec's new state, records its audit and
// fires webhooks and triggers. actor is the acting user (0 for the
// system); c is a comment the change adds. Callers hold a.mu.
func (a *Account) commitTicket(rec *ticketRecord, next Ticket, actor int64, c *Comment, channel string) (Ticket, *audit) {
	old := rec.t
	next.ID, next.URL, next.CreatedAt = old.ID, old.URL, old.CreatedAt
	rec.changed = a.now()
	next.UpdatedAt = rec.changed.Truncate(time.Second)
	rec.t = next.clone()
	rec.remember()
	au := a.afterChange(rec, &old, next, actor, c, channel)
	return next.clone(), au
}

// afterChange records a change's audit and tells webhooks about it.
// Callers hold a.mu.
func (a *Account) afterChange(rec *ticketRecord, old *Ticket, next Ticket, actor int64, c *Comment, channel string) *audit {
	au := a.recordAudit(rec, old, next, actor, c, channel)
	a.emitTicketEvents(old, next, actor, c)
	ch := change{old: old, next: next, comment: c, channel: channel}
	if u := a.users[actor]; u != nil {
		cp := *u
		ch.actor = &cp
	}
	a.fireTriggers(ch)
	return au
}

// Ticket returns a copy of a stored ticket.
func (a *Account) Ticket(id int64) (Ticket, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if rec := a.tickets[id]; rec != nil {
		return rec.t.clone(), true
	}
	return Ticket{}, false
}

// Tickets returns copies of every stored ticket, by id.
func (a *Account) Tickets() []Ticket {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]Ticket, 0, len(a.tickets))
	for _, rec := range a.tickets {
		out = append(out, rec.t.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// User returns a copy of a stored user.
func (a *Account) User(id int64) (User, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if u := a.users[id]; u != nil {
		return *u, true
	}
	return User{}, false
}

// Organization returns a copy of a stored organization.
func (a *Account) Organization(id int64) (Organization, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if o := a.orgs[id]; o != nil {
		return o.clone(), true
	}
	return Organization{}, false
}

// SetUserRole changes a user's role (end-user, agent or admin), e.g. to
// take admin rights away from the user who connected Crossview.
func (a *Account) SetUserRole(id int64, role string) error {
	if !validRole(role) {
		return fmt.Errorf("zendesktest: setting role of user %d: invalid role %q", id, role)
	}
	return a.changeUser(id, func(u *User) {
		u.Role = role
		u.TicketRestriction, _ = restrictionFor(role, "") // as Zendesk resets access with the role
	})
}

// SetUserActive activates or deactivates (deletes) a user. Inactive users
// cannot authenticate.
func (a *Account) SetUserActive(id int64, active bool) error {
	return a.changeUser(id, func(u *User) { u.Active = active })
}

func (a *Account) changeUser(id int64, fn func(*User)) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	u := a.users[id]
	if u == nil {
		return fmt.Errorf("zendesktest: changing user %d: not found", id)
	}
	fn(u)
	u.UpdatedAt = a.now().Truncate(time.Second)
	return nil
}

// claimID returns want if it is free and positive, else the next free id.
func (a *Account) claimID(want int64, next *int64, taken func(int64) bool) int64 {
	if want > 0 && !taken(want) {
		*next = max(*next, want)
		return want
	}
	for {
		*next++
		if !taken(*next) {
			return *next
		}
	}
}

// stamps fills zero creation and update times with now, to the second.
func (a *Account) stamps(created, updated time.Time) (time.Time, time.Time) {
	now := a.now().Truncate(time.Second)
	if created.IsZero() {
		created = now
	}
	if updated.IsZero() {
		updated = created
	}
	return created.UTC().Truncate(time.Second), updated.UTC().Truncate(time.Second)
}

// sortedUsers lists users by id. Callers hold a.mu.
func (a *Account) sortedUsers() []User {
	out := make([]User, 0, len(a.users))
	for _, u := range a.users {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(x, y User) int { return cmpInt(x.ID, y.ID) })
	return out
}

// sortedOrgs lists organizations by id. Callers hold a.mu.
func (a *Account) sortedOrgs() []Organization {
	out := make([]Organization, 0, len(a.orgs))
	for _, o := range a.orgs {
		out = append(out, o.clone())
	}
	slices.SortFunc(out, func(x, y Organization) int { return cmpInt(x.ID, y.ID) })
	return out
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func validRole(r string) bool { return r == RoleEndUser || r == RoleAgent || r == RoleAdmin }
