package main

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// newDataSync builds data sync (Salesforce Accounts, Contacts and Leads to
// Zendesk organizations and users) over the app's store, leases and
// clients: bbolt and in-process leases in one process, Redis for many.
func (a *app) newDataSync(records store.Backend, q syncQueues) *datasync.Service {
	src := salesforce.NewDataSource(a.sf, salesforce.DataSourceOptions{})
	return datasync.New(datasync.Options{
		Store: a.store, Records: records, Leases: q.leases, Log: q.log,
		Source:   dataSource{src},
		Sink:     dataSink{zendesk.NewDirectory(a.zd, zendesk.DirectoryOptions{})},
		Classify: classifyDataSyncError,
		Usage:    src.Usage,
		Metrics:  a.metrics, Logger: a.logger.With("component", "datasync"), Now: a.now,
		Worker: workerName(), MinInterval: a.cfg.DataSyncMinInterval, ConcurrentBatches: a.cfg.DataSyncJobs,
	})
}

// startDataSync runs the pollers (one per syncing connection across every
// replica, under a lease) until close.
func (a *app) startDataSync() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { a.dataSync.RunPollers(ctx) })
	a.stopDataSync = func() {
		cancel()
		wg.Wait()
	}
}

// classifyDataSyncError is classifySyncError with data sync's own errors:
// a filter Salesforce would refuse waits for an admin's fix, lost deletes
// (which the core answers with a new backfill) pass, and the Zendesk
// Directory's words (bulk user imports off, an admin's credential needed)
// are kept over the bare HTTP status.
func classifyDataSyncError(err error) ticketsync.Failure {
	var fe *salesforce.FilterError
	if errors.As(err, &fe) {
		return ticketsync.Failure{Kind: ticketsync.Permanent,
			Message: fe.Error() + ". Correct the filter in the connection's data-sync settings."}
	}
	if salesforce.IsResyncNeeded(err) {
		return ticketsync.Failure{Kind: ticketsync.Transient,
			Message: "Salesforce no longer lists the deletes since the last look; every record in scope is brought across again."}
	}
	f := classifySyncError(err)
	var ze *zendesk.APIError
	var ce *crossview.Error
	if errors.As(err, &ze) && errors.As(err, &ce) && ce.Message != "" {
		f.Message = ce.Message
	}
	return f
}

// dataSource and dataSink mark data sync's calls as its own, so the
// metrics count API calls per synced record. Checking settings (enabling,
// health) is not syncing and is not counted.
type dataSource struct{ s *salesforce.DataSource }

func dsSF(ctx context.Context) context.Context { return metrics.DataSyncCalls(ctx, "salesforce") }
func dsZD(ctx context.Context) context.Context { return metrics.DataSyncCalls(ctx, "zendesk") }

func (d dataSource) Changed(ctx context.Context, c crossview.Connection, object string, from datasync.Cursor, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error) {
	return d.s.Changed(dsSF(ctx), c, object, from, fields, filter, limit)
}

func (d dataSource) Deleted(ctx context.Context, c crossview.Connection, object string, start, end time.Time) ([]crossview.SFDeleted, time.Time, error) {
	return d.s.Deleted(dsSF(ctx), c, object, start, end)
}

func (d dataSource) Page(ctx context.Context, c crossview.Connection, object, afterID string, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error) {
	return d.s.Page(dsSF(ctx), c, object, afterID, fields, filter, limit)
}

func (d dataSource) Count(ctx context.Context, c crossview.Connection, object string, filter *crossview.FilterGroup) (int, error) {
	return d.s.Count(dsSF(ctx), c, object, filter)
}

func (d dataSource) Get(ctx context.Context, c crossview.Connection, object string, ids, fields []string) ([]crossview.SFRecord, error) {
	return d.s.Get(dsSF(ctx), c, object, ids, fields)
}

func (d dataSource) Related(ctx context.Context, c crossview.Connection, contacts []crossview.SFRecord) error {
	return d.s.Related(dsSF(ctx), c, contacts)
}

func (d dataSource) CheckObject(ctx context.Context, c crossview.Connection, object string, sync crossview.ObjectSync, zd []crossview.ZendeskField) ([]crossview.HealthProblem, error) {
	return d.s.CheckObject(ctx, c, object, sync, zd)
}

type dataSink struct{ d *zendesk.Directory }

func (d dataSink) UpsertOrganizations(ctx context.Context, t crossview.Tenant, orgs []crossview.OrgWrite) ([]crossview.WriteResult, error) {
	return d.d.UpsertOrganizations(dsZD(ctx), t, orgs)
}

func (d dataSink) UpsertUsers(ctx context.Context, t crossview.Tenant, users []crossview.UserWrite) ([]crossview.WriteResult, error) {
	return d.d.UpsertUsers(dsZD(ctx), t, users)
}

func (d dataSink) AddMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error) {
	return d.d.AddMemberships(dsZD(ctx), t, ms)
}

func (d dataSink) RemoveMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error) {
	return d.d.RemoveMemberships(dsZD(ctx), t, ms)
}

func (d dataSink) Tag(ctx context.Context, t crossview.Tenant, object string, externalIDs []string, tag string) ([]crossview.WriteResult, error) {
	return d.d.Tag(dsZD(ctx), t, object, externalIDs, tag)
}

func (d dataSink) Fields(ctx context.Context, t crossview.Tenant) (user, org []crossview.ZendeskField, err error) {
	return d.d.Fields(ctx, t) // read for checks and cached for writes
}
