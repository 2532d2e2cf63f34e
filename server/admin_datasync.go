package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
)

// parseObject reads an object the CLI names: Account or accounts, ...
func parseObject(flag, s string) (string, error) {
	switch strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), "s") {
	case "account":
		return crossview.ObjectAccount, nil
	case "contact":
		return crossview.ObjectContact, nil
	case "lead":
		return crossview.ObjectLead, nil
	}
	return "", fmt.Errorf("--%s: %q is not Account, Contact or Lead", flag, s)
}

// objectSync points at an object's settings.
func objectSync(set *crossview.DataSyncSettings, object string) *crossview.ObjectSync {
	switch object {
	case crossview.ObjectAccount:
		return &set.Accounts
	case crossview.ObjectContact:
		return &set.Contacts
	}
	return &set.Leads
}

// connectionDataSync changes a connection's data-sync settings; what is
// not given stays as it is.
func (a *adminCLI) connectionDataSync() func(context.Context) error {
	id := a.fs.String("id", "", "the connection's id (conn_…, from connection list)")
	objects := checkedFlag(a.fs, "objects", "LIST", "the objects to sync, comma-separated: accounts, contacts, leads (the others stop)", func(name, s string) ([]string, error) {
		var out []string
		for _, p := range splitComma(s) {
			o, err := parseObject(name, p)
			if err != nil {
				return nil, err
			}
			out = append(out, o)
		}
		return out, nil
	})
	maps := map[string][]crossview.DataMapping{}
	a.fs.Func("map", "a field mapping `Object.Field=zendesk_field[:sv=zv,...]`, e.g. Contact.Title=user_fields.title or "+
		"Account.Industry=organization_fields.industry:Technology=tech; repeatable, replaces that object's mappings; Object=none clears them", func(v string) error {
		obj, m, err := parseDataMapFlag(v)
		if err == nil {
			maps[obj] = append(maps[obj], m...)
		}
		return err
	})
	filters := map[string]*crossview.FilterGroup{}
	a.fs.Func("filter", "which records of an object sync: `Object='expr'`, e.g. Account=\"(Industry = 'Tech' OR Industry = 'Retail') AND AnnualRevenue >= 1000000\"; "+
		"repeatable; Object= (empty) syncs them all", func(v string) error {
		name, expr, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("--filter wants Object='expr', not %q", v)
		}
		obj, err := parseObject("filter", name)
		if err != nil {
			return err
		}
		g, err := crossview.ParseFilter(expr)
		if err != nil {
			return fmt.Errorf("--filter %s: %s", obj, crossview.ErrorMessage(err))
		}
		filters[obj] = g
		return nil
	})
	userMatch := a.fs.String("user-match", "", "how a Contact or Lead finds its Zendesk user, in order: `external_id,email`")
	orgMatch := a.fs.String("org-match", "", "how an Account finds its Zendesk organization, in order: `external_id,name` (also domain, field:KEY)")
	onDelete := a.fs.choiceFlag("on-delete", "what a Salesforce delete does (a Zendesk user is never deleted)", crossview.OnDeletes()...)
	deleteTag := a.fs.String("delete-tag", "", "the `tag` --on-delete tag adds (default salesforce_deleted)")
	memberships := a.fs.choiceFlag("memberships", "organization memberships: the Contact's Account, or all its Accounts", crossview.MembershipScopes()...)
	priority := a.fs.Int("priority", -1, "which org wins an email several orgs feeding this Zendesk account claim (lower wins)")
	poll := checkedFlag(a.fs, "poll", "DURATION", "how often changes are read, e.g. 30s (the org's API budget may stretch it)", func(name, s string) (time.Duration, error) {
		d, err := time.ParseDuration(s)
		if err != nil || d < time.Second || d > 24*time.Hour {
			return 0, fmt.Errorf("--%s must be a duration from 1s to 24h, like 30s, not %q", name, s)
		}
		return d, nil
	})
	share := checkedFlag(a.fs, "api-share", "PERCENT", "the share of the org's remaining daily API allowance polling may spend, e.g. 10%", parsePercent)
	a.fs.require("id")
	return func(ctx context.Context) error {
		c, err := a.connection(ctx, *id)
		if err != nil {
			return err
		}
		d, err := a.app.admin.DataSync(ctx, c.Tenant, c.ID, time.Time{}, 0)
		if err != nil {
			return err
		}
		set := d.Connection.DataSync
		if *objects != nil {
			for _, o := range []string{crossview.ObjectAccount, crossview.ObjectContact, crossview.ObjectLead} {
				objectSync(&set, o).On = contains(*objects, o)
			}
		}
		for o, ms := range maps {
			objectSync(&set, o).Mappings = ms
		}
		for o, g := range filters {
			objectSync(&set, o).Filter = g
		}
		if *userMatch != "" {
			set.UserMatch = splitComma(*userMatch)
		}
		if *orgMatch != "" {
			set.OrgMatch = splitComma(*orgMatch)
		}
		if *onDelete != "" {
			set.OnDelete = *onDelete
		}
		if *deleteTag != "" {
			set.DeleteTag = *deleteTag
		}
		if *memberships != "" {
			set.Memberships = *memberships
		}
		if *priority >= 0 {
			set.Priority = *priority
		}
		if *poll > 0 {
			set.PollSeconds = int((*poll + time.Second - 1) / time.Second)
		}
		if *share > 0 {
			set.APIShare = *share
		}
		saved, err := a.app.admin.UpdateDataSync(ctx, c.Tenant, cliActor, c.ID, set)
		if err != nil {
			return err
		}
		if note := admin.BackfillNote(admin.Rescoped(saved, d.Connection.DataSync)); note != "" {
			fmt.Fprintf(a.out, "connection %s updated; %s\n", c.ID, note)
			return nil
		}
		return a.done(c.ID, nil)
	}
}

