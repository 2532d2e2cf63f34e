// Package datasync keeps Zendesk organizations and users current with
// Salesforce Accounts, Contacts and Leads: a poller per connection (one
// replica at a time, under a lease) reads changes by SystemModstamp from a
// persisted cursor and deletes through getDeleted, maps them, and writes
// them to Zendesk in batches of 100; a backfill pages through every record
// in scope by id. See docs/data-sync.md.
package datasync

import (
	"context"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Cursor is where change capture resumes for one object: the SystemModstamp
// and Id of the last record read. Records with an equal SystemModstamp and
// a larger Id come next, so equal timestamps are never skipped.
type Cursor struct {
	Modstamp time.Time `json:"modstamp"`
	ID       string    `json:"id"`
}

// Source reads Salesforce for data sync.
type Source interface {
	// Changed returns up to limit records of object in the filter whose
	// (SystemModstamp, Id) comes after from, in that order, with the
	// fields asked for (Id, SystemModstamp and, for Contacts, AccountId
	// always), in one query call per page.
	Changed(ctx context.Context, conn crossview.Connection, object string, from Cursor, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error)
	// Deleted lists records of object deleted in [start, end) with the
	// getDeleted resource, and the latest time it covers.
	Deleted(ctx context.Context, conn crossview.Connection, object string, start, end time.Time) (deleted []crossview.SFDeleted, covered time.Time, err error)
	// Page returns up to limit records in the filter with an Id above
	// afterID, by Id: the backfill.
	Page(ctx context.Context, conn crossview.Connection, object, afterID string, fields []string, filter *crossview.FilterGroup, limit int) ([]crossview.SFRecord, error)
	// Count counts the records in the filter (for progress).
	Count(ctx context.Context, conn crossview.Connection, object string, filter *crossview.FilterGroup) (int, error)
	// Get reads records by id (a replay).
	Get(ctx context.Context, conn crossview.Connection, object string, ids []string, fields []string) ([]crossview.SFRecord, error)
	// Related fills each Contact's other Accounts (Account-Contact
	// relationships); orgs without them return the records unchanged.
	Related(ctx context.Context, conn crossview.Connection, contacts []crossview.SFRecord) error
	// CheckObject checks one object's mappings and filter against the
	// describe and the Zendesk fields they write to (types compatible as
	// the official table says, picklist values among the dropdown's
	// options, filter fields filterable, operators fitting the type).
	CheckObject(ctx context.Context, conn crossview.Connection, object string, sync crossview.ObjectSync, zendesk []crossview.ZendeskField) ([]crossview.HealthProblem, error)
}

// Sink writes organizations and users to a Zendesk account. Every write
// takes at most 100 records and returns one result per record, in order;
// a record's failure is in its result, never an error for the batch.
type Sink interface {
	// UpsertOrganizations creates or updates organizations: found by
	// external id, then by each OrgWrite.Match in turn.
	UpsertOrganizations(ctx context.Context, t crossview.Tenant, orgs []crossview.OrgWrite) ([]crossview.WriteResult, error)
	// UpsertUsers creates or updates end users, found by external id, then
	// by each UserWrite.Match; agents and admins are never changed
	// (skipped with the reason).
	UpsertUsers(ctx context.Context, t crossview.Tenant, users []crossview.UserWrite) ([]crossview.WriteResult, error)
	// AddMemberships adds organization memberships; ones that exist are
	// unchanged.
	AddMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error)
	// RemoveMemberships removes memberships (a deleted Account or Contact,
	// when the settings say unlink).
	RemoveMemberships(ctx context.Context, t crossview.Tenant, ms []crossview.Membership) ([]crossview.WriteResult, error)
	// Tag adds a tag to users or organizations by external id (a deleted
	// record, when the settings say tag).
	Tag(ctx context.Context, t crossview.Tenant, object string, externalIDs []string, tag string) ([]crossview.WriteResult, error)
	// Fields lists the account's custom user and organization fields.
	Fields(ctx context.Context, t crossview.Tenant) (user, org []crossview.ZendeskField, err error)
}
