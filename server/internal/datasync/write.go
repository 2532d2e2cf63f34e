package datasync

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// batch is how many records one Zendesk write takes.
const batch = 100

// Entry is one line of a connection's data-sync log.
type Entry struct {
	At      time.Time `json:"at"`
	Object  string    `json:"object"`
	Why     string    `json:"why"` // change, backfill, replay, delete
	Record  string    `json:"record,omitempty"`
	Created int       `json:"created,omitempty"`
	Updated int       `json:"updated,omitempty"`
	// Unchanged were read and found as Zendesk already has them.
	Unchanged int      `json:"unchanged,omitempty"`
	Skipped   int      `json:"skipped,omitempty"`
	Failed    int      `json:"failed,omitempty"`
	Error     string   `json:"error,omitempty"`
	Notes     []string `json:"notes,omitempty"`
	LagMS     int64    `json:"lag_ms,omitempty"`
}

// write maps records and writes them to Zendesk in batches, recording each
// record's outcome: a record Zendesk refuses is kept in the errors list
// (replayable) and never stops the others. An error means the batch could
// not be written at all; the cursor then stays where it was.
func (s *Service) write(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, recs []crossview.SFRecord, why string) error {
	return s.writeEach(ctx, c, t, ob, recs, why, nil)
}

// writeEach is write calling each after every batch is recorded, so a
// caller can keep its progress batch by batch.
func (s *Service) writeEach(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, recs []crossview.SFRecord, why string,
	each func(part []crossview.SFRecord) error) error {
	types, err := s.zendeskFields(ctx, t, ob.object)
	if err != nil {
		return err
	}
	if ob.object != objAccount && c.DataSync.Memberships == "all" {
		if err := s.o.Source.Related(ctx, c, recs); err != nil {
			return err
		}
	}
	known, err := s.failingIDs(ctx, c)
	if err != nil {
		return err
	}
	// Zendesk runs each batch as a job that takes a while; a few go at
	// once, and their outcomes are kept in order, so a checkpoint after a
	// group never passes a batch that did not land.
	type done struct {
		results []crossview.WriteResult
		notes   []string
		err     error
	}
	step := batch * s.o.ConcurrentBatches
	for start := 0; start < len(recs); start += step {
		group := recs[start:min(start+step, len(recs))]
		outs := make([]done, (len(group)+batch-1)/batch)
		var wg sync.WaitGroup
		for i := range outs {
			part := group[i*batch : min((i+1)*batch, len(group))]
			wg.Go(func() {
				r, n, err := s.writeBatch(ctx, c, t, ob, part, types)
				outs[i] = done{r, n, err}
			})
		}
		wg.Wait()
		for i, o := range outs {
			if o.err != nil {
				return o.err
			}
			part := group[i*batch : min((i+1)*batch, len(group))]
			if err := s.record(ctx, c, ob.object, why, part, o.results, o.notes, known); err != nil {
				return err
			}
			if each != nil {
				if err := each(part); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// writeBatch writes up to one batch of records.
func (s *Service) writeBatch(ctx context.Context, c crossview.Connection, t crossview.Tenant, ob objectSync, recs []crossview.SFRecord, types fieldTypes) ([]crossview.WriteResult, []string, error) {
	var notes []string
	if ob.object == objAccount {
		orgs := make([]crossview.OrgWrite, len(recs))
		for i, r := range recs {
			var n []string
			orgs[i], n = orgWrite(c.DataSync, ob, r, types)
			notes = append(notes, n...)
		}
		res, err := s.o.Sink.UpsertOrganizations(ctx, t, orgs)
		return res, notes, err
	}
	users := make([]crossview.UserWrite, 0, len(recs))
	results := make([]crossview.WriteResult, len(recs))
	index := make([]int, 0, len(recs)) // users[k] is recs[index[k]]
	for i, r := range recs {
		u, n := userWrite(c.DataSync, ob, r, types)
		notes = append(notes, n...)
		if why := unwritable(ob.object, r, u); why != "" {
			results[i] = crossview.WriteResult{ExternalID: r.ID, Status: "skipped", Error: why}
			continue
		}
		users = append(users, u)
		index = append(index, i)
	}
	why, taken, reserved, err := s.claimUsers(ctx, c, ob.object, users)
	if err != nil {
		return nil, nil, err
	}
	notes = append(notes, taken...)
	k := 0
	for j, u := range users {
		if why[j] != "" {
			results[index[j]] = crossview.WriteResult{ExternalID: u.ExternalID, Status: "skipped", Error: why[j]}
			continue
		}
		users[k], index[k], reserved[k] = u, index[j], reserved[j]
		k++
	}
	users, index, reserved = users[:k], index[:k], reserved[:k]
	if len(users) > 0 {
		res, err := s.o.Sink.UpsertUsers(ctx, t, users)
		if serr := s.settleClaims(ctx, c, ob.object, users, reserved, res); serr != nil && err == nil {
			err = serr
		}
		if err != nil {
			return nil, nil, err
		}
		for k, r := range res {
			if k < len(index) {
				results[index[k]] = r
			}
		}
		refused, err := s.memberships(ctx, c, t, recs, results)
		if err != nil {
			return nil, nil, err
		}
		notes = append(notes, refused...)
	}
	return results, notes, nil
}

// memberships adds the secondary organization memberships of the Contacts
// written, and remembers each Contact's Accounts, whatever the delete
// rule is now, so an unlink chosen later finds them. It returns a note for
// each membership Zendesk refused, for the sync log.
func (s *Service) memberships(ctx context.Context, c crossview.Connection, t crossview.Tenant, recs []crossview.SFRecord, results []crossview.WriteResult) ([]string, error) {
	var ms []crossview.Membership
	for i, r := range recs {
		if results[i].Failed() || results[i].Status == "skipped" {
			continue
		}
		for _, acct := range r.Related {
			if acct != r.AccountID {
				ms = append(ms, crossview.Membership{UserExternalID: r.ID, OrgExternalID: acct})
			}
		}
		if err := s.keepLinks(ctx, c, r); err != nil {
			return nil, err
		}
	}
	var refused []string
	for start := 0; start < len(ms); start += batch {
		part := ms[start:min(start+batch, len(ms))]
		res, err := s.o.Sink.AddMemberships(ctx, t, part)
		if err != nil {
			return nil, err
		}
		for k, r := range res {
			if r.Failed() && k < len(part) {
				refused = append(refused, fmt.Sprintf("Zendesk refused %s's membership of the organization of Account %s: %s", part[k].UserExternalID, part[k].OrgExternalID, r.Error))
			}
		}
	}
	return refused, nil
}

// unwritable says why a record makes no Zendesk user, "" when it does.
func unwritable(object string, r crossview.SFRecord, u crossview.UserWrite) string {
	if object == objLead && r.Fields["IsConverted"] == true {
		return "the Lead is converted: its Contact is synced instead"
	}
	if u.Email == "" && u.Name == "" {
		return "no name and no email to make a Zendesk user of"
	}
	return ""
}

// failingIDs lists the records waiting in the errors list, so a success
// clears only what is there.
func (s *Service) failingIDs(ctx context.Context, c crossview.Connection) (map[string]bool, error) {
	n, err := s.o.Records.Count(ctx, c.Tenant, tableErrors+c.ID)
	if err != nil || n == 0 {
		return map[string]bool{}, err
	}
	errs, err := s.Errors(ctx, c)
	out := map[string]bool{}
	for _, e := range errs {
		out[errorKey(e.Object, e.ID)] = true
	}
	return out, err
}

// record keeps each record's outcome: errors listed, successes cleared,
// the batch logged and counted.
func (s *Service) record(ctx context.Context, c crossview.Connection, object, why string, recs []crossview.SFRecord, results []crossview.WriteResult, notes []string, known map[string]bool) error {
	now := s.o.Now()
	e := Entry{At: now, Object: object, Why: why, Notes: notes}
	var lag time.Duration
	for i, r := range recs {
		res := crossview.WriteResult{ExternalID: r.ID, Status: "failed", Error: "Zendesk gave no result for this record"}
		if i < len(results) {
			res = results[i]
		}
		key := errorKey(object, r.ID)
		switch {
		case res.Failed():
			e.Failed++
			var prev RecordError
			if _, err := s.getJSON(ctx, c.Tenant, tableErrors+c.ID, key, &prev); err != nil {
				return err
			}
			if err := s.putJSON(ctx, c.Tenant, tableErrors+c.ID, key, RecordError{Object: object, ID: r.ID, Error: res.Error, At: now, Attempts: prev.Attempts + 1}); err != nil {
				return err
			}
			known[key] = true
			s.log(ctx, c, Entry{At: now, Object: object, Why: why, Record: r.ID, Failed: 1, Error: res.Error})
		case res.Status == "skipped":
			e.Skipped++
			if res.Error != "" {
				s.log(ctx, c, Entry{At: now, Object: object, Why: why, Record: r.ID, Skipped: 1, Error: res.Error})
			}
		case res.Status == "created":
			e.Created++
		case res.Status == "unchanged":
			e.Unchanged++
		default:
			e.Updated++
		}
		if !res.Failed() && known[key] {
			if err := s.o.Records.Delete(ctx, c.Tenant, tableErrors+c.ID, key); err != nil {
				return err
			}
			delete(known, key)
		}
		var recLag time.Duration // a backfill's or a replay's age is no lag
		if !r.Modstamp.IsZero() && why == "change" {
			recLag = max(now.Sub(r.Modstamp), time.Millisecond)
			lag = max(lag, recLag)
		}
		if s.o.Metrics != nil {
			s.o.Metrics.RecordSynced(object, res.Status, recLag)
		}
	}
	e.LagMS = lag.Milliseconds()
	s.log(ctx, c, e)
	return nil
}

// applyDeletes does what the connection's settings say a Salesforce delete
// does: nothing, a tag, or removing the organization membership.
func (s *Service) applyDeletes(ctx context.Context, c crossview.Connection, t crossview.Tenant, object string, gone []crossview.SFDeleted) error {
	ds := c.DataSync
	e := Entry{At: s.o.Now(), Object: object, Why: "delete", Notes: []string{strings.Join(ids(gone), " ")}}
	if object != objAccount {
		n, err := s.releaseClaims(ctx, c, object, gone)
		if err != nil {
			return err
		}
		if n > 0 {
			e.Notes = append(e.Notes, fmt.Sprintf("%d email(s) freed for other records", n))
		}
	}
	switch ds.OnDelete {
	case "tag":
		kind := "users"
		if object == objAccount {
			kind = "organizations"
		}
		tagName := ds.DeleteTag
		if tagName == "" {
			tagName = "salesforce_deleted"
		}
		all := ids(gone)
		for start := 0; start < len(all); start += batch {
			res, err := s.o.Sink.Tag(ctx, t, kind, all[start:min(start+batch, len(all))], tagName)
			if err != nil {
				return err
			}
			for _, r := range res {
				if r.Failed() {
					e.Failed++
				} else {
					e.Updated++
				}
			}
		}
	case "unlink":
		if object != objContact {
			e.Skipped = len(gone)
			e.Notes = append(e.Notes, "unlink: only a Contact's organization memberships are removed on its delete")
			break
		}
		n, err := s.unlink(ctx, c, t, gone)
		if err != nil {
			return err
		}
		e.Updated = n
	default:
		e.Skipped = len(gone)
	}
	if object == objContact {
		// the delete is handled: its Accounts are of no more use, whatever the rule
		for _, g := range gone {
			if err := s.o.Records.Delete(ctx, c.Tenant, tableLinks+c.ID, g.ID); err != nil {
				return err
			}
		}
	}
	s.log(ctx, c, e)
	return nil
}

func ids(gone []crossview.SFDeleted) []string {
	out := make([]string, len(gone))
	for i, g := range gone {
		out[i] = g.ID
	}
	return out
}

// zendeskFields returns the tenant's custom fields for an object's
// target, cached for five minutes.
func (s *Service) zendeskFields(ctx context.Context, t crossview.Tenant, object string) (fieldTypes, error) {
	s.mu.Lock()
	cf, ok := s.fields[t.Subdomain]
	s.mu.Unlock()
	if !ok || s.o.Now().Sub(cf.at) > 5*time.Minute {
		user, org, err := s.o.Sink.Fields(ctx, t)
		if err != nil {
			return nil, err
		}
		cf = cachedFields{at: s.o.Now(), user: user, org: org}
		s.mu.Lock()
		s.fields[t.Subdomain] = cf
		s.mu.Unlock()
	}
	list := cf.user
	if object == objAccount {
		list = cf.org
	}
	out := fieldTypes{}
	for _, f := range list {
		out[f.Key] = f
	}
	return out, nil
}

// log appends to the connection's data-sync log; a failure to log is
// logged, never fatal.
func (s *Service) log(ctx context.Context, c crossview.Connection, e Entry) {
	if s.o.Log == nil {
		return
	}
	b, err := json.Marshal(e)
	if err == nil {
		err = s.o.Log.Append(ctx, "ds:"+c.ID, e.At, b)
	}
	if err != nil {
		s.o.Logger.Warn("data sync: writing the log", "connection", c.ID, "err", err)
	}
}
