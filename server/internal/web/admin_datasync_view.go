package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/datasync"
	"github.com/crossview/crossview/views"
)

// dataSyncView is a connection's data-sync section. posted, when set, is
// a settings form that was refused: the form shows it as posted.
func dataSyncView(csrf string, d admin.DataSyncDetails, before, now time.Time, posted url.Values, settingsErr string) *views.AdminDataSync {
	c, st := d.Connection, d.Status
	base := "/admin/connections/" + url.PathEscape(c.ID)
	v := &views.AdminDataSync{ConnID: c.ID, CSRF: csrf, Available: c.Status == crossview.StatusActive,
		AccountOn: c.Active(crossview.FeatureAccountSync), ContactOn: c.Active(crossview.FeatureContactSync),
		Interval: "every " + st.Interval.Round(time.Second).String(), Budget: st.Budget, LastError: st.LastError,
		Settings: dataSyncForm(c.DataSync), SettingsError: settingsErr}
	if posted != nil {
		v.Settings = postedDataSyncForm(posted)
	}
	if !st.LastPoll.IsZero() {
		v.LastPoll = ago(now.Sub(st.LastPoll))
	}
	if !st.NextPoll.IsZero() && st.NextPoll.After(now) {
		v.NextPoll = "in " + st.NextPoll.Sub(now).Round(time.Second).String()
	}
	for _, o := range st.Objects {
		ov := views.AdminDataSyncObject{Object: o.Object, Label: objectLabel(o.Object), Cursor: "not yet"}
		if !o.Cursor.IsZero() {
			ov.Cursor = o.Cursor.UTC().Format("2006-01-02 15:04:05")
		}
		if o.Backfill != nil {
			ov.Backfill = dataBackfillView(*o.Backfill, base+"/datasync/progress?object="+url.QueryEscape(o.Object), now)
		}
		v.Objects = append(v.Objects, ov)
	}
	if v.Available {
		for _, p := range c.Health.Problems {
			if p.Feature == crossview.FeatureAccountSync || p.Feature == crossview.FeatureContactSync {
				v.Problems = append(v.Problems, views.AdminSyncProblem{Title: p.Title, Message: p.Message, Fix: p.Fix, Blocking: p.Blocking})
			}
		}
	}
	for _, e := range d.Errors {
		v.Errors = append(v.Errors, views.AdminRecordError{Object: e.Object, ID: e.ID, RecordURL: recordURL(c, e.Object, e.ID),
			Error: e.Error, Attempts: e.Attempts, At: e.At})
	}
	for _, e := range d.Log {
		v.Log = append(v.Log, dataLogRow(c, e))
	}
	if d.More && len(d.Log) > 0 {
		v.OlderLogURL = base + "?ds_log_before=" + strconv.FormatInt(d.Log[len(d.Log)-1].At.UnixNano(), 10) + "#ds-log"
	}
	if !before.IsZero() {
		v.NewerLogURL = base + "#ds-log"
	}
	return v
}

// objectLabel is an object's plural for people.
func objectLabel(object string) string {
	for _, o := range dataSyncObjects() {
		if o.object == object {
			return o.label
		}
	}
	return object
}

// recordURL is a Salesforce record's Lightning page.
func recordURL(c crossview.Connection, object, id string) string {
	if id == "" || c.InstanceURL == "" {
		return ""
	}
	return strings.TrimRight(c.InstanceURL, "/") + "/lightning/r/" + url.PathEscape(object) + "/" + url.PathEscape(id) + "/view"
}

func dataLogRow(c crossview.Connection, e datasync.Entry) views.AdminDataSyncLogRow {
	r := views.AdminDataSyncLogRow{At: e.At, Object: objectLabel(e.Object), Why: e.Why, Record: e.Record,
		RecordURL: recordURL(c, e.Object, e.Record), Error: e.Error}
	var counts []string
	for _, n := range []struct {
		n    int
		word string
	}{{e.Created, "created"}, {e.Updated, "updated"}, {e.Unchanged, "unchanged"}, {e.Skipped, "skipped"}, {e.Failed, "failed"}} {
		if n.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", n.n, n.word))
		}
	}
	switch {
	case e.Failed > 0 || (e.Error != "" && e.Why != "resync"):
		r.Outcome, r.OutcomeClass = "failed", "bad"
	case e.Why == "resync" || e.Skipped > 0:
		r.Outcome, r.OutcomeClass = orDash(strings.Join(counts, ", "), e.Why), "warn"
	default:
		r.Outcome, r.OutcomeClass = orDash(strings.Join(counts, ", "), "nothing to write"), "ok"
	}
	if e.Failed > 0 && e.Record == "" {
		r.Outcome = strings.Join(counts, ", ")
	}
	var what []string
	if e.LagMS > 0 {
		what = append(what, "changed in Salesforce "+(time.Duration(e.LagMS)*time.Millisecond).Round(100*time.Millisecond).String()+" before")
	}
	what = append(what, e.Notes...)
	r.What = strings.Join(what, "; ")
	return r
}

