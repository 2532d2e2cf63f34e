package datasync

import (
	"context"
	"fmt"
	"slices"

	"github.com/crossview/crossview/server/internal/crossview"
)

// keepLinks remembers the Accounts a Contact written belongs to (its
// Account first), writing only when they changed, so its delete can
// remove its memberships whenever "unlink" is chosen.
func (s *Service) keepLinks(ctx context.Context, c crossview.Connection, r crossview.SFRecord) error {
	if r.Object != "" && r.Object != objContact {
		return nil
	}
	var accts []string
	for _, a := range append([]string{r.AccountID}, r.Related...) {
		if a != "" && !slices.Contains(accts, a) {
			accts = append(accts, a)
		}
	}
	var had []string
	ok, err := s.getJSON(ctx, c.Tenant, tableLinks+c.ID, r.ID, &had)
	if err != nil {
		return err
	}
	had = slices.DeleteFunc(had, func(a string) bool { return a == "" }) // older entries kept "" for no Account
	switch {
	case len(accts) == 0 && ok:
		return s.o.Records.Delete(ctx, c.Tenant, tableLinks+c.ID, r.ID)
	case len(accts) == 0 || slices.Equal(accts, had):
		return nil
	}
	return s.putJSON(ctx, c.Tenant, tableLinks+c.ID, r.ID, accts)
}

// unlink removes deleted Contacts' organization memberships, logging each
// Contact: what was removed, or why nothing was.
func (s *Service) unlink(ctx context.Context, c crossview.Connection, t crossview.Tenant, gone []crossview.SFDeleted) (int, error) {
	now := s.o.Now()
	var ms []crossview.Membership
	for _, g := range gone {
		var accts []string
		ok, err := s.getJSON(ctx, c.Tenant, tableLinks+c.ID, g.ID, &accts)
		if err != nil {
			return 0, err
		}
		accts = slices.DeleteFunc(accts, func(a string) bool { return a == "" })
		if !ok || len(accts) == 0 {
			s.log(ctx, c, Entry{At: now, Object: objContact, Why: "delete", Record: g.ID, Skipped: 1,
				Error: "no organization known for this Contact (it had no Account when written, or was written before Crossview kept them): its Zendesk user's memberships were left as they are"})
			continue
		}
		for _, a := range accts {
			ms = append(ms, crossview.Membership{UserExternalID: g.ID, OrgExternalID: a})
		}
	}
	failed := map[string][]string{}
	for start := 0; start < len(ms); start += batch {
		res, err := s.o.Sink.RemoveMemberships(ctx, t, ms[start:min(start+batch, len(ms))])
		if err != nil {
			return 0, err
		}
		for k, r := range res {
			if r.Failed() {
				m := ms[start+k]
				failed[m.UserExternalID] = append(failed[m.UserExternalID], m.OrgExternalID+": "+r.Error)
			}
		}
	}
	n := 0
	for _, g := range gone {
		var count int
		for _, m := range ms {
			if m.UserExternalID == g.ID {
				count++
			}
		}
		if count == 0 {
			continue
		}
		e := Entry{At: now, Object: objContact, Why: "delete", Record: g.ID}
		if f := failed[g.ID]; len(f) > 0 {
			e.Failed, e.Error = 1, fmt.Sprintf("removing its memberships: %v", f)
		} else {
			e.Updated, e.Notes = 1, []string{fmt.Sprintf("removed from %d organization(s) (unlink)", count)}
			n++
		}
		s.log(ctx, c, e)
	}
	return n, nil
}
