package ticketsync

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/queue"
)

// Records is where sync keeps small durable records (ticket states,
// cursors, backfill progress, staged snapshots): a store.Backend.
type Records interface {
	Get(ctx context.Context, partition, table, key string) ([]byte, error)
	Put(ctx context.Context, partition, table, key string, value []byte) error
	Delete(ctx context.Context, partition, table, key string) error
	List(ctx context.Context, partition, table string) ([][]byte, error)
	Count(ctx context.Context, partition, table string) (int, error)
}

// Store reads and updates tenants and connections.
type Store interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
	Tenants(ctx context.Context) ([]crossview.Tenant, error)
	PutTenant(ctx context.Context, t crossview.Tenant) error
	Connection(ctx context.Context, id string) (crossview.Connection, error)
	Connections(ctx context.Context, tenant string) ([]crossview.Connection, error)
	PutConnection(ctx context.Context, c crossview.Connection) error
}

// Metrics records what sync does.
type Metrics interface {
	// TicketSynced counts one ticket's sync by outcome (created, updated,
	// unchanged, skipped, retried, dead) and, for a sync that wrote, its lag
	// from the first change heard of to the Case written.
	TicketSynced(outcome string, lag time.Duration)
	// SyncQueue reports one connection's queue.
	SyncQueue(connID string, waiting, leased, dead int)
}

// Options holds a Service's dependencies.
type Options struct {
	Store   Store
	Records Records
	Queue   queue.Queue
	Leases  queue.Leases
	Log     queue.Log
	Source  Source
	Sink    Sink
	Hooks   Provisioner
	// Classify tells what a failure from Source or Sink means.
	Classify func(err error) Failure
	// Usage reports an org's API use from the last Sforce-Limit-Info seen.
	Usage   func(orgID string) (used, limit int, ok bool)
	Metrics Metrics
	Logger  *slog.Logger
	Now     func() time.Time
	// PublicURL is Crossview's external base URL; webhooks point at it.
	PublicURL string
	// Worker names this replica (in leases and logs).
	Worker string
	// Workers bounds the tickets this replica syncs at once (default 8).
	Workers int
	// Lease is how long a claimed ticket is held (default 60s); it must
	// comfortably exceed the slowest sync.
	Lease time.Duration
	// Poll is how often idle workers look for work another replica queued
	// (default 250ms); work queued here wakes them at once.
	Poll time.Duration
	// Reconcile is how often the incremental export is read (default 3m).
	Reconcile time.Duration
	// LogRetention is how long the sync log keeps entries (default 30 days).
	LogRetention time.Duration
	// MaxAttempts is how many tries a transient failure gets before it is
	// dead-lettered (default 12, about an hour of backoff).
	MaxAttempts int
	// Jitter returns a random duration in [0, d); nil uses math/rand.
	Jitter func(d time.Duration) time.Duration
}

// Service runs ticket sync.
type Service struct {
	o Options

	wake chan struct{} // work was queued in this process

	mu      sync.Mutex
	paused  map[string]pause // connection id → why and until when
	filling map[string]bool  // connection id → a backfill is under way
	conns   connCache
}

// pause stops claiming for a connection for a while.
type pause struct {
	until  time.Time
	reason string
}

// New returns a Service.
func New(o Options) *Service {
	if o.Workers <= 0 {
		o.Workers = 8
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = 250 * time.Millisecond
	}
	if o.Reconcile <= 0 {
		o.Reconcile = 3 * time.Minute
	}
	if o.LogRetention <= 0 {
		o.LogRetention = 30 * 24 * time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 12
	}
	if o.Jitter == nil {
		o.Jitter = randomJitter
	}
	return &Service{o: o, wake: make(chan struct{}, 1), paused: map[string]pause{}}
}

// queueKey is a ticket's key in its connection's queue.
func queueKey(ticketID int64) string { return strconv.FormatInt(ticketID, 10) }

// Endpoint is where a connection's webhook delivers.
func (s *Service) Endpoint(c crossview.Connection) string {
	return s.o.PublicURL + "/zendesk/webhook/" + c.Tenant + "?connection=" + c.ID
}

// poke wakes this process's workers.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Service) pausedFor(connID string) (pause, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.paused[connID]
	if ok && !s.o.Now().Before(p.until) {
		delete(s.paused, connID)
		return pause{}, false
	}
	return p, ok
}

func (s *Service) pauseFor(connID string, until time.Time, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.paused[connID]; ok && p.until.After(until) {
		return
	}
	s.paused[connID] = pause{until: until, reason: reason}
}

// overAllowance reports whether sync should leave an org's remaining daily
// API allowance to people.
func (s *Service) overAllowance(c crossview.Connection) (string, bool) {
	if s.o.Usage == nil {
		return "", false
	}
	used, limit, ok := s.o.Usage(c.OrgID)
	if !ok || limit <= 0 {
		return "", false
	}
	at := c.TicketSync.PauseAt
	if at <= 0 {
		at = crossview.DefaultTicketSyncSettings().PauseAt
	}
	if float64(used) < at*float64(limit) {
		return "", false
	}
	return "paused: this org has used " + strconv.Itoa(used) + " of its " + strconv.Itoa(limit) +
		" daily API calls (sync stops at " + strconv.Itoa(int(at*100)) + " % and resumes as the allowance recovers)", true
}