// dataBackfillView words one object's backfill.
func dataBackfillView(p datasync.Progress, progressURL string, now time.Time) *views.AdminBackfill {
	label := strings.ToLower(objectLabel(p.Object))
	b := &views.AdminBackfill{State: p.State, Done: p.Done, Total: p.Total, Percent: p.Percent, Error: p.Error,
		Live: p.State == datasync.BackfillRunning, ProgressURL: progressURL,
		Started: ago(now.Sub(p.StartedAt)), Rate: fmt.Sprintf("%.1f records/s", p.Rate), ETA: "—"}
	switch p.State {
	case datasync.BackfillRunning:
		b.Label = "Bringing every " + strings.TrimSuffix(label, "s") + " in scope across…"
	case datasync.BackfillDone:
		b.Label = fmt.Sprintf("Done: %d %s in Zendesk", p.Done-p.Failed, label)
		if p.Failed > 0 {
			b.Label += fmt.Sprintf(", %d refused (below)", p.Failed)
		}
		if !p.FinishedAt.IsZero() {
			b.ETA = "took " + p.FinishedAt.Sub(p.StartedAt).Round(time.Second).String()
		}
	case datasync.BackfillFailed:
		b.Label = "Stopped on an error; fix it and save the settings (or turn the sync off and on) to start again."
	}
	if b.Live && p.ETA > 0 {
		b.ETA = "about " + p.ETA.Round(time.Second).String() + " left"
	}
	return b
}

// dataSyncForm is the settings as form values, with empty rows to add
// mappings.
func dataSyncForm(set crossview.DataSyncSettings) views.AdminDataSyncForm {
	f := views.AdminDataSyncForm{UserMatch: strings.Join(set.UserMatch, ", "), OrgMatch: strings.Join(set.OrgMatch, ", "),
		OnDelete: set.OnDelete, DeleteTag: set.DeleteTag, Memberships: set.Memberships,
		Priority: strconv.Itoa(set.Priority), PollSeconds: strconv.Itoa(set.PollSeconds),
		APISharePercent: strconv.FormatFloat(set.APIShare*100, 'f', -1, 64)}
	if set.PollSeconds <= 0 {
		f.PollSeconds = "30"
	}
	for i, o := range []crossview.ObjectSync{set.Accounts, set.Contacts, set.Leads} {
		meta := dataSyncObjects()[i]
		of := views.AdminDataSyncObjectForm{Key: meta.key, Label: meta.label, Target: meta.target, On: o.On, Filter: o.Filter.String()}
		for j, m := range o.Mappings {
			of.Mappings = append(of.Mappings, views.AdminDataMappingRow{Index: j, Salesforce: m.Salesforce, Zendesk: m.Zendesk, Values: valueMap(m.Values)})
		}
		for j := len(o.Mappings); j < len(o.Mappings)+3; j++ {
			of.Mappings = append(of.Mappings, views.AdminDataMappingRow{Index: j})
		}
		f.Objects = append(f.Objects, of)
	}
	return f
}

// postedDataSyncForm is a refused settings form, as it was posted.
func postedDataSyncForm(p url.Values) views.AdminDataSyncForm {
	get := func(k string) string { return strings.TrimSpace(p.Get(k)) }
	f := views.AdminDataSyncForm{UserMatch: get("user_match"), OrgMatch: get("org_match"), OnDelete: get("on_delete"),
		DeleteTag: get("delete_tag"), Memberships: get("memberships"), Priority: get("priority"),
		PollSeconds: get("poll_seconds"), APISharePercent: get("api_share")}
	for _, meta := range dataSyncObjects() {
		of := views.AdminDataSyncObjectForm{Key: meta.key, Label: meta.label, Target: meta.target, On: p.Get(meta.key+"_on") == "1",
			Filter: p.Get(meta.key + "_filter")}
		last := -1
		for row := range maxFormRows {
			n := strconv.Itoa(row)
			m := views.AdminDataMappingRow{Index: row, Salesforce: get(meta.key + "_sf_" + n), Zendesk: get(meta.key + "_zd_" + n), Values: get(meta.key + "_values_" + n)}
			if m.Salesforce != "" || m.Zendesk != "" || m.Values != "" {
				for k := last + 1; k < row; k++ {
					of.Mappings = append(of.Mappings, views.AdminDataMappingRow{Index: k})
				}
				of.Mappings, last = append(of.Mappings, m), row
			}
		}
		for k := last + 1; k < last+4; k++ {
			of.Mappings = append(of.Mappings, views.AdminDataMappingRow{Index: k})
		}
		f.Objects = append(f.Objects, of)
	}
	return f
}
