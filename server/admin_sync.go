package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
)

// syncCommands are `crossview admin sync …`: ticket sync's queue, dead
// letters and backfill.
func syncCommands() []command {
	return []command{
		adminCommand("status", "show a connection's ticket sync (queue, lag, dead letters, backfill) and data sync (per object: cursor, backfill progress; refused records)", (*adminCLI).syncStatus),
		adminCommand("replay", "after fixing their cause, queue dead-lettered tickets again, or write records Zendesk refused again", (*adminCLI).syncReplay),
		adminCommand("backfill", "bring the last days of tickets across again (a running server carries it out)", (*adminCLI).syncBackfill),
	}
}

// connectionTicketSync changes a connection's ticket-sync settings.
func (a *adminCLI) connectionTicketSync() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	comments := a.fs.choiceFlag("comments", "which Zendesk comments become Case comments", "public", "all", "none")
	requester := a.fs.choiceFlag("requester", "what the requester becomes in Salesforce", "contact", "lead")
	reqMatch := a.fs.choiceFlag("requester-match", "when no Contact or Lead has the requester's email: leave it empty, create one, or use --default-requester",
		string(crossview.MatchExisting), string(crossview.MatchCreate), string(crossview.MatchDefault))
	defReq := a.fs.String("default-requester", "", "the Contact or Lead `ID` used with --requester-match default")
	acctMatch := a.fs.choiceFlag("account-match", "when no Account matches the organization: leave it empty, create one, or use --default-account",
		string(crossview.MatchExisting), string(crossview.MatchCreate), string(crossview.MatchDefault))
	defAcct := a.fs.String("default-account", "", "the Account `ID` used with --account-match default")
	extField := a.fs.String("account-external-id-field", "", "the Account `field` holding the Zendesk organization id, tried before the name")
	recordType := a.fs.String("record-type", "", "the Case record type `ID` synced Cases get")
	maps, mapsSet := listFlag(a.fs, "map", "a field mapping `zendesk=Case_Field[:zv=sv,...]`, e.g. priority=Priority:urgent=High,low=Low; repeatable, replaces the mappings; \"none\" clears them", parseMapFlag)
	conds, condsSet := listFlag(a.fs, "condition", "a trigger condition `field:operator:value` in Zendesk's terms, e.g. group_id:is:360001234; repeatable, replaces the conditions; \"none\" clears them", parseConditionFlag)
	days := a.fs.Int("backfill-days", -1, "how many days back turning sync on reaches (0 for none)")
	pauseAt := checkedFlag(a.fs, "pause-at", "PERCENT", "pause sync when the org has used this share of its daily API allowance, e.g. 80%", parsePercent)
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		d, err := a.app.admin.TicketSync(ctx, c.Tenant, c.ID, time.Time{}, 0)
		if err != nil {
			return err
		}
		set := d.Connection.TicketSync
		if *comments != "" {
			set.Comments = crossview.CommentScope(*comments)
		}
		switch *requester {
		case "contact":
			set.RequesterObject = crossview.ObjectContact
		case "lead":
			set.RequesterObject = crossview.ObjectLead
		}
		if *reqMatch != "" {
			set.RequesterMatch = crossview.RecordMatch(*reqMatch)
		}
		if *defReq != "" {
			set.DefaultRequesterID = *defReq
		}
		if *acctMatch != "" {
			set.AccountMatch = crossview.RecordMatch(*acctMatch)
		}
		if *defAcct != "" {
			set.DefaultAccountID = *defAcct
		}
		if *extField != "" {
			set.AccountExternalIDField = *extField
		}
		if *recordType != "" {
			set.RecordTypeID = *recordType
		}
		if *mapsSet {
			set.Mappings = *maps
		}
		if *condsSet {
			set.Conditions = *conds
		}
		if *days >= 0 {
			set.BackfillDays = *days
		}
		if *pauseAt > 0 {
			set.PauseAt = *pauseAt
		}
		_, err = a.app.admin.UpdateTicketSync(ctx, c.Tenant, cliActor, c.ID, set)
		return a.done(c.ID, err)
	}
}

