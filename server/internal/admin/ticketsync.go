package admin

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// TicketSync is ticket sync as the admin pages and the CLI drive it (the
// ticketsync.Service).
type TicketSync interface {
	Enable(ctx context.Context, c crossview.Connection) (crossview.Connection, error)
	Disable(ctx context.Context, c crossview.Connection) (crossview.Connection, error)
	Repair(ctx context.Context, c crossview.Connection) (crossview.Connection, error)
	Problems(ctx context.Context, c crossview.Connection) ([]crossview.HealthProblem, error)
	Status(ctx context.Context, c crossview.Connection) (ticketsync.Status, error)
	History(ctx context.Context, c crossview.Connection, before time.Time, limit int) ([]ticketsync.Entry, error)
	Replay(ctx context.Context, c crossview.Connection, ticketID int64, actor string) error
	ReplayAll(ctx context.Context, c crossview.Connection, actor string) (int, error)
	StartBackfill(ctx context.Context, c crossview.Connection, days int) (ticketsync.Progress, error)
	BackfillProgress(ctx context.Context, c crossview.Connection) (ticketsync.Progress, bool, error)
}

// syncOwned returns a tenant's connection with its ticket-sync settings
// filled in: a connection made before ticket sync existed has none saved.
func (s *Service) syncOwned(ctx context.Context, tenant, id string) (crossview.Connection, error) {
	c, err := s.owned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if s.o.TicketSync == nil {
		return c, crossview.Errorf(crossview.EUNAVAILABLE, "Ticket sync is not available on this server.")
	}
	if c.TicketSync.Comments == "" {
		d := crossview.DefaultTicketSyncSettings()
		d.WebhookID, d.TriggerID = c.TicketSync.WebhookID, c.TicketSync.TriggerID
		c.TicketSync = d
	}
	return c, nil
}

// setTicketSync turns ticket sync on (checking the org, creating the
// Zendesk trigger and webhook, starting the backfill) or off (removing
// them). A refusal names every problem and is audited too.
func (s *Service) setTicketSync(ctx context.Context, tenant, actor, id string, on bool) (crossview.Connection, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if !on {
		if c, err = s.o.TicketSync.Disable(ctx, c); err != nil {
			return c, err
		}
		s.audit(ctx, tenant, actor, "feature.disable", &c, "ticket_sync: the Zendesk trigger and webhook were removed; queued changes were dropped")
		return c, nil
	}
	if c.Status != crossview.StatusActive {
		return c, crossview.Errorf(crossview.ECONFLICT, "%s is disconnected; reconnect it before turning features on.", c.Name)
	}
	enabled, err := s.o.TicketSync.Enable(ctx, c)
	if err != nil {
		s.audit(ctx, tenant, actor, "ticket_sync.refused", &c, crossview.ErrorMessage(err))
		return c, err
	}
	// Checked at once, so the page names what the org still lacks (display
	// fields, say) without waiting for the next round of checks.
	enabled = s.checkAndSave(ctx, enabled)
	detail := "ticket_sync: the Zendesk trigger and webhook were created"
	if d := enabled.TicketSync.BackfillDays; d > 0 {
		detail += fmt.Sprintf("; a backfill of the last %d days started", d)
	}
	s.audit(ctx, tenant, actor, "feature.enable", &enabled, detail)
	return enabled, nil
}

// UpdateTicketSync replaces a connection's ticket-sync settings. While
// sync is on, the org is checked against them first (a mapping to a field
// the Case lacks is refused by name), and changed trigger conditions are
// written to the Zendesk trigger at once.
func (s *Service) UpdateTicketSync(ctx context.Context, tenant, actor, id string, set crossview.TicketSyncSettings) (crossview.Connection, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if err := set.Validate(); err != nil {
		return c, err
	}
	set.WebhookID, set.TriggerID = c.TicketSync.WebhookID, c.TicketSync.TriggerID
	old := c.TicketSync
	c.TicketSync = set
	detail := "ticket sync settings changed"
	if c.Active(crossview.FeatureTicketSync) {
		problems, err := s.o.TicketSync.Problems(ctx, c)
		if err != nil {
			return c, crossview.Wrap(crossview.EUNAVAILABLE, "Crossview could not check these settings with Salesforce and Zendesk, so nothing was saved: "+
				crossview.ErrorMessage(err)+" Try again shortly.", err)
		}
		if blocking := blockingOnly(problems); len(blocking) > 0 {
			return c, crossview.Errorf(crossview.EINVALID, "Not saved: %s.", wordProblems(blocking))
		}
		if !reflect.DeepEqual(old.Conditions, set.Conditions) {
			if c, err = s.o.TicketSync.Repair(ctx, c); err != nil {
				return c, err
			}
			detail += "; the Zendesk trigger's conditions were updated"
		}
	}
	c.UpdatedAt = s.o.Now()
	if err := s.o.Store.PutConnection(ctx, c); err != nil {
		return c, err
	}
	s.audit(ctx, tenant, actor, "settings.ticket_sync", &c, detail)
	return c, nil
}

