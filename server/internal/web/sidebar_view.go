package web

import (
	"fmt"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/sidebar"
	"github.com/crossview/crossview/views"
)

// sidebarView maps a built panel to its display model.
func sidebarView(p sidebar.Panel, now time.Time) views.SidebarPanel {
	v := views.SidebarPanel{
		TicketID:       p.TicketID,
		RequesterName:  p.Requester.Name,
		RequesterEmail: p.Requester.Email,
		NoConnections:  p.NoConnections,
		NoEmail:        !p.NoConnections && p.Requester.Email == "",
	}
	if v.RequesterName == "" {
		v.RequesterName = "Unknown requester"
	}
	if p.Held != nil {
		v.RefreshNote = heldNote(p.Held, now)
	}
	for _, s := range p.Sections {
		v.Sections = append(v.Sections, orgSectionView(s, now))
	}
	return v
}

func orgSectionView(s sidebar.Section, now time.Time) views.OrgSection {
	c := s.Connection
	o := views.OrgSection{ID: c.ID, Name: c.Name, OrgID: c.OrgID, Environment: "Production"}
	if o.Name == "" {
		o.Name = c.OrgName
	}
	if o.Name == "" {
		o.Name = c.OrgID
	}
	if c.Environment == crossview.Sandbox {
		o.Environment = "Sandbox"
	}
	if !s.Data.FetchedAt.IsZero() {
		o.FetchedAt = s.Data.FetchedAt.UTC().Format(time.RFC3339)
		o.FetchedAgo = ago(now.Sub(s.Data.FetchedAt))
	}
	if s.Reserve != nil {
		o.ReserveNote = salesforceReserveNote(s.Reserve)
	}
	if s.Problem != nil {
		o.Problem = &views.Problem{Title: problemTitle(s.Problem.Code), Message: s.Problem.Message, Stale: s.Problem.Stale}
		if s.Problem.Stale {
			o.Problem.Message += " Showing the data fetched " + o.FetchedAgo + "."
		}
	}
	counts := map[string]int{}
	for _, m := range s.Data.Matches {
		counts[m.Person.Object]++
	}
	seen := map[string]int{}
	for _, m := range s.Data.Matches {
		obj := m.Person.Object
		seen[obj]++
		label := obj
		if counts[obj] > 1 {
			label = fmt.Sprintf("%s %d of %d", obj, seen[obj], counts[obj])
		}
		mv := views.Match{Label: label, Person: recordView(m.Person)}
		if m.Account != nil {
			a := recordView(*m.Account)
			mv.Account = &a
		}
		for _, r := range m.Opportunities {
			mv.Opportunities = append(mv.Opportunities, recordView(r))
		}
		for _, r := range m.Cases {
			mv.Cases = append(mv.Cases, recordView(r))
		}
		o.Matches = append(o.Matches, mv)
	}
	return o
}

func recordView(r crossview.Record) views.RecordView {
	v := views.RecordView{Object: r.Object, Name: r.Name, URL: r.URL}
	if v.Name == "" {
		v.Name = "(no name)"
	}
	for _, f := range r.Fields {
		v.Fields = append(v.Fields, views.FieldView{Label: f.Label, Value: f.Value, Currency: f.Currency})
	}
	return v
}

// problemTitle names a failure class in a few words.
func problemTitle(code string) string {
	switch code {
	case crossview.EUNAVAILABLE:
		return "Salesforce unavailable"
	case crossview.ERATELIMITED:
		return "API limit reached"
	case crossview.EUNAUTHORIZED:
		return "Connection needs attention"
	case crossview.EFORBIDDEN:
		return "Permission missing"
	case crossview.EINVALID:
		return "Settings problem"
	}
	return "Could not load this org"
}

// ago says how long ago something happened, for people.
func ago(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds ago", int(d.Seconds()))
	case d < 2*time.Minute:
		return "1 minute ago"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	case d < 2*time.Hour:
		return "1 hour ago"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return fmt.Sprintf("%d months ago", int(d.Hours()/24/30))
}
