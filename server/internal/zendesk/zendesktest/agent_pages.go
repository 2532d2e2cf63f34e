package zendesktest

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The agent pages stand in for Zendesk's agent interface at the links
// Crossview builds (<base>/agent/tickets/{id}, and the user and
// organization pages those link to), so a sandbox link opens something
// real. They are plain server-rendered HTML, need no sign-in and do not
// count against the API rate limit.

type agentLink struct {
	Href, Text string
}

type agentComment struct {
	Author   agentLink
	Internal bool
	At       string
	Body     string
}

type agentTicket struct {
	Account                              string
	ID                                   int64
	Subject, Status, Priority, Type, Via string
	Requester, Organization, Assignee    agentLink
	RequesterEmail, Group, Brand, Form   string
	Tags                                 []string
	Created, Updated                     string
	Comments                             []agentComment
}

type agentUser struct {
	Account                     string
	Name, Email, Role, External string
	Organization                agentLink
	Tickets                     []agentLink
}

type agentOrg struct {
	Account          string
	Name, External   string
	Domains, Tags    []string
	Members, Tickets []agentLink
	Created, Updated string
}

// handleAgentTicket serves GET /agent/tickets/{id}.
func handleAgentTicket(c *call) error {
	a := c.a
	a.mu.Lock()
	rec := a.tickets[c.id("id")]
	if rec == nil {
		a.mu.Unlock()
		writeNotFoundPage(c.w)
		return nil
	}
	t := rec.t
	v := agentTicket{
		Account: a.spec.Subdomain, ID: t.ID, Subject: t.Subject, Status: title(t.Status), Priority: title(t.Priority),
		Type: title(t.Type), Via: viaName(t.Via.Channel), Requester: a.userLink(t.RequesterID),
		Organization: a.orgLink(t.OrganizationID), Assignee: a.userLink(t.AssigneeID),
		Group: a.groupName(t.GroupID), Brand: a.brandName(t.BrandID), Form: a.formName(t.TicketFormID),
		Tags: slices.Clone(t.Tags), Created: stamp(t.CreatedAt), Updated: stamp(t.UpdatedAt),
	}
	if u := a.users[t.RequesterID]; u != nil {
		v.RequesterEmail = u.Email
	}
	for _, cm := range rec.comments {
		v.Comments = append(v.Comments, agentComment{Author: a.userLink(cm.AuthorID), Internal: !cm.Public,
			At: stamp(cm.CreatedAt), Body: cm.Body})
	}
	a.mu.Unlock()
	return renderAgentPage(c, "ticket", v)
}

// handleAgentUser serves GET /agent/users/{id}.
func handleAgentUser(c *call) error {
	a := c.a
	a.mu.Lock()
	u := a.users[c.id("id")]
	if u == nil {
		a.mu.Unlock()
		writeNotFoundPage(c.w)
		return nil
	}
	v := agentUser{Account: a.spec.Subdomain, Name: u.Name, Email: u.Email, Role: u.Role, External: u.ExternalID,
		Organization: a.orgLink(u.OrganizationID)}
	for _, t := range a.sortedTickets() {
		if t.RequesterID == u.ID {
			v.Tickets = append(v.Tickets, a.ticketLink(t))
		}
	}
	a.mu.Unlock()
	return renderAgentPage(c, "user", v)
}

// handleAgentOrganization serves GET /agent/organizations/{id}.
func handleAgentOrganization(c *call) error {
	a := c.a
	a.mu.Lock()
	o := a.orgs[c.id("id")]
	if o == nil {
		a.mu.Unlock()
		writeNotFoundPage(c.w)
		return nil
	}
	v := agentOrg{Account: a.spec.Subdomain, Name: o.Name, External: o.ExternalID, Domains: slices.Clone(o.DomainNames),
		Tags: slices.Clone(o.Tags), Created: stamp(o.CreatedAt), Updated: stamp(o.UpdatedAt)}
	for _, u := range a.sortedUsers() {
		if u.OrganizationID == o.ID {
			v.Members = append(v.Members, a.userLink(u.ID))
		}
	}
	for _, t := range a.sortedTickets() {
		if t.OrganizationID == o.ID {
			v.Tickets = append(v.Tickets, a.ticketLink(t))
		}
	}
	a.mu.Unlock()
	return renderAgentPage(c, "organization", v)
}

func renderAgentPage(c *call, name string, v any) error {
	var b bytes.Buffer
	if err := c.a.srv.agent.ExecuteTemplate(&b, name, v); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.WriteHeader(http.StatusOK)
	_, _ = b.WriteTo(c.w)
	return nil
}

// writeNotFoundPage is Zendesk's HTML 404 for a page that does not exist.
func writeNotFoundPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = io.WriteString(w, "<!DOCTYPE html><html><body><h1>The page you were looking for doesn't exist</h1></body></html>")
}

