package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/metrics"
	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/store"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/server/internal/zendesk"
)

// syncQueues is where ticket sync keeps its durable work: bbolt in one
// process, Redis for many replicas.
type syncQueues struct {
	queue  queue.Queue
	leases queue.Leases
	log    queue.Log
}

// newTicketSync builds ticket sync over the app's store and clients.
func (a *app) newTicketSync(records store.Backend, q syncQueues) *ticketsync.Service {
	return ticketsync.New(ticketsync.Options{
		Store: a.store, Records: records, Queue: q.queue, Leases: q.leases, Log: q.log,
		Source:   syncSource{zendesk.NewSyncSource(a.zd, zendesk.DefaultNamesTTL)},
		Sink:     syncSink{salesforce.NewCaseSink(a.sf, salesforce.CaseSinkOptions{})},
		Hooks:    zendesk.NewSyncProvisioner(a.zd),
		Classify: classifySyncError,
		Usage: func(orgID string) (int, int, bool) {
			u, _, ok := a.sf.Usage(orgID)
			return u.Used, u.Limit, ok
		},
		Metrics: a.metrics, Logger: a.logger.With("component", "ticketsync"), Now: a.now,
		PublicURL: a.cfg.PublicURL, Worker: workerName(),
		Workers: a.cfg.TicketSyncWorkers, Reconcile: a.cfg.TicketSyncReconcile, LogRetention: a.cfg.SyncLogRetention,
	})
}

// workerName names this replica in leases and logs.
func workerName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "crossview"
	}
	return host + ":" + strconv.Itoa(os.Getpid())
}

// SyncWebhook queues the ticket a verified ticket-sync webhook names; it
// returns only once the change is durable.
func (a *app) SyncWebhook(ctx context.Context, t crossview.Tenant, connID string, body []byte) error {
	ev, err := zendesk.ParseTicketEvent(body)
	if err != nil {
		a.logger.Warn("a ticket-sync webhook body could not be read", "tenant", t.Subdomain, "connection", connID, "err", err)
		return err
	}
	return a.ticketSync.Nudge(ctx, t, connID, ev.TicketID, ev.UpdatedAt)
}

// startTicketSync runs the workers, the reconciliation, the backfills and
// the queue gauges until close.
func (a *app) startTicketSync() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { a.ticketSync.Run(ctx) })
	wg.Go(func() { a.ticketSync.RunReconcile(ctx) })
	wg.Go(func() { a.ticketSync.RunBackfills(ctx) })
	wg.Go(func() { a.reportSyncQueues(ctx, 15*time.Second) })
	a.stopSync = func() {
		cancel()
		wg.Wait()
	}
}

// reportSyncQueues keeps the queue gauges current for every syncing
// connection (Status sets them).
func (a *app) reportSyncQueues(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		ts, err := a.store.Tenants(ctx)
		if err != nil {
			continue
		}
		for _, t := range ts {
			cs, err := a.store.Connections(ctx, t.Subdomain)
			if err != nil {
				continue
			}
			for _, c := range cs {
				if c.Active(crossview.FeatureTicketSync) {
					_, _ = a.ticketSync.Status(ctx, c)
				}
			}
		}
	}
}

// classifySyncError tells ticket sync what a failure from Zendesk or
// Salesforce means, keeping the system's own words for the admin.
func classifySyncError(err error) ticketsync.Failure {
	var ze *zendesk.APIError
	if errors.As(err, &ze) {
		return classifyZendesk(ze)
	}
	var oe *salesforce.OAuthError
	var ae *salesforce.APIError
	var te *salesforce.TimeoutError
	switch {
	case salesforce.IsRevoked(err):
		return ticketsync.Failure{Kind: ticketsync.Unauthorized,
			Message: "Salesforce no longer accepts this connection's sign-in (the refresh token was revoked or has expired): reconnect the org. Nothing queued is lost."}
	case errors.As(err, &oe) && oe.Status < 500:
		return ticketsync.Failure{Kind: ticketsync.Unauthorized,
			Message: fmt.Sprintf("Salesforce refused to refresh the session (%s: %s).", oe.Code, oe.Description)}
	case salesforce.IsSessionExpired(err):
		return ticketsync.Failure{Kind: ticketsync.Unauthorized,
			Message: "Salesforce rejected a freshly refreshed session (INVALID_SESSION_ID): does the org lock sessions to the IP address they came from?"}
	case salesforce.IsRateLimited(err):
		// The daily allowance refills over a rolling day: look again in a while.
		return ticketsync.Failure{Kind: ticketsync.RateLimited, RetryAfter: 5 * time.Minute,
			Message: "The org's daily Salesforce API allowance is used up (REQUEST_LIMIT_EXCEEDED)."}
	case errors.As(err, &te):
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: "Salesforce did not answer in time."}
	case salesforce.IsPermanent(err):
		return ticketsync.Failure{Kind: ticketsync.Permanent, Message: salesforceMessage(err)}
	case errors.As(err, &ae):
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: salesforceMessage(err)}
	}
	// A client's own wording first; else Go's (the network, a decoding),
	// which carries no credentials and says more than "Internal error.".
	var ce *crossview.Error
	if errors.As(err, &ce) {
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: crossview.ErrorMessage(err)}
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: "The network failed: " + ne.Error()}
	}
	return ticketsync.Failure{Kind: ticketsync.Transient, Message: err.Error()}
}

