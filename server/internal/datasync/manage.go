package datasync

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

const permanent = ticketsync.Permanent

// Check says whether the connection's data-sync settings fit the org and
// the Zendesk account: every mapping and filter of each object the
// feature covers, against the describe and the Zendesk fields.
func (s *Service) Check(ctx context.Context, c crossview.Connection, f crossview.Feature) ([]crossview.HealthProblem, error) {
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return nil, err
	}
	user, org, err := s.o.Sink.Fields(ctx, t)
	if err != nil {
		return nil, err
	}
	var problems []crossview.HealthProblem
	for _, ob := range featureObjects(c, f) {
		fields := user
		if ob.object == objAccount {
			fields = org
		}
		p, err := s.o.Source.CheckObject(ctx, c, ob.object, ob.sync, fields)
		if err != nil {
			return nil, err
		}
		problems = append(problems, p...)
	}
	return problems, nil
}

// featureObjects lists the objects a feature syncs under the settings.
func featureObjects(c crossview.Connection, f crossview.Feature) []objectSync {
	ds := c.DataSync
	var out []objectSync
	switch f {
	case crossview.FeatureAccountSync:
		if ds.Accounts.On {
			out = append(out, objectSync{objAccount, ds.Accounts})
		}
	case crossview.FeatureContactSync:
		if ds.Contacts.On {
			out = append(out, objectSync{objContact, ds.Contacts})
		}
		if ds.Leads.On {
			out = append(out, objectSync{objLead, ds.Leads})
		}
	}
	return out
}

// Enable turns account or contact sync on: the settings must fit the org
// and the account (refused, naming each problem, if not), and a backfill
// of every record in scope starts. The connection is saved and returned.
func (s *Service) Enable(ctx context.Context, c crossview.Connection, f crossview.Feature) (crossview.Connection, error) {
	if f != crossview.FeatureAccountSync && f != crossview.FeatureContactSync {
		return c, crossview.Errorf(crossview.EINVALID, "%s is not a data-sync feature", f)
	}
	if c.Status != crossview.StatusActive {
		return c, crossview.Errorf(crossview.ECONFLICT, "Reconnect this org before turning %s on.", f)
	}
	objs := featureObjects(c, f)
	if len(objs) == 0 {
		return c, crossview.Errorf(crossview.EINVALID, "Choose at least one object to sync in the data-sync settings first.")
	}
	problems, err := s.Check(ctx, c, f)
	if err != nil {
		return c, err
	}
	if len(problems) > 0 {
		parts := make([]string, 0, len(problems))
		for _, p := range problems {
			parts = append(parts, strings.TrimSuffix(p.Title, ".")+": "+p.Fix)
		}
		return c, crossview.Errorf(crossview.ECONFLICT, "%s cannot start: %s.", f, strings.Join(parts, "; "))
	}
	for _, ob := range objs {
		if err := s.startBackfill(ctx, c, ob); err != nil {
			return c, err
		}
	}
	if c.Features == nil {
		c.Features = map[crossview.Feature]bool{}
	}
	c.Features[f] = true
	c.UpdatedAt = s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	s.mu.Lock()
	delete(s.polls, c.ID) // poll at once
	s.mu.Unlock()
	return c, nil
}

