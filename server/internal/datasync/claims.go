package datasync

import (
	"context"
	"encoding/json"
	"fmt"
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

// claimTTL bounds how long one replica holds the tenant's claims lock;
// taking claims for a batch takes milliseconds.
const claimTTL = 10 * time.Second

// claimUsers takes the claims of a batch of users: why[i] is why user i
// must not be written ("" when it may), and notes say which claims were
// taken over. Claims are decided one batch at a time under a lock (in this
// process, and a lease across replicas), so two connections never both
// take one email.
func (s *Service) claimUsers(ctx context.Context, c crossview.Connection, object string, users []crossview.UserWrite) (why, notes []string, err error) {
	why = make([]string, len(users))
	some := false
	for _, u := range users {
		some = some || emailKey(u.Email) != ""
	}
	if !some {
		return why, nil, nil
	}
	conns, err := s.o.Store.Connections(ctx, c.Tenant)
	if err != nil {
		return nil, nil, err
	}
	live := map[string]crossview.Connection{}
	for _, o := range conns {
		live[o.ID] = o
	}
	unlock, err := s.lockClaims(ctx, c.Tenant)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	for i, u := range users {
		email := emailKey(u.Email)
		if email == "" {
			continue
		}
		me := claim{Email: email, Connection: c.ID, Priority: c.DataSync.Priority, Object: object, Record: u.ExternalID}
		var cur claim
		ok, err := s.getJSON(ctx, c.Tenant, tableOwners, email, &cur)
		if err != nil {
			return nil, nil, err
		}
		take, reason := decide(cur, ok, me, live)
		if !take {
			why[i] = reason
			continue
		}
		if reason != "" {
			notes = append(notes, reason)
		}
		if !ok || cur != me {
			if err := s.putJSON(ctx, c.Tenant, tableOwners, email, me); err != nil {
				return nil, nil, err
			}
		}
	}
	return why, notes, nil
}

// decide says whether me may take the email from cur (ok: cur exists),
// and why: a note when it takes a claim over, the reason when it may not.
func decide(cur claim, ok bool, me claim, live map[string]crossview.Connection) (bool, string) {
	switch {
	case !ok || cur.Connection == "":
		return true, ""
	case cur.Connection == me.Connection && (cur.Record == me.Record || cur.Record == ""):
		return true, ""
	case cur.Connection != me.Connection:
		o, found := live[cur.Connection]
		if !found || !o.Active(crossview.FeatureContactSync) {
			return true, fmt.Sprintf("%s: taken over from %s, which no longer syncs users", me.Email, orgName(o, cur.Connection))
		}
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

func orgName(c crossview.Connection, id string) string {
	if c.Name != "" {
		return c.Name
	}
	return "connection " + id
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// lockClaims serialises claim decisions of a tenant: a mutex here, and a
// lease (SET NX PX on Redis) across replicas, waited for up to claimTTL.
func (s *Service) lockClaims(ctx context.Context, tenant string) (func(), error) {
	s.claimMu.Lock()
	name := "ds-claims:" + tenant
	deadline := time.Now().Add(claimTTL)
	for {
		hold, ok, err := s.o.Leases.Acquire(ctx, name, s.o.Worker, claimTTL)
		if err != nil {
			s.claimMu.Unlock()
			return nil, err
		}
		if ok {
			return func() {
				if err := s.o.Leases.Release(context.WithoutCancel(ctx), hold); err != nil {
					s.o.Logger.Warn("data sync: releasing the claims lock", "tenant", tenant, "err", err)
				}
				s.claimMu.Unlock()
			}, nil
		}
		if time.Now().After(deadline) {
			s.claimMu.Unlock()
			return nil, fmt.Errorf("datasync: another replica holds the email claims of %s", tenant)
		}
		select {
		case <-ctx.Done():
			s.claimMu.Unlock()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// releaseClaims gives up the emails deleted records held, so another
// record with the email may take the Zendesk user.
func (s *Service) releaseClaims(ctx context.Context, c crossview.Connection, object string, gone []crossview.SFDeleted) (int, error) {
	deleted := map[string]bool{}
	for _, g := range gone {
		deleted[g.ID] = true
	}
	unlock, err := s.lockClaims(ctx, c.Tenant)
	if err != nil {
		return 0, err
	}
	defer unlock()
	raw, err := s.o.Records.List(ctx, c.Tenant, tableOwners)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range raw {
		var cl claim
		if json.Unmarshal(b, &cl) != nil || cl.Email == "" || cl.Connection != c.ID || cl.Object != object || !deleted[cl.Record] {
			continue
		}
		if err := s.o.Records.Delete(ctx, c.Tenant, tableOwners, cl.Email); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