func blockingOnly(ps []crossview.HealthProblem) []crossview.HealthProblem {
	var out []crossview.HealthProblem
	for _, p := range ps {
		if p.Blocking {
			out = append(out, p)
		}
	}
	return out
}

// wordProblems lists problems with their fixes in one sentence.
func wordProblems(ps []crossview.HealthProblem) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, strings.TrimSuffix(p.Title, ".")+": "+p.Fix)
	}
	return strings.Join(parts, "; ")
}

// RepairTicketSync puts the Zendesk trigger and webhook back as Crossview
// made them, then checks the connection again so the page shows the result.
func (s *Service) RepairTicketSync(ctx context.Context, tenant, actor, id string) (crossview.Connection, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return c, err
	}
	if c, err = s.o.TicketSync.Repair(ctx, c); err != nil {
		return c, err
	}
	c = s.checkAndSave(ctx, c)
	s.audit(ctx, tenant, actor, "ticket_sync.repair", &c, "the Zendesk trigger and webhook were put back; health: "+healthSummary(c.Health))
	return c, nil
}

// TicketSyncDetails is what a connection's ticket-sync section shows.
type TicketSyncDetails struct {
	Connection crossview.Connection
	Status     ticketsync.Status
	// Log is one page of the sync log, newest first; More says whether
	// older entries follow (before the last one's time).
	Log  []ticketsync.Entry
	More bool
}

// TicketSync returns a connection's sync status and a page of its sync
// log older than before (zero: the newest).
func (s *Service) TicketSync(ctx context.Context, tenant, id string, before time.Time, limit int) (TicketSyncDetails, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return TicketSyncDetails{}, err
	}
	d := TicketSyncDetails{Connection: c}
	if d.Status, err = s.o.TicketSync.Status(ctx, c); err != nil {
		return d, err
	}
	log, err := s.o.TicketSync.History(ctx, c, before, limit+1)
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

// BackfillProgress returns a connection's backfill with its counts, rate
// and ETA (ok false when none ever ran).
func (s *Service) BackfillProgress(ctx context.Context, tenant, id string) (ticketsync.Progress, bool, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return ticketsync.Progress{}, false, err
	}
	return s.o.TicketSync.BackfillProgress(ctx, c)
}

// ReplayTicket queues a dead-lettered ticket again, after its cause was fixed.
func (s *Service) ReplayTicket(ctx context.Context, tenant, actor, id string, ticketID int64) error {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return err
	}
	if err := s.o.TicketSync.Replay(ctx, c, ticketID, actor); err != nil {
		return err
	}
	s.audit(ctx, tenant, actor, "ticket_sync.replay", &c, fmt.Sprintf("ticket %d queued again", ticketID))
	return nil
}

// ReplayAllTickets queues every dead-lettered ticket again and says how many.
func (s *Service) ReplayAllTickets(ctx context.Context, tenant, actor, id string) (int, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return 0, err
	}
	n, err := s.o.TicketSync.ReplayAll(ctx, c, actor)
	if err != nil {
		return 0, err
	}
	s.audit(ctx, tenant, actor, "ticket_sync.replay", &c, fmt.Sprintf("%d dead-lettered tickets queued again", n))
	return n, nil
}

// StartTicketBackfill brings the last days of tickets across again.
func (s *Service) StartTicketBackfill(ctx context.Context, tenant, actor, id string, days int) (ticketsync.Progress, error) {
	c, err := s.syncOwned(ctx, tenant, id)
	if err != nil {
		return ticketsync.Progress{}, err
	}
	if !c.Active(crossview.FeatureTicketSync) {
		return ticketsync.Progress{}, crossview.Errorf(crossview.ECONFLICT, "Turn ticket sync on before starting a backfill.")
	}
	p, err := s.o.TicketSync.StartBackfill(ctx, c, days)
	if err != nil {
		return p, err
	}
	s.audit(ctx, tenant, actor, "ticket_sync.backfill", &c, fmt.Sprintf("a backfill of the last %d days started", days))
	return p, nil
}

// ticketSyncProblems adds what ticket sync finds to a health check: the
// org's Case fields and the Zendesk trigger and webhook. They concern
// ticket sync only, never the connection's panels.
func (s *Service) ticketSyncProblems(ctx context.Context, c crossview.Connection) []crossview.HealthProblem {
	if s.o.TicketSync == nil || !c.Active(crossview.FeatureTicketSync) {
		return nil
	}
	ps, err := s.o.TicketSync.Problems(ctx, c)
	if err != nil {
		// Salesforce's own failures are named by the check's first call.
		s.o.Logger.Warn("checking ticket sync", "connection", c.ID, "err", err)
		return nil
	}
	for i := range ps {
		ps[i].Feature = crossview.FeatureTicketSync
		if !strings.Contains(strings.ToLower(ps[i].Title), "ticket sync") {
			ps[i].Title = "Ticket sync: " + ps[i].Title
		}
	}
	return ps
}

// Repairable reports whether a health problem is one Repair fixes: a
// change made in Zendesk to the trigger or webhook ticket sync created.
func Repairable(p crossview.HealthProblem) bool {
	return strings.HasPrefix(p.Code, "sync_trigger_") || strings.HasPrefix(p.Code, "sync_webhook_")
}
