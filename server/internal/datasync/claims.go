package datasync

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// claim says which Salesforce record writes the Zendesk user of an email.
// Zendesk keeps one user per email, so when several records name one
// email (orgs feeding one account, or a Contact and a Lead of one org),
// one of them writes the user and the others are skipped with the reason:
//
//   - across orgs, the connection with the lower priority number wins;
//     a tie keeps the record that claimed first;
//   - in one org, a Contact wins over a Lead; between two Contacts (or two
//     Leads) the first keeps the user;
//   - a claim lapses when its connection no longer syncs users
//     (disconnected, removed, contact sync off), and when its record is
//     deleted in Salesforce.
//
// A record whose email changes keeps the claim of the old one too: the
// Zendesk user keeps that address as an identity (emails are only ever
// added), so another record with it would land on the same user.
type claim struct {
	Email      string `json:"email,omitempty"`
	Connection string `json:"connection"`
	Priority   int    `json:"priority"`
	Object     string `json:"object,omitempty"`
	Record     string `json:"record,omitempty"`
}

// entry is what the claims table keeps for an email: the claim of the
// record whose write Zendesk accepted, and beside it the reservation of a
// record being written now. A reservation becomes the claim only when
// Zendesk creates, updates or leaves the user as it is; a refused record's
// reservation is dropped, so a record Zendesk refuses never takes the
// email from the user's writer. Until bounds a reservation a replica left
// behind when it died mid-write.
type entry struct {
	claim
	Reserved *claim    `json:"reserved,omitempty"`
	Until    time.Time `json:"until,omitzero"`
}

// reserveTTL is longer than any one batch's write (Zendesk's job queue is
// waited for up to five minutes).
const reserveTTL = 15 * time.Minute

// current is the claim a new record is weighed against: a live
// reservation, else the accepted claim; ok is false when there is none.
func (e entry) current(now time.Time) (claim, bool) {
	if e.Reserved != nil && now.Before(e.Until) {
		return *e.Reserved, true
	}
	return e.claim, e.Connection != ""
}

// tableClaimed (+ connection id/object/record id) lists the emails a
// record claimed, so its delete frees them without reading every claim.
const tableClaimed = "ds_claimed/"

func claimedTable(c crossview.Connection, object, record string) string {
	return tableClaimed + c.ID + "/" + object + "/" + record
}

// claimUsers reserves the emails of a batch of users: why[i] is why user i
// must not be written ("" when it may), reserved[i] whether it holds a
// reservation settleClaims must settle, and notes say which claims are
// being taken over. Claims are decided one batch at a time under a lock
// (in this process, and a lease across replicas), so two connections never
// both take one email.
func (s *Service) claimUsers(ctx context.Context, c crossview.Connection, object string, users []crossview.UserWrite) (why, notes []string, reserved []bool, err error) {
	why, reserved = make([]string, len(users)), make([]bool, len(users))
	some := false
	for _, u := range users {
		some = some || emailKey(u.Email) != ""
	}
	if !some {
		return why, nil, reserved, nil
	}
	conns, err := s.o.Store.Connections(ctx, c.Tenant)
	if err != nil {
		return nil, nil, nil, err
	}
	live := map[string]crossview.Connection{}
	for _, o := range conns {
		live[o.ID] = o
	}
	l, err := s.lockClaims(ctx, c.Tenant)
	if err != nil {
		return nil, nil, nil, err
	}
	defer l.unlock(ctx)
	now := s.o.Now()
	for i, u := range users {
		email := emailKey(u.Email)
		if email == "" {
			continue
		}
		if err := l.keep(ctx); err != nil {
			return nil, nil, nil, err
		}
		me := claim{Email: email, Connection: c.ID, Priority: c.DataSync.Priority, Object: object, Record: u.ExternalID}
		var e entry
		if _, err := s.getJSON(ctx, c.Tenant, tableOwners, email, &e); err != nil {
			return nil, nil, nil, err
		}
		cur, ok := e.current(now)
		take, reason := decide(cur, ok, me, live)
		if !take {
			why[i] = reason
			continue
		}
		if reason != "" {
			notes = append(notes, reason)
		}
		if e.claim == me && cur == me {
			continue // already this record's: it keeps it whatever Zendesk says
		}
		e.Reserved, e.Until = &me, now.Add(reserveTTL)
		if err := s.putJSON(ctx, c.Tenant, tableOwners, email, e); err != nil {
			return nil, nil, nil, err
		}
		reserved[i] = true
	}
	return why, notes, reserved, nil
}