// parseMapFlag reads zendesk=Case_Field[:zv=sv,...].
func parseMapFlag(v string) (crossview.FieldMapping, error) {
	z, rest, ok := strings.Cut(v, "=")
	if !ok {
		return crossview.FieldMapping{}, fmt.Errorf("--map wants zendesk=Case_Field[:zv=sv,...], not %q", v)
	}
	sf, values, _ := strings.Cut(rest, ":")
	m, err := crossview.ParseFieldMapping(z, sf, values)
	if err != nil {
		return m, fmt.Errorf("--map %q: %s", v, crossview.ErrorMessage(err))
	}
	return m, nil
}

// parseConditionFlag reads field:operator[:value].
func parseConditionFlag(v string) (crossview.TriggerCondition, error) {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) < 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" {
		return crossview.TriggerCondition{}, fmt.Errorf("--condition wants field:operator:value, not %q", v)
	}
	c := crossview.TriggerCondition{Field: strings.TrimSpace(parts[0]), Operator: strings.TrimSpace(parts[1])}
	if len(parts) == 3 {
		c.Value = strings.TrimSpace(parts[2])
	}
	return c, nil
}

// parsePercent reads "80%" or "80" as 0.8.
func parsePercent(name, s string) (float64, error) {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || n <= 0 || n > 100 {
		return 0, fmt.Errorf("--%s must be a percentage from 1 to 100, like 80%%, not %q", name, s)
	}
	return n / 100, nil
}

// syncStatusJSON is `admin sync status --json`.
type syncStatusJSON struct {
	Connection  string            `json:"connection"`
	On          bool              `json:"on"`
	Paused      string            `json:"paused,omitempty"`
	Waiting     int               `json:"waiting"`
	Leased      int               `json:"leased"`
	Dead        int               `json:"dead"`
	LagSeconds  float64           `json:"lag_seconds"`
	DeadLetters []deadLetterJSON  `json:"dead_letters"`
	Backfill    *syncBackfillJSON `json:"backfill,omitempty"`
	DataSync    *dataSyncJSON     `json:"data_sync,omitempty"`
}

type deadLetterJSON struct {
	Ticket   string    `json:"ticket"`
	Reason   string    `json:"reason"`
	Attempts int       `json:"attempts"`
	Since    time.Time `json:"since"`
}

type syncBackfillJSON struct {
	State      string  `json:"state"`
	Days       int     `json:"days"`
	Done       int     `json:"done"`
	Total      int     `json:"total"`
	Percent    int     `json:"percent"`
	Rate       float64 `json:"tickets_per_second"`
	ETASeconds float64 `json:"eta_seconds"`
	Error      string  `json:"error,omitempty"`
}

func (a *adminCLI) syncStatus() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	asJSON := a.fs.Bool("json", false, "print JSON")
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		d, err := a.app.admin.TicketSync(ctx, c.Tenant, c.ID, time.Time{}, 0)
		if err != nil {
			return err
		}
		st := d.Status
		out := syncStatusJSON{Connection: c.ID, On: st.On, Paused: st.Paused, Waiting: st.Queue.Waiting, Leased: st.Queue.Leased,
			Dead: st.Queue.Dead, LagSeconds: st.Lag.Seconds(), DeadLetters: []deadLetterJSON{}}
		for _, dl := range st.DeadLetters {
			out.DeadLetters = append(out.DeadLetters, deadLetterJSON{Ticket: dl.Key, Reason: dl.Reason, Attempts: dl.Attempts, Since: dl.At})
		}
		if p := st.Backfill; p != nil {
			out.Backfill = &syncBackfillJSON{State: p.State, Days: p.Days, Done: p.Synced, Total: p.Total, Percent: p.Percent,
				Rate: p.Rate, ETASeconds: p.ETA.Seconds(), Error: p.Error}
		}
		if out.DataSync, err = a.dataSyncStatus(ctx, c); err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(a.out, out)
		}
		if err := a.printSyncStatus(out, st); err != nil {
			return err
		}
		return a.printDataSyncStatus(c.ID, out.DataSync)
	}
}