// Resync starts the backfill of objects again (all the connection syncs
// when none are named): after a settings change widened their scope, or
// when an admin asks. The poller carries it out.
func (s *Service) Resync(ctx context.Context, c crossview.Connection, names ...string) error {
	n := 0
	for _, ob := range objects(c) {
		if len(names) > 0 && !contains(names, ob.object) {
			continue
		}
		if err := s.startBackfill(ctx, c, ob); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return crossview.Errorf(crossview.ECONFLICT, "Nothing to backfill: turn account or contact sync on, with the object chosen, first.")
	}
	s.mu.Lock()
	delete(s.polls, c.ID) // poll at once
	s.mu.Unlock()
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Disable turns the feature off; its cursors stay, but turning it on again
// backfills afresh.
func (s *Service) Disable(ctx context.Context, c crossview.Connection, f crossview.Feature) (crossview.Connection, error) {
	if c.Features != nil {
		c.Features[f] = false
	}
	c.UpdatedAt = s.o.Now()
	return c, s.o.Store.PutConnection(ctx, c)
}

// Status is what the admin pages and `admin sync status` show.
type Status struct {
	Objects  []ObjectStatus
	LastPoll time.Time
	NextPoll time.Time
	Interval time.Duration
	// Budget says why polls are further apart than the settings ask.
	Budget    string
	LastError string
	Errors    int
}

// ObjectStatus is one object's sync.
type ObjectStatus struct {
	Object   string
	Cursor   time.Time
	Backfill *Progress
}

// Status reports a connection's data sync.
func (s *Service) Status(ctx context.Context, c crossview.Connection) (Status, error) {
	var st Status
	for _, ob := range objects(c) {
		o, err := s.state(ctx, c, ob.object)
		if err != nil {
			return st, err
		}
		ost := ObjectStatus{Object: ob.object, Cursor: o.Cursor.Modstamp}
		if o.Backfill != nil {
			p := s.progress(ost.Object, o.Backfill)
			ost.Backfill = &p
		}
		st.Objects = append(st.Objects, ost)
	}
	p, err := s.lastPoll(ctx, c)
	if err != nil {
		return st, err
	}
	st.LastPoll, st.NextPoll, st.LastError = p.last, p.next, p.err
	st.Interval, st.Budget = s.interval(c)
	if !p.last.IsZero() && p.interval > 0 {
		// What the polling replica chose (its API usage reading, its
		// minimum), rather than this one's guess.
		st.Interval, st.Budget = p.interval, p.reason
	}
	n, err := s.o.Records.Count(ctx, c.Tenant, tableErrors+c.ID)
	st.Errors = n
	return st, err
}

// Errors lists the records Zendesk refused, newest first.
func (s *Service) Errors(ctx context.Context, c crossview.Connection) ([]RecordError, error) {
	raw, err := s.o.Records.List(ctx, c.Tenant, tableErrors+c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]RecordError, 0, len(raw))
	for _, b := range raw {
		var e RecordError
		if err := json.Unmarshal(b, &e); err == nil {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// Replay reads records Zendesk refused from Salesforce again and writes
// them; those that still fail stay listed with the new message. No ids
// replays every listed record.
func (s *Service) Replay(ctx context.Context, c crossview.Connection, object string, ids ...string) (int, error) {
	t, err := s.o.Store.Tenant(ctx, c.Tenant)
	if err != nil {
		return 0, err
	}
	errs, err := s.Errors(ctx, c)
	if err != nil {
		return 0, err
	}
	byObject := map[string][]string{}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	for _, e := range errs {
		if (object == "" || e.Object == object) && (len(ids) == 0 || want[e.ID]) {
			byObject[e.Object] = append(byObject[e.Object], e.ID)
		}
	}
	n := 0
	for _, ob := range objects(c) {
		list := byObject[ob.object]
		for start := 0; start < len(list); start += batch {
			recs, err := s.o.Source.Get(ctx, c, ob.object, list[start:min(start+batch, len(list))], readFields(ob))
			if err != nil {
				return n, err
			}
			if err := s.write(ctx, c, t, ob, recs, "replay"); err != nil {
				return n, err
			}
			n += len(recs)
		}
	}
	if len(ids) > 0 && n == 0 {
		return 0, crossview.Errorf(crossview.ENOTFOUND, "No such record waits in the data-sync errors.")
	}
	return n, nil
}

// History lists a connection's data-sync log, newest first.
func (s *Service) History(ctx context.Context, c crossview.Connection, before time.Time, limit int) ([]Entry, error) {
	raw, err := s.o.Log.Recent(ctx, "ds:"+c.ID, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(raw))
	for _, r := range raw {
		var e Entry
		if json.Unmarshal(r.Entry, &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}
