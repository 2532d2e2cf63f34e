package admin

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
)

// DataSync is data sync as the admin pages and the CLI drive it (the
// datasync.Service).
type DataSync interface {
	Check(ctx context.Context, c crossview.Connection, f crossview.Feature) ([]crossview.HealthProblem, error)
	Enable(ctx context.Context, c crossview.Connection, f crossview.Feature) (crossview.Connection, error)
	Disable(ctx context.Context, c crossview.Connection, f crossview.Feature) (crossview.Connection, error)
	Resync(ctx context.Context, c crossview.Connection, objects ...string) error
	Status(ctx context.Context, c crossview.Connection) (datasync.Status, error)
	Errors(ctx context.Context, c crossview.Connection) ([]datasync.RecordError, error)
	Replay(ctx context.Context, c crossview.Connection, object string, ids ...string) (int, error)
	History(ctx context.Context, c crossview.Connection, before time.Time, limit int) ([]datasync.Entry, error)
}

// dataSyncFeature reports whether f is one data sync runs.
func dataSyncFeature(f crossview.Feature) bool {
	return f == crossview.FeatureAccountSync || f == crossview.FeatureContactSync
}

// dataOwned returns a tenant's connection with its data-sync settings
// filled in: a connection made before data sync existed has none saved.
func (s *Service) dataOwned(ctx context.Context, tenant, id string) (crossview.Connection, error) {
	c, err := s.owned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if s.o.DataSync == nil {
		return c, crossview.Errorf(crossview.EUNAVAILABLE, "Data sync is not available on this server.")
	}
	if len(c.DataSync.UserMatch) == 0 && c.DataSync.OnDelete == "" {
		c.DataSync = crossview.DefaultDataSyncSettings()
	}
	return c, nil
}

// setDataSync turns account or contact sync on (the settings checked
// against the org's describe and the Zendesk fields, a backfill of every
// record in scope started) or off. A refusal names every problem and is
// audited too.
func (s *Service) setDataSync(ctx context.Context, tenant, actor, id string, f crossview.Feature, on bool) (crossview.Connection, error) {
	c, err := s.dataOwned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if !on {
		if c, err = s.o.DataSync.Disable(ctx, c, f); err != nil {
			return c, err
		}
		s.audit(ctx, tenant, actor, "feature.disable", &c, string(f)+": polling stopped; turning it on again backfills afresh")
		return c, nil
	}
	if c.Status != crossview.StatusActive {
		return c, crossview.Errorf(crossview.ECONFLICT, "%s is disconnected; reconnect it before turning features on.", c.Name)
	}
	enabled, err := s.o.DataSync.Enable(ctx, c, f)
	if err != nil {
		s.audit(ctx, tenant, actor, "data_sync.refused", &c, string(f)+": "+crossview.ErrorMessage(err))
		return c, err
	}
	s.audit(ctx, tenant, actor, "feature.enable", &enabled, string(f)+": a backfill of "+strings.Join(objectNames(enabled, f), ", ")+" started")
	return enabled, nil
}

// objectNames lists the objects a feature syncs under the settings.
func objectNames(c crossview.Connection, f crossview.Feature) []string {
	ds := c.DataSync
	var out []string
	if f == crossview.FeatureAccountSync && ds.Accounts.On {
		out = append(out, "Accounts")
	}
	if f == crossview.FeatureContactSync && ds.Contacts.On {
		out = append(out, "Contacts")
	}
	if f == crossview.FeatureContactSync && ds.Leads.On {
		out = append(out, "Leads")
	}
	return out
}

// UpdateDataSync replaces a connection's data-sync settings. While the
// org is connected, each object turned on is checked first against the
// describe and the Zendesk fields (a mapping to a field either side lacks,
// a filter Salesforce would refuse: refused by name, nothing saved). An
// object that syncs now and is new, or whose filter, mappings, match order
// or memberships changed, is brought across again by a backfill
// (Rescoped).
func (s *Service) UpdateDataSync(ctx context.Context, tenant, actor, id string, set crossview.DataSyncSettings) (crossview.Connection, error) {
	c, err := s.dataOwned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if err := set.Validate(); err != nil {
		return c, err
	}
	old := c.DataSync
	c.DataSync = set
	if c.Status == crossview.StatusActive {
		var problems []crossview.HealthProblem
		for _, f := range []crossview.Feature{crossview.FeatureAccountSync, crossview.FeatureContactSync} {
			ps, err := s.o.DataSync.Check(ctx, c, f)
			if err != nil {
				return c, crossview.Wrap(crossview.EUNAVAILABLE, "Crossview could not check these settings with Salesforce and Zendesk, so nothing was saved: "+
					crossview.ErrorMessage(err)+" Try again shortly.", err)
			}
			problems = append(problems, ps...)
		}
		if len(problems) > 0 {
			return c, crossview.Errorf(crossview.EINVALID, "Not saved: %s.", wordProblems(problems))
		}
	}
	c.UpdatedAt = s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	detail := "data sync settings changed"
	if again := Rescoped(c, old); len(again) > 0 {
		names := make([]string, len(again))
		for i, r := range again {
			names[i] = r.Object
		}
		if err := s.o.DataSync.Resync(ctx, c, names...); err != nil {
			return c, err
		}
		detail += "; " + BackfillNote(again)
	}
	s.audit(ctx, tenant, actor, "settings.data_sync", &c, detail)
	return c, nil
}

// Rescope is an object a settings change backfills again, and why.
type Rescope struct {
	Object, Why string
}

