package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketsync"
	"github.com/crossview/crossview/views"
)

// syncLogPage is how many sync log entries a page shows.
const syncLogPage = 25

// ticketSyncView is a connection's ticket-sync section.
func (s *server) ticketSyncView(csrf string, d admin.TicketSyncDetails, before time.Time, now time.Time) *views.AdminTicketSync {
	c, st := d.Connection, d.Status
	base := "/admin/connections/" + url.PathEscape(c.ID)
	v := &views.AdminTicketSync{ConnID: c.ID, CSRF: csrf, Available: c.Status == crossview.StatusActive, On: st.On,
		Paused: st.Paused, Waiting: st.Queue.Waiting, Leased: st.Queue.Leased, Settings: syncForm(c.TicketSync)}
	if st.Lag > 0 {
		v.Lag = ago(st.Lag)
	}
	for _, dl := range st.DeadLetters {
		v.DeadLetters = append(v.DeadLetters, views.AdminDeadLetter{Ticket: dl.Key, TicketURL: s.ticketURL(c.Tenant, dl.Key),
			Reason: dl.Reason, Attempts: dl.Attempts, At: dl.At})
	}
	if v.Available {
		for _, p := range c.Health.Problems {
			if isSyncProblem(p) {
				v.Problems = append(v.Problems, views.AdminSyncProblem{Title: p.Title, Message: p.Message, Fix: p.Fix,
					Blocking: p.Blocking, Repairable: admin.Repairable(p)})
			}
		}
	}
	if st.Backfill != nil {
		v.Backfill = backfillView(*st.Backfill, base+"/ticketsync/progress", now)
	}
	for _, e := range d.Log {
		v.Log = append(v.Log, s.logRow(c, e))
	}
	if d.More && len(d.Log) > 0 {
		v.OlderLogURL = base + "?log_before=" + strconv.FormatInt(d.Log[len(d.Log)-1].At.UnixNano(), 10) + "#sync-log"
	}
	if !before.IsZero() {
		v.NewerLogURL = base + "#sync-log"
	}
	return v
}

// isSyncProblem tells ticket sync's health problems (the org's Case
// fields, the Zendesk trigger and webhook) from the connection's own.
func isSyncProblem(p crossview.HealthProblem) bool {
	return p.Feature == crossview.FeatureTicketSync
}

func (s *server) ticketURL(tenant, id string) string {
	if s.o.ZendeskBaseURL == nil || id == "" || id == "0" {
		return ""
	}
	return s.o.ZendeskBaseURL(tenant) + "/agent/tickets/" + url.PathEscape(id)
}

// caseURL is the Case's Lightning record page.
func caseURL(c crossview.Connection, id string) string {
	if id == "" || c.InstanceURL == "" {
		return ""
	}
	return strings.TrimRight(c.InstanceURL, "/") + "/lightning/r/Case/" + url.PathEscape(id) + "/view"
}