// parseDataMapFlag reads Object.Field=zendesk_field[:sv=zv,...], or
// Object=none.
func parseDataMapFlag(v string) (string, []crossview.DataMapping, error) {
	left, right, ok := strings.Cut(v, "=")
	if !ok {
		return "", nil, fmt.Errorf("--map wants Object.Field=zendesk_field[:sv=zv,...], not %q", v)
	}
	if strings.TrimSpace(right) == "none" && !strings.Contains(left, ".") {
		obj, err := parseObject("map", left)
		return obj, nil, err
	}
	objName, field, ok := strings.Cut(left, ".")
	if !ok {
		return "", nil, fmt.Errorf("--map %q: name the object and its field, like Contact.Title", v)
	}
	obj, err := parseObject("map", objName)
	if err != nil {
		return "", nil, err
	}
	zd, values, _ := strings.Cut(right, ":")
	m, err := crossview.ParseDataMapping(field, zd, values)
	if err != nil {
		return "", nil, fmt.Errorf("--map %q: %s", v, crossview.ErrorMessage(err))
	}
	return obj, []crossview.DataMapping{m}, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// dataSyncJSON is data sync in `admin sync status --json`.
type dataSyncJSON struct {
	AccountSync     bool                       `json:"account_sync"`
	ContactSync     bool                       `json:"contact_sync"`
	IntervalSeconds float64                    `json:"interval_seconds"`
	Budget          string                     `json:"budget,omitempty"`
	LastPoll        *time.Time                 `json:"last_poll,omitempty"`
	LastError       string                     `json:"last_error,omitempty"`
	Objects         []dataObjectJSON           `json:"objects"`
	Errors          []recordErrorJSON          `json:"errors"`
	Settings        crossview.DataSyncSettings `json:"settings"`
}

type dataObjectJSON struct {
	Object   string            `json:"object"`
	Cursor   *time.Time        `json:"cursor,omitempty"`
	Backfill *dataBackfillJSON `json:"backfill,omitempty"`
}

type dataBackfillJSON struct {
	State      string  `json:"state"`
	Done       int     `json:"done"`
	Failed     int     `json:"failed"`
	Total      int     `json:"total"`
	Percent    int     `json:"percent"`
	Rate       float64 `json:"records_per_second"`
	ETASeconds float64 `json:"eta_seconds"`
	Error      string  `json:"error,omitempty"`
}

type recordErrorJSON struct {
	Object   string    `json:"object"`
	Record   string    `json:"record"`
	Error    string    `json:"error"`
	Attempts int       `json:"attempts"`
	Since    time.Time `json:"since"`
}

// dataSyncStatus reads a connection's data sync for `admin sync status`.
func (a *adminCLI) dataSyncStatus(ctx context.Context, c crossview.Connection) (*dataSyncJSON, error) {
	d, err := a.app.admin.DataSync(ctx, c.Tenant, c.ID, time.Time{}, 0)
	if err != nil {
		return nil, err
	}
	st, conn := d.Status, d.Connection
	out := &dataSyncJSON{AccountSync: conn.Active(crossview.FeatureAccountSync), ContactSync: conn.Active(crossview.FeatureContactSync),
		IntervalSeconds: st.Interval.Seconds(), Budget: st.Budget, LastError: st.LastError,
		Objects: []dataObjectJSON{}, Errors: []recordErrorJSON{}, Settings: conn.DataSync}
	if !st.LastPoll.IsZero() {
		out.LastPoll = &st.LastPoll
	}
	for _, o := range st.Objects {
		oj := dataObjectJSON{Object: o.Object}
		if !o.Cursor.IsZero() {
			cur := o.Cursor
			oj.Cursor = &cur
		}
		if p := o.Backfill; p != nil {
			oj.Backfill = &dataBackfillJSON{State: p.State, Done: p.Done, Failed: p.Failed, Total: p.Total, Percent: p.Percent,
				Rate: p.Rate, ETASeconds: p.ETA.Seconds(), Error: p.Error}
		}
		out.Objects = append(out.Objects, oj)
	}
	for _, e := range d.Errors {
		out.Errors = append(out.Errors, recordErrorJSON{Object: e.Object, Record: e.ID, Error: e.Error, Attempts: e.Attempts, Since: e.At})
	}
	return out, nil
}

// printDataSyncStatus writes data sync's part of `admin sync status`.
func (a *adminCLI) printDataSyncStatus(conn string, d *dataSyncJSON) error {
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	fmt.Fprintf(a.out, "\nData sync:    account sync %s, contact sync %s\n", onOff(d.AccountSync), onOff(d.ContactSync))
	if !d.AccountSync && !d.ContactSync {
		return nil
	}
	line := "every " + time.Duration(d.IntervalSeconds*float64(time.Second)).Round(time.Second).String()
	if d.Budget != "" {
		line += " (" + d.Budget + ")"
	}
	if d.LastPoll != nil {
		line += "; last poll " + d.LastPoll.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	fmt.Fprintf(a.out, "Polls:        %s\n", line)
	if d.LastError != "" {
		fmt.Fprintf(a.out, "Last error:   %s\n", d.LastError)
	}
	tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OBJECT\tCHANGES FROM\tBACKFILL")
	for _, o := range d.Objects {
		cursor := "-"
		if o.Cursor != nil {
			cursor = o.Cursor.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		bf := "-"
		if b := o.Backfill; b != nil {
			bf = fmt.Sprintf("%s, %d of %d (%d %%), %.1f records/s", b.State, b.Done, b.Total, b.Percent, b.Rate)
			if b.ETASeconds > 0 {
				bf += ", about " + time.Duration(b.ETASeconds*float64(time.Second)).Round(time.Second).String() + " left"
			}
			if b.Failed > 0 {
				bf += fmt.Sprintf(", %d refused", b.Failed)
			}
			if b.Error != "" {
				bf += "; " + b.Error
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Object, cursor, bf)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.Errors) == 0 {
		return nil
	}
	fmt.Fprintln(a.out, "\nRecords Zendesk refused (replay with: crossview admin sync replay --id "+conn+" --record ID, or --all-records):")
	tw = tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "OBJECT\tRECORD\tTRIES\tSINCE\tZENDESK SAID")
	for _, e := range d.Errors {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", e.Object, e.Record, e.Attempts, e.Since.UTC().Format("2006-01-02 15:04 UTC"), e.Error)
	}
	return tw.Flush()
}

// replayRecords is `admin sync replay --record ID | --all-records`.
func (a *adminCLI) replayRecords(ctx context.Context, c crossview.Connection, record string) error {
	n, err := a.app.admin.ReplayRecords(ctx, c.Tenant, cliActor, c.ID, record)
	if err != nil {
		return err
	}
	d, err := a.app.admin.DataSync(ctx, c.Tenant, c.ID, time.Time{}, 0)
	if err != nil {
		return err
	}
	left := 0
	for _, e := range d.Errors {
		if record == "" || e.ID == record {
			left++
		}
	}
	fmt.Fprintf(a.out, "%d records written to Zendesk again; %d still refused\n", n, left)
	return nil
}