// Rescoped lists the objects syncing under the new settings whose records
// in Zendesk no longer all match them: new to the sync or with a changed
// filter (records in scope are missing), or with changed mappings, match
// order or memberships (records already in Zendesk hold what the old
// settings wrote, and change capture would reach each only at its next
// change).
func Rescoped(c crossview.Connection, old crossview.DataSyncSettings) []Rescope {
	now := c.DataSync
	users := !slices.Equal(now.UserMatch, old.UserMatch)
	var out []Rescope
	for _, o := range []struct {
		object   string
		f        crossview.Feature
		now, was crossview.ObjectSync
		matching bool
		members  bool
	}{
		{crossview.ObjectAccount, crossview.FeatureAccountSync, now.Accounts, old.Accounts, !slices.Equal(now.OrgMatch, old.OrgMatch), false},
		{crossview.ObjectContact, crossview.FeatureContactSync, now.Contacts, old.Contacts, users, now.Memberships != old.Memberships},
		{crossview.ObjectLead, crossview.FeatureContactSync, now.Leads, old.Leads, users, false},
	} {
		if !c.Active(o.f) || !o.now.On {
			continue
		}
		var why string
		switch {
		case !o.was.On || !reflect.DeepEqual(o.now.Filter, o.was.Filter):
			why = "new or changed scope"
		case !reflect.DeepEqual(o.now.Mappings, o.was.Mappings):
			why = "changed mappings"
		case o.matching:
			why = "changed matching"
		case o.members:
			why = "changed memberships"
		default:
			continue
		}
		out = append(out, Rescope{Object: o.object, Why: why})
	}
	return out
}

// BackfillNote words the backfills a settings change started: "" when
// none, else "a backfill of Contact started (changed mappings)".
func BackfillNote(again []Rescope) string {
	parts := make([]string, len(again))
	for i, r := range again {
		parts[i] = fmt.Sprintf("a backfill of %s started (%s)", r.Object, r.Why)
	}
	return strings.Join(parts, "; ")
}

// DataSyncDetails is what a connection's data-sync section shows.
type DataSyncDetails struct {
	Connection crossview.Connection
	Status     datasync.Status
	Errors     []datasync.RecordError
	// Log is one page of the data-sync log, newest first; More says
	// whether older entries follow.
	Log  []datasync.Entry
	More bool
}

// DataSync returns a connection's data-sync status, its refused records
// and a page of its log older than before (zero: the newest).
func (s *Service) DataSync(ctx context.Context, tenant, id string, before time.Time, limit int) (DataSyncDetails, error) {
	c, err := s.dataOwned(ctx, tenant, id)
	if err != nil {
		return DataSyncDetails{}, err
	}
	d := DataSyncDetails{Connection: c}
	if d.Status, err = s.o.DataSync.Status(ctx, c); err != nil {
		return d, err
	}
	if d.Errors, err = s.o.DataSync.Errors(ctx, c); err != nil {
		return d, err
	}
	if limit <= 0 {
		return d, nil
	}
	log, err := s.o.DataSync.History(ctx, c, before, limit+1)
	if err != nil {
		return d, err
	}
	if len(log) > limit {
		d.Log, d.More = log[:limit], true
	} else {
		d.Log = log
	}
	return d, nil
}

// DataSyncStatus returns a connection's data-sync status alone (the
// progress bars' poll).
func (s *Service) DataSyncStatus(ctx context.Context, tenant, id string) (datasync.Status, error) {
	c, err := s.dataOwned(ctx, tenant, id)
	if err != nil {
		return datasync.Status{}, err
	}
	return s.o.DataSync.Status(ctx, c)
}

// ReplayRecords reads records Zendesk refused from Salesforce again and
// writes them: one record by id, or every one listed when recordID is "".
// It says how many were written; those still refused stay listed.
func (s *Service) ReplayRecords(ctx context.Context, tenant, actor, id, recordID string) (int, error) {
	c, err := s.dataOwned(ctx, tenant, id)
	if err != nil {
		return 0, err
	}
	if c.Status != crossview.StatusActive {
		return 0, crossview.Errorf(crossview.ECONFLICT, "%s is disconnected; reconnect it before replaying records.", c.Name)
	}
	var ids []string
	if recordID != "" {
		ids = []string{recordID}
	}
	n, err := s.o.DataSync.Replay(ctx, c, "", ids...)
	if err != nil {
		return n, err
	}
	left, _ := s.o.DataSync.Errors(ctx, c)
	what := fmt.Sprintf("%d refused records written again; %d still refused", n, len(left))
	if recordID != "" {
		what = "record " + recordID + " written again"
	}
	s.audit(ctx, tenant, actor, "data_sync.replay", &c, what)
	return n, nil
}

// dataSyncProblems adds what data sync finds to a health check: each
// syncing object's mappings and filter against the describe and the
// Zendesk fields.
func (s *Service) dataSyncProblems(ctx context.Context, c crossview.Connection) []crossview.HealthProblem {
	if s.o.DataSync == nil {
		return nil
	}
	var out []crossview.HealthProblem
	for _, f := range []crossview.Feature{crossview.FeatureAccountSync, crossview.FeatureContactSync} {
		if !c.Active(f) {
			continue
		}
		ps, err := s.o.DataSync.Check(ctx, c, f)
		if err != nil {
			s.o.Logger.Warn("checking data sync", "connection", c.ID, "feature", f, "err", err)
			continue
		}
		label := "Account sync: "
		if f == crossview.FeatureContactSync {
			label = "Contact sync: "
		}
		for i := range ps {
			ps[i].Feature = f
			ps[i].Title = label + ps[i].Title
		}
		out = append(out, ps...)
	}
	return out
}