func (a *adminCLI) printSyncStatus(s syncStatusJSON, st ticketsync.Status) error {
	state := "off"
	switch {
	case s.On && s.Paused != "":
		state = "on, " + s.Paused
	case s.On:
		state = "on"
	}
	fmt.Fprintf(a.out, "Ticket sync:  %s\n", state)
	lag := "nothing waits"
	if st.Lag > 0 {
		lag = "the oldest change has waited " + st.Lag.Round(time.Second).String()
	}
	fmt.Fprintf(a.out, "Queue:        %d waiting, %d being synced, %d dead letters; %s\n", s.Waiting, s.Leased, s.Dead, lag)
	if b := s.Backfill; b != nil {
		line := fmt.Sprintf("%s, %d of %d tickets (%d %%), %.1f tickets/s", b.State, b.Done, b.Total, b.Percent, b.Rate)
		if b.ETASeconds > 0 {
			line += ", about " + time.Duration(b.ETASeconds*float64(time.Second)).Round(time.Second).String() + " left"
		}
		if b.Error != "" {
			line += "; " + b.Error
		}
		fmt.Fprintf(a.out, "Backfill:     last %d days: %s\n", b.Days, line)
	}
	if len(s.DeadLetters) == 0 {
		return nil
	}
	fmt.Fprintln(a.out, "\nDead letters (replay with: crossview admin sync replay --id "+s.Connection+" --ticket N, or --all):")
	tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TICKET\tTRIES\tSINCE\tSALESFORCE SAID")
	for _, d := range s.DeadLetters {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", d.Ticket, d.Attempts, d.Since.UTC().Format("2006-01-02 15:04 UTC"), d.Reason)
	}
	return tw.Flush()
}

func (a *adminCLI) syncReplay() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	ticket := a.fs.positiveFlag("ticket", "the dead-lettered ticket to queue again")
	all := a.fs.Bool("all", false, "queue every dead-lettered ticket again")
	record := a.fs.String("record", "", "the Salesforce `ID` of a record Zendesk refused, to write again")
	allRecords := a.fs.Bool("all-records", false, "write every record Zendesk refused again")
	a.fs.require("id")
	return func(ctx context.Context) error {
		given := 0
		for _, set := range []bool{*ticket > 0, *all, *record != "", *allRecords} {
			if set {
				given++
			}
		}
		if given != 1 {
			return usageError{"sync replay: give one of --ticket N, --all (tickets), --record ID or --all-records (data sync)"}
		}
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		if *record != "" || *allRecords {
			return a.replayRecords(ctx, c, *record)
		}
		if *all {
			n, err := a.app.admin.ReplayAllTickets(ctx, c.Tenant, cliActor, c.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%d tickets queued again\n", n)
			return nil
		}
		if err := a.app.admin.ReplayTicket(ctx, c.Tenant, cliActor, c.ID, *ticket); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "ticket %d queued again\n", *ticket)
		return nil
	}
}

func (a *adminCLI) syncBackfill() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	days := a.fs.positiveFlag("days", "how many days back (default: the connection's backfill days, else 30)")
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		n := int(*days)
		if n == 0 {
			n = c.TicketSync.BackfillDays
		}
		if n <= 0 {
			n = crossview.DefaultTicketSyncSettings().BackfillDays
		}
		if _, err := a.app.admin.StartTicketBackfill(ctx, c.Tenant, cliActor, c.ID, n); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "backfill of the last %d days started; a running server carries it out (see crossview admin sync status --id %s)\n", n, c.ID)
		return nil
	}
}
