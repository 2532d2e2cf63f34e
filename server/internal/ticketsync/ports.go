// Package ticketsync turns Zendesk tickets into Salesforce Cases, within
// seconds, with their comments, and loses none: webhooks nudge a durable
// keyed queue (server/internal/queue), workers read the truth from Zendesk
// and write each ticket's Case and new comments to Salesforce in one
// all-or-nothing request, failures retry with backoff or wait in dead
// letters, reconciliation catches what webhooks missed and a backfill brings
// the past across. See docs/ticket-sync.md.
package ticketsync

import (
	"context"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// Source reads tickets from Zendesk: the webhook only says which ticket
// changed; the API is the truth.
type Source interface {
	// Ticket reads one ticket with its people, organization, group, brand
	// and form names (one call, with sideloads).
	Ticket(ctx context.Context, t crossview.Tenant, id int64) (crossview.SyncTicket, error)
	// CommentsAfter lists the ticket's comments with an id above afterID,
	// oldest first, following every page.
	CommentsAfter(ctx context.Context, t crossview.Tenant, ticketID, afterID int64) ([]crossview.TicketComment, error)
	// ExportTickets reads one page of the incremental ticket export: from
	// start when cursor is empty, else from the cursor.
	ExportTickets(ctx context.Context, t crossview.Tenant, cursor string, start time.Time) (crossview.TicketPage, error)
	// ExportComments reads one page of comment events from start.
	ExportComments(ctx context.Context, t crossview.Tenant, start time.Time) (crossview.CommentPage, error)
}

// Sink writes Cases to one Salesforce org.
type Sink interface {
	// Check says whether the org can take synced Cases: the custom fields
	// exist and the connected user may write them, every required Case
	// field is mapped, mappings fit the describe (types, picklist values).
	// Each problem is named with its fix.
	Check(ctx context.Context, conn crossview.Connection) ([]crossview.HealthProblem, error)
	// Write upserts the ticket's Case by its key, inserts the comments as
	// CaseComments and sets the marker, in one all-or-nothing request.
	// Finding or creating the Contact/Lead and Account happens here too.
	Write(ctx context.Context, conn crossview.Connection, w crossview.CaseWrite) (crossview.CaseWritten, error)
	// Marker reads the comment marker a Case holds (found is false when no
	// Case has the key): used when the outcome of an earlier write is
	// unknown.
	Marker(ctx context.Context, conn crossview.Connection, key string) (marker int64, found bool, err error)
	// WriteMany is Write for a batch (the backfill), with sObject
	// Collections: at most a few calls for up to 200 tickets. Results are
	// in the order of ws; a record's own failure is in its Err.
	WriteMany(ctx context.Context, conn crossview.Connection, ws []crossview.CaseWrite) ([]crossview.CaseWritten, error)
}

// Provisioner creates and looks after the Zendesk webhook and trigger that
// tell Crossview a ticket changed.
type Provisioner interface {
	// Provision creates the signed webhook to endpoint and the trigger
	// "(Crossview) Sync tickets to Salesforce" (tickets created or updated,
	// plus the admin's conditions) whose action notifies it.
	Provision(ctx context.Context, t crossview.Tenant, conn crossview.Connection, endpoint string) (crossview.SyncHook, error)
	// Remove deletes both; ones already gone are no error.
	Remove(ctx context.Context, t crossview.Tenant, p crossview.SyncHook) error
	// Inspect names what an admin changed: a renamed, edited, deactivated
	// or deleted trigger or webhook.
	Inspect(ctx context.Context, t crossview.Tenant, conn crossview.Connection, p crossview.SyncHook, endpoint string) ([]crossview.HealthProblem, error)
	// Repair puts both back as Provision made them, keeping ids where the
	// objects still exist.
	Repair(ctx context.Context, t crossview.Tenant, conn crossview.Connection, p crossview.SyncHook, endpoint string) (crossview.SyncHook, error)
}