// salesforceMessage is Salesforce's own message, with its code and the
// subrequest or record that failed.
func salesforceMessage(err error) string {
	var ae *salesforce.APIError
	if !errors.As(err, &ae) {
		return crossview.ErrorMessage(err)
	}
	msg := "Salesforce answered HTTP " + strconv.Itoa(ae.Status)
	if ae.Code != "" {
		msg += " " + ae.Code
	}
	if len(ae.Fields) > 0 {
		msg += fmt.Sprintf(" on %v", ae.Fields)
	}
	return msg + ": " + ae.Message
}

func classifyZendesk(e *zendesk.APIError) ticketsync.Failure {
	msg := "Zendesk answered HTTP " + strconv.Itoa(e.Status)
	if e.Code != "" {
		msg += " " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	switch {
	case zendesk.IsNotFound(e):
		return ticketsync.Failure{Kind: ticketsync.Gone, Message: msg}
	case zendesk.IsRateLimited(e):
		return ticketsync.Failure{Kind: ticketsync.RateLimited, RetryAfter: zendesk.RetryAfter(e), Message: msg}
	case zendesk.IsUnauthorized(e), zendesk.IsForbidden(e):
		return ticketsync.Failure{Kind: ticketsync.Unauthorized,
			Message: msg + " — Crossview's Zendesk credential for this account was refused; an admin signs in again or updates the API token."}
	case e.Status >= 500 || e.Status == 408 || e.Status == 409:
		return ticketsync.Failure{Kind: ticketsync.Transient, Message: msg}
	}
	return ticketsync.Failure{Kind: ticketsync.Permanent, Message: msg}
}

// syncSource and syncSink mark their calls as ticket sync's, so the
// metrics count API calls per synced ticket.
type syncSource struct{ s ticketsync.Source }

func zdCalls(ctx context.Context) context.Context { return metrics.SyncCalls(ctx, "zendesk") }
func sfCalls(ctx context.Context) context.Context { return metrics.SyncCalls(ctx, "salesforce") }

func (s syncSource) Ticket(ctx context.Context, t crossview.Tenant, id int64) (crossview.SyncTicket, error) {
	return s.s.Ticket(zdCalls(ctx), t, id)
}

func (s syncSource) CommentsAfter(ctx context.Context, t crossview.Tenant, ticketID, afterID int64) ([]crossview.TicketComment, error) {
	return s.s.CommentsAfter(zdCalls(ctx), t, ticketID, afterID)
}

func (s syncSource) ExportTickets(ctx context.Context, t crossview.Tenant, cursor string, start time.Time) (crossview.TicketPage, error) {
	return s.s.ExportTickets(zdCalls(ctx), t, cursor, start)
}

func (s syncSource) ExportComments(ctx context.Context, t crossview.Tenant, start time.Time) (crossview.CommentPage, error) {
	return s.s.ExportComments(zdCalls(ctx), t, start)
}

type syncSink struct{ s ticketsync.Sink }

func (s syncSink) Check(ctx context.Context, c crossview.Connection) ([]crossview.HealthProblem, error) {
	return s.s.Check(ctx, c) // enabling and health, not syncing
}

func (s syncSink) Write(ctx context.Context, c crossview.Connection, w crossview.CaseWrite) (crossview.CaseWritten, error) {
	return s.s.Write(sfCalls(ctx), c, w)
}

func (s syncSink) Marker(ctx context.Context, c crossview.Connection, key string) (int64, bool, error) {
	return s.s.Marker(sfCalls(ctx), c, key)
}

func (s syncSink) WriteMany(ctx context.Context, c crossview.Connection, ws []crossview.CaseWrite) ([]crossview.CaseWritten, error) {
	return s.s.WriteMany(sfCalls(ctx), c, ws)
}
