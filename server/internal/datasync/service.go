package datasync

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// Store reads and updates tenants and connections.
type Store interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
	Tenants(ctx context.Context) ([]crossview.Tenant, error)
	Connection(ctx context.Context, id string) (crossview.Connection, error)
	Connections(ctx context.Context, tenant string) ([]crossview.Connection, error)
	PutConnection(ctx context.Context, c crossview.Connection) error
}

// Metrics records what data sync does.
type Metrics interface {
	// RecordSynced counts one record by object and outcome (created,
	// updated, unchanged, skipped, failed) and, for a changed record, the
	// lag from its Salesforce change to Zendesk (0 for a backfill or a
	// replay, whose records' age is no lag).
	RecordSynced(object, outcome string, lag time.Duration)
}

// Options holds a Service's dependencies.
type Options struct {
	Store   Store
	Records ticketsync.Records
	Leases  queue.Leases
	Log     queue.Log
	Source  Source
	Sink    Sink
	// Classify tells what a failed call means (the same as ticket sync's).
	Classify func(err error) ticketsync.Failure
	// Usage reports an org's API use from the last Sforce-Limit-Info seen.
	Usage   func(orgID string) (used, limit int, ok bool)
	Metrics Metrics
	Logger  *slog.Logger
	Now     func() time.Time
	// Worker names this replica in leases.
	Worker string
	// LeaseTTL is how long a poller's lease lasts unrenewed: how soon
	// another replica takes over from one that died (default 8s).
	LeaseTTL time.Duration
	// Overlap is how far back each poll reads again, for records saved in
	// transactions that committed late (default 2 minutes).
	Overlap time.Duration
	// PageSize is how many records one query reads (default 2,000, the
	// most Salesforce returns at once).
	PageSize int
	// ConcurrentBatches is how many Zendesk jobs of 100 records one poller
	// keeps going at once (default 4; Zendesk queues up to 30 per account).
	ConcurrentBatches int
	// MinInterval bounds how often an org is polled, whatever its settings
	// (default 5s; tests lower it).
	MinInterval time.Duration
}

// Service runs data sync.
type Service struct {
	o Options

	mu      sync.Mutex
	running map[string]context.CancelFunc // connection id → its poller here
	polls   map[string]pollState          // connection id → last and next poll
	fields  map[string]cachedFields       // tenant → Zendesk custom fields
	claimMu tenantLocks                   // email claims, per tenant (claims_lock.go)
}

type pollState struct {
	last, next time.Time
	interval   time.Duration
	reason     string // why the interval is longer than asked
	err        string
}

type cachedFields struct {
	at        time.Time
	user, org []crossview.ZendeskField
}

// New returns a Service.
func New(o Options) *Service {
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 8 * time.Second
	}
	if o.Overlap <= 0 {
		o.Overlap = 2 * time.Minute
	}
	if o.PageSize <= 0 {
		o.PageSize = 2000
	}
	if o.ConcurrentBatches <= 0 {
		o.ConcurrentBatches = 4
	}
	if o.MinInterval <= 0 {
		o.MinInterval = 5 * time.Second
	}
	return &Service{o: o, running: map[string]context.CancelFunc{}, polls: map[string]pollState{}, fields: map[string]cachedFields{}}
}

// The objects data sync reads, in the order each poll takes them:
// Accounts first, so Contacts find their organizations.
const (
	objAccount = crossview.ObjectAccount
	objContact = crossview.ObjectContact
	objLead    = crossview.ObjectLead
)

// objects lists what a connection syncs, in order, with their settings.
func objects(c crossview.Connection) []objectSync {
	var out []objectSync
	ds := c.DataSync
	if c.Active(crossview.FeatureAccountSync) && ds.Accounts.On {
		out = append(out, objectSync{objAccount, ds.Accounts})
	}
	if c.Active(crossview.FeatureContactSync) {
		if ds.Contacts.On {
			out = append(out, objectSync{objContact, ds.Contacts})
		}
		if ds.Leads.On {
			out = append(out, objectSync{objLead, ds.Leads})
		}
	}
	return out
}

type objectSync struct {
	object string
	sync   crossview.ObjectSync
}

// syncing reports whether the connection has any data sync on.
func syncing(c crossview.Connection) bool {
	return c.Active(crossview.FeatureAccountSync) || c.Active(crossview.FeatureContactSync)
}