// userLink links a user's agent page; zero is no link. Callers hold a.mu.
func (a *Account) userLink(id int64) agentLink {
	u := a.users[id]
	if u == nil {
		return agentLink{}
	}
	return agentLink{Href: "/" + a.spec.Subdomain + "/agent/users/" + strconv.FormatInt(id, 10), Text: u.Name}
}

// orgLink links an organization's agent page. Callers hold a.mu.
func (a *Account) orgLink(id int64) agentLink {
	o := a.orgs[id]
	if o == nil {
		return agentLink{}
	}
	return agentLink{Href: "/" + a.spec.Subdomain + "/agent/organizations/" + strconv.FormatInt(id, 10), Text: o.Name}
}

func (a *Account) ticketLink(t Ticket) agentLink {
	return agentLink{Href: "/" + a.spec.Subdomain + "/agent/tickets/" + strconv.FormatInt(t.ID, 10),
		Text: "#" + strconv.FormatInt(t.ID, 10) + " " + t.Subject + " (" + t.Status + ")"}
}

// sortedTickets lists tickets by id. Callers hold a.mu.
func (a *Account) sortedTickets() []Ticket {
	out := make([]Ticket, 0, len(a.tickets))
	for _, rec := range a.tickets {
		out = append(out, rec.t.clone())
	}
	slices.SortFunc(out, func(x, y Ticket) int { return cmpInt(x.ID, y.ID) })
	return out
}

// title capitalizes an enum value for display ("open" → "Open").
func title(s string) string {
	if s == "" {
		return "-"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

const agentPages = `{{define "head"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.}} – Zendesk (emulated)</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}dt{font-weight:bold}
.comment{border:1px solid #ccc;padding:.5em;margin:.5em 0}.internal{background:#fff6dd}</style></head><body>{{end}}
{{define "link"}}{{if .Href}}<a href="{{.Href}}">{{.Text}}</a>{{else}}-{{end}}{{end}}

{{define "ticket"}}{{template "head" .Subject}}
<p>{{.Account}}.zendesk.com (emulated)</p>
<h1><span class="ticket-id">#{{.ID}}</span> {{.Subject}}</h1>
<dl>
<dt>Status</dt><dd class="status">{{.Status}}</dd>
<dt>Priority</dt><dd>{{.Priority}}</dd>
<dt>Type</dt><dd>{{.Type}}</dd>
<dt>Requester</dt><dd>{{template "link" .Requester}} {{.RequesterEmail}}</dd>
<dt>Organization</dt><dd>{{template "link" .Organization}}</dd>
<dt>Assignee</dt><dd>{{template "link" .Assignee}}</dd>
<dt>Group</dt><dd>{{.Group}}</dd>
<dt>Brand</dt><dd>{{.Brand}}</dd>
<dt>Form</dt><dd>{{.Form}}</dd>
<dt>Tags</dt><dd>{{range .Tags}}<span class="tag">{{.}}</span> {{else}}-{{end}}</dd>
<dt>Channel</dt><dd>{{.Via}}</dd>
<dt>Created</dt><dd>{{.Created}}</dd>
<dt>Updated</dt><dd>{{.Updated}}</dd>
</dl>
<h2>Conversation</h2>
{{range .Comments}}<div class="comment{{if .Internal}} internal{{end}}">
<p>{{template "link" .Author}} · {{.At}}{{if .Internal}} · Internal note{{end}}</p>
<p style="white-space:pre-wrap">{{.Body}}</p></div>
{{else}}<p>No comments.</p>{{end}}
</body></html>{{end}}

{{define "user"}}{{template "head" .Name}}
<p>{{.Account}}.zendesk.com (emulated)</p>
<h1>{{.Name}}</h1>
<dl>
<dt>Email</dt><dd>{{.Email}}</dd>
<dt>Role</dt><dd>{{.Role}}</dd>
<dt>Organization</dt><dd>{{template "link" .Organization}}</dd>
<dt>External ID</dt><dd>{{.External}}</dd>
</dl>
<h2>Requested tickets</h2>
<ul>{{range .Tickets}}<li>{{template "link" .}}</li>{{else}}<li>None.</li>{{end}}</ul>
</body></html>{{end}}

{{define "organization"}}{{template "head" .Name}}
<p>{{.Account}}.zendesk.com (emulated)</p>
<h1>{{.Name}}</h1>
<dl>
<dt>Domains</dt><dd>{{range .Domains}}{{.}} {{else}}-{{end}}</dd>
<dt>Tags</dt><dd>{{range .Tags}}{{.}} {{else}}-{{end}}</dd>
<dt>External ID</dt><dd>{{.External}}</dd>
<dt>Created</dt><dd>{{.Created}}</dd>
</dl>
<h2>Users</h2>
<ul>{{range .Members}}<li>{{template "link" .}}</li>{{else}}<li>None.</li>{{end}}</ul>
<h2>Tickets</h2>
<ul>{{range .Tickets}}<li>{{template "link" .}}</li>{{else}}<li>None.</li>{{end}}</ul>
</body></html>{{end}}`
