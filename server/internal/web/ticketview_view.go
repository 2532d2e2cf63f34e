package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/ticketview"
	"github.com/crossview/crossview/views"
)

// ticketPanelView maps a built ticket panel to its display model.
func ticketPanelView(p ticketview.Panel, now time.Time) views.TicketPanel {
	f := p.Filter
	v := views.TicketPanel{
		RecordObject: p.Record.Object, RecordName: p.Record.Name, ViewOnly: p.Record.ViewOnly,
		NoAccounts: p.NoAccounts, Matching: p.Matching, Page: p.Page, Pages: p.Pages,
		Filtered: f.Active(), FilterSummary: filterSummary(f),
	}
	if v.RecordName == "" {
		v.RecordName = p.Record.ID
	}
	if p.Page > 1 {
		v.PrevPage = p.Page - 1
	}
	if p.Page < p.Pages {
		v.NextPage = p.Page + 1
	}
	if !p.Newest.IsZero() {
		v.FetchedAt = p.Newest.UTC().Format(time.RFC3339)
		v.FetchedAgo = ago(now.Sub(p.Newest))
	} else {
		v.FetchedAgo = "just now"
	}
	for _, st := range crossview.TicketStatuses() {
		v.Statuses = append(v.Statuses, views.FilterOption{Value: st, Label: title(st), Count: p.StatusCounts[st], Checked: contains(f.Statuses, st), ShowCount: true})
	}
	for _, pr := range ticketview.Priorities() {
		v.Priorities = append(v.Priorities, views.FilterOption{Value: pr, Label: title(pr), Checked: contains(f.Priorities, pr)})
	}
	for _, ty := range ticketview.Types() {
		v.Types = append(v.Types, views.FilterOption{Value: ty, Label: title(ty), Checked: contains(f.Types, ty)})
	}
	if p.Held != nil {
		v.RefreshNote = heldNote(p.Held, now)
	}
	for _, sec := range p.Sections {
		v.Total += sec.Count
		if sec.Reserve != nil {
			v.ReserveNotes = append(v.ReserveNotes, zendeskReserveNote(sec.Tenant, sec.Reserve))
		}
		v.Accounts = append(v.Accounts, views.FilterOption{Value: sec.Tenant, Label: sec.Tenant, Count: sec.Count, Checked: contains(f.Accounts, sec.Tenant)})
		if sec.Problem != nil {
			v.Problems = append(v.Problems, views.AccountProblem{Account: sec.Tenant, Title: zendeskProblemTitle(sec.Problem.Code), Message: sec.Problem.Message})
		}
	}
	for _, t := range p.Tickets {
		v.Tickets = append(v.Tickets, views.TicketRow{
			ID: strconv.FormatInt(t.ID, 10), URL: t.URL, Subject: t.Subject,
			Status: t.Status, StatusLabel: title(t.Status), Priority: dash(title(t.Priority)), Type: dash(title(t.Type)),
			Requester: dash(t.RequesterName), Assignee: dash(t.AssigneeName),
			UpdatedISO: t.UpdatedAt.UTC().Format(time.RFC3339), UpdatedAgo: ago(now.Sub(t.UpdatedAt)),
			Account: t.Tenant,
		})
	}
	return v
}

// filterSummary names what a filter keeps, group by group:
// "Status: Open, Pending · Priority: High".
func filterSummary(f ticketview.Filter) string {
	var parts []string
	for _, g := range []struct {
		name   string
		values []string
		label  func(string) string
	}{{"Status", f.Statuses, title}, {"Priority", f.Priorities, title}, {"Type", f.Types, title}, {"Zendesk account", f.Accounts, func(s string) string { return s }}} {
		if len(g.values) == 0 {
			continue
		}
		labels := make([]string, len(g.values))
		for i, v := range g.values {
			labels[i] = g.label(v)
		}
		parts = append(parts, g.name+": "+strings.Join(labels, ", "))
	}
	return strings.Join(parts, " · ")
}

func zendeskProblemTitle(code string) string {
	switch code {
	case crossview.EUNAVAILABLE:
		return "Zendesk unavailable"
	case crossview.ERATELIMITED:
		return "Zendesk rate limit reached"
	case crossview.EUNAUTHORIZED, crossview.EFORBIDDEN:
		return "Connection needs attention"
	}
	return "Could not load tickets"
}

func title(s string) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