func (s *server) logRow(c crossview.Connection, e ticketsync.Entry) views.AdminSyncLogRow {
	r := views.AdminSyncLogRow{At: e.At, Outcome: e.Outcome, Case: e.Case, CaseURL: caseURL(c, e.Case), Error: e.Error}
	if e.Ticket > 0 {
		r.Ticket = strconv.FormatInt(e.Ticket, 10)
		r.TicketURL = s.ticketURL(c.Tenant, r.Ticket)
	}
	switch e.Outcome {
	case "created", "updated", "backfilled", "replayed":
		r.OutcomeClass = "ok"
	case "failed":
		r.OutcomeClass = "bad"
	default:
		r.OutcomeClass = "warn"
	}
	var what []string
	if len(e.Changed) > 0 {
		what = append(what, strings.Join(e.Changed, ", "))
	}
	if e.Comments > 0 {
		what = append(what, plural(e.Comments, "comment", "comments")+" added")
	}
	if e.Backfill {
		what = append(what, "from the backfill")
	}
	if e.Actor != "" {
		what = append(what, "by "+e.Actor)
	}
	if e.Outcome == "retrying" && e.RetryIn != "" {
		what = append(what, fmt.Sprintf("attempt %d, next in %s", e.Attempt, e.RetryIn))
	}
	what = append(what, e.Notes...)
	r.What = strings.Join(what, "; ")
	return r
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// backfillView words a backfill's progress.
func backfillView(p ticketsync.Progress, progressURL string, now time.Time) *views.AdminBackfill {
	b := &views.AdminBackfill{State: p.State, Done: p.Synced, Total: p.Total, Percent: p.Percent, Error: p.Error,
		Live: p.State == ticketsync.BackfillRunning || p.State == ticketsync.BackfillExported, ProgressURL: progressURL,
		Started: ago(now.Sub(p.StartedAt)), Rate: fmt.Sprintf("%.1f tickets/s", p.Rate), ETA: "—"}
	switch p.State {
	case ticketsync.BackfillRunning:
		b.Label = fmt.Sprintf("Reading the last %d days of tickets from Zendesk…", p.Days)
		if now.Before(p.NotBefore) {
			b.Label = "Checking once more for tickets changed in the minute before sync was turned on (Zendesk's export holds that minute back)…"
		}
	case ticketsync.BackfillExported:
		b.Label = "Writing the last Cases…"
	case ticketsync.BackfillDone:
		b.Label = fmt.Sprintf("Done: the last %d days are in Salesforce.", p.Days)
		if !p.FinishedAt.IsZero() {
			b.ETA = "took " + p.FinishedAt.Sub(p.StartedAt).Round(time.Second).String()
		}
	case ticketsync.BackfillFailed:
		b.Label = "Stopped on an error; start it again to resume."
	case ticketsync.BackfillCancelled:
		b.Label = "Stopped: ticket sync was turned off."
	}
	if b.Live && p.ETA > 0 {
		b.ETA = "about " + p.ETA.Round(time.Second).String() + " left"
	}
	return b
}

// syncForm is the settings as form values, with empty rows to add a
// mapping or a condition.
func syncForm(set crossview.TicketSyncSettings) views.AdminTicketSyncForm {
	f := views.AdminTicketSyncForm{Comments: string(set.Comments), RequesterObject: set.RequesterObject,
		RequesterMatch: string(set.RequesterMatch), DefaultRequesterID: set.DefaultRequesterID,
		AccountMatch: string(set.AccountMatch), DefaultAccountID: set.DefaultAccountID,
		AccountExternalIDField: set.AccountExternalIDField, RecordTypeID: set.RecordTypeID,
		BackfillDays: set.BackfillDays, PauseAtPercent: int(set.PauseAt*100 + 0.5)}
	for i, m := range set.Mappings {
		f.Mappings = append(f.Mappings, views.AdminMappingRow{Index: i, Zendesk: m.Zendesk, Salesforce: m.Salesforce, Values: valueMap(m.Values)})
	}
	for i := len(set.Mappings); i < len(set.Mappings)+3; i++ {
		f.Mappings = append(f.Mappings, views.AdminMappingRow{Index: i})
	}
	for i, c := range set.Conditions {
		f.Conditions = append(f.Conditions, views.AdminConditionRow{Index: i, Field: c.Field, Operator: c.Operator, Value: c.Value})
	}
	for i := len(set.Conditions); i < len(set.Conditions)+2; i++ {
		f.Conditions = append(f.Conditions, views.AdminConditionRow{Index: i})
	}
	return f
}

// valueMap reads "zv=sv, zv2=sv2", sorted.
func valueMap(m map[string]string) string {
	parts := make([]string, 0, len(m))
	for k, v := range m {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// maxFormRows bounds the mapping and condition rows a form may send.
const maxFormRows = 100

// ticketSyncSettingsFromForm reads the settings form (the ids of what
// Crossview made in Zendesk are kept by the admin service).
func ticketSyncSettingsFromForm(f url.Values) (crossview.TicketSyncSettings, error) {
	var set crossview.TicketSyncSettings
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	set.Comments = crossview.CommentScope(get("comments"))
	set.RequesterObject = get("requester_object")
	set.RequesterMatch, set.DefaultRequesterID = crossview.RecordMatch(get("requester_match")), get("default_requester_id")
	set.AccountMatch, set.DefaultAccountID = crossview.RecordMatch(get("account_match")), get("default_account_id")
	set.AccountExternalIDField, set.RecordTypeID = get("account_external_id_field"), get("record_type_id")
	for i := range maxFormRows {
		n := strconv.Itoa(i)
		z, sf, vals := get("map_zendesk_"+n), get("map_salesforce_"+n), get("map_values_"+n)
		if z == "" && sf == "" && vals == "" {
			continue
		}
		m, err := crossview.ParseFieldMapping(z, sf, vals)
		if err != nil {
			return set, err
		}
		set.Mappings = append(set.Mappings, m)
	}
	for i := range maxFormRows {
		n := strconv.Itoa(i)
		field, op, val := get("cond_field_"+n), get("cond_operator_"+n), get("cond_value_"+n)
		if field == "" && op == "" && val == "" {
			continue
		}
		if field == "" || op == "" {
			return set, crossview.Errorf(crossview.EINVALID, "A trigger condition needs a field and an operator (condition %d).", i+1)
		}
		set.Conditions = append(set.Conditions, crossview.TriggerCondition{Field: field, Operator: op, Value: val})
	}
	var err error
	if set.BackfillDays, err = strconv.Atoi(get("backfill_days")); err != nil {
		return set, crossview.Errorf(crossview.EINVALID, "Backfill days must be a number.")
	}
	pct, err := strconv.ParseFloat(strings.TrimSuffix(get("pause_at"), "%"), 64)
	if err != nil {
		return set, crossview.Errorf(crossview.EINVALID, "The API share at which sync pauses must be a percentage.")
	}
	set.PauseAt = pct / 100
	return set, set.Validate()
}