// settleClaims turns the reservations of the users Zendesk accepted into
// their claims and drops those of the users it refused (results[i] is
// user i's outcome; a missing one is a refusal).
func (s *Service) settleClaims(ctx context.Context, c crossview.Connection, object string, users []crossview.UserWrite, reserved []bool, results []crossview.WriteResult) error {
	if !slices.Contains(reserved, true) {
		return nil
	}
	ctx = context.WithoutCancel(ctx) // a reservation left behind blocks its email until it runs out
	l, err := s.lockClaims(ctx, c.Tenant)
	if err != nil {
		return err
	}
	defer l.unlock(ctx)
	for i, u := range users {
		if !reserved[i] {
			continue
		}
		if err := l.keep(ctx); err != nil {
			return err
		}
		me := claim{Email: emailKey(u.Email), Connection: c.ID, Priority: c.DataSync.Priority, Object: object, Record: u.ExternalID}
		var e entry
		if _, err := s.getJSON(ctx, c.Tenant, tableOwners, me.Email, &e); err != nil {
			return err
		}
		mine := e.Reserved != nil && *e.Reserved == me
		landed := i < len(results) && !results[i].Failed() && results[i].Status != "skipped"
		switch {
		case landed && mine:
			e = entry{claim: me}
		case landed && e.Reserved != nil:
			e.claim = me // a record that comes first reserved it meanwhile: this one is the writer until it lands
		case landed:
			continue // taken over and settled meanwhile
		case mine:
			e.Reserved, e.Until = nil, time.Time{}
		default:
			continue
		}
		if e.Connection == "" && e.Reserved == nil {
			err = s.o.Records.Delete(ctx, c.Tenant, tableOwners, me.Email)
		} else {
			err = s.putJSON(ctx, c.Tenant, tableOwners, me.Email, e)
		}
		if err == nil && landed {
			err = s.putJSON(ctx, c.Tenant, claimedTable(c, object, me.Record), me.Email, me.Email)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// decide says whether me may take the email from cur (ok: cur exists),
// and why: a note when it takes a claim over, the reason when it may not.
func decide(cur claim, ok bool, me claim, live map[string]crossview.Connection) (bool, string) {
	switch {
	case !ok || cur.Connection == "":
		return true, ""
	case cur.Connection == me.Connection && (cur.Record == me.Record || cur.Record == ""):
		return true, ""
	case lapsed(cur, live):
		o := live[cur.Connection]
		if cur.Connection == me.Connection {
			return true, fmt.Sprintf("%s: taken over from %s %s, as this org no longer syncs %ss", me.Email, cur.Object, cur.Record, cur.Object)
		}
		return true, fmt.Sprintf("%s: taken over from %s, which no longer syncs users", me.Email, orgName(o, cur.Connection))
	case cur.Connection != me.Connection:
		o := live[cur.Connection]
		if me.Priority < o.DataSync.Priority {
			return true, fmt.Sprintf("%s: taken over from %s %s of %s (priority %d; this org's %d comes first)",
				me.Email, cur.Object, cur.Record, orgName(o, cur.Connection), o.DataSync.Priority, me.Priority)
		}
		return false, fmt.Sprintf("%s is the Zendesk user of %s %s of another connected org, %s, whose priority %d comes before this org's %d (the lower number wins)",
			me.Email, cur.Object, cur.Record, orgName(o, cur.Connection), o.DataSync.Priority, me.Priority)
	case cur.Object == objLead && me.Object == objContact:
		return true, fmt.Sprintf("%s: taken over from Lead %s (a Contact wins over a Lead)", me.Email, cur.Record)
	case cur.Object == objContact && me.Object == objLead:
		return false, fmt.Sprintf("%s is the Zendesk user of Contact %s; a Contact wins over a Lead with the same email", me.Email, cur.Record)
	default:
		return false, fmt.Sprintf("%s is already the Zendesk user of %s %s, which has the same email; it keeps the user", me.Email, cur.Object, cur.Record)
	}
}

// lapsed reports whether a claim's connection no longer syncs its record:
// the connection is gone or syncs no users, or its object is turned off.
func lapsed(cur claim, live map[string]crossview.Connection) bool {
	o, found := live[cur.Connection]
	if !found || !o.Active(crossview.FeatureContactSync) {
		return true
	}
	switch cur.Object {
	case objContact:
		return !o.DataSync.Contacts.On
	case objLead:
		return !o.DataSync.Leads.On
	}
	return false
}

func orgName(c crossview.Connection, id string) string {
	if c.Name != "" {
		return c.Name
	}
	return "connection " + id
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// releaseClaims gives up the emails deleted records held, so another
// record with the email may take the Zendesk user. It reads only the
// deleted records' own claims, and takes the lock a part at a time.
func (s *Service) releaseClaims(ctx context.Context, c crossview.Connection, object string, gone []crossview.SFDeleted) (int, error) {
	n := 0
	for start := 0; start < len(gone); start += batch {
		k, err := s.releasePart(ctx, c, object, gone[start:min(start+batch, len(gone))])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Service) releasePart(ctx context.Context, c crossview.Connection, object string, gone []crossview.SFDeleted) (int, error) {
	l, err := s.lockClaims(ctx, c.Tenant)
	if err != nil {
		return 0, err
	}
	defer l.unlock(ctx)
	n := 0
	for _, g := range gone {
		table := claimedTable(c, object, g.ID)
		raw, err := s.o.Records.List(ctx, c.Tenant, table)
		if err != nil {
			return n, err
		}
		for _, b := range raw {
			var email string
			if json.Unmarshal(b, &email) != nil || email == "" {
				continue
			}
			if err := l.keep(ctx); err != nil {
				return n, err
			}
			var e entry
			ok, err := s.getJSON(ctx, c.Tenant, tableOwners, email, &e)
			if err != nil {
				return n, err
			}
			if ok && e.Connection == c.ID && e.Object == object && e.Record == g.ID {
				e.claim = claim{}
				if e.Reserved == nil {
					err = s.o.Records.Delete(ctx, c.Tenant, tableOwners, email)
				} else {
					err = s.putJSON(ctx, c.Tenant, tableOwners, email, e)
				}
				if err != nil {
					return n, err
				}
				n++
			}
			if err := s.o.Records.Delete(ctx, c.Tenant, table, email); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
