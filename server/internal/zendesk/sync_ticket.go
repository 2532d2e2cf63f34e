package zendesk

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// ticketIncludes are the sideloads that name a ticket's people,
// organization, group, brand and form and give its solved time (the
// metric set). Zendesk ignores a sideload it does not offer; the name
// cache covers what it leaves out.
const ticketIncludes = "users,organizations,groups,brands,ticket_forms,metric_sets"

// DefaultNamesTTL is how long ticket sync trusts a cached group, brand,
// form, organization or user name.
const DefaultNamesTTL = 10 * time.Minute

// SyncSource reads tickets for ticket sync, in the shared vocabulary: the
// ticket with every name resolved, its comments after a marker, and the
// incremental exports. Errors keep the *APIError inside, so IsNotFound (a
// deleted ticket), IsRateLimited and RetryAfter work on them.
type SyncSource struct {
	c     *Client
	names *nameCache
}

// NewSyncSource returns ticket sync's reader over c; names are cached per
// account for namesTTL (DefaultNamesTTL when not positive).
func NewSyncSource(c *Client, namesTTL time.Duration) *SyncSource {
	if namesTTL <= 0 {
		namesTTL = DefaultNamesTTL
	}
	return &SyncSource{c: c, names: newNameCache(namesTTL, c.now)}
}

// syncTicketWire is a ticket with the fields ticket sync reads beyond
// Ticket's.
type syncTicketWire struct {
	Ticket
	BrandID      int64             `json:"brand_id"`
	TicketFormID int64             `json:"ticket_form_id"`
	CustomFields []customFieldWire `json:"custom_fields"`
}

type customFieldWire struct {
	ID    int64 `json:"id"`
	Value any   `json:"value"`
}

type namedWire struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	ExternalID string `json:"external_id"`
}

type metricSetWire struct {
	TicketID int64      `json:"ticket_id"`
	SolvedAt *time.Time `json:"solved_at"`
}

// ticketSideloads are the records a ticket answer sideloads.
type ticketSideloads struct {
	Users         []User          `json:"users"`
	Organizations []namedWire     `json:"organizations"`
	Groups        []namedWire     `json:"groups"`
	Brands        []namedWire     `json:"brands"`
	TicketForms   []namedWire     `json:"ticket_forms"`
	MetricSets    []metricSetWire `json:"metric_sets"`
}

// Ticket reads one ticket with its names in one call, GET
// /api/v2/tickets/{id}.json with sideloads; a name Zendesk did not
// sideload comes from the cache or, once per ttl, its own call. The
// solved time is the metric set's solved_at, set only while the ticket is
// solved or closed. A deleted ticket is a not-found error (IsNotFound).
func (s *SyncSource) Ticket(ctx context.Context, t crossview.Tenant, id int64) (crossview.SyncTicket, error) {
	var r struct {
		Ticket syncTicketWire `json:"ticket"`
		ticketSideloads
	}
	cred := CredentialsOf(t)
	if err := s.c.get(ctx, t.Subdomain, &cred, fmt.Sprintf("/api/v2/tickets/%d.json?include=%s", id, ticketIncludes), &r); err != nil {
		return crossview.SyncTicket{}, UserError(err)
	}
	ts, err := s.assemble(ctx, t, []syncTicketWire{r.Ticket}, r.ticketSideloads)
	if err != nil {
		return crossview.SyncTicket{}, UserError(err)
	}
	return ts[0], nil
}

// assemble turns tickets and their sideloads into SyncTickets, asking
// Zendesk only for names neither the sideloads nor the cache hold.
func (s *SyncSource) assemble(ctx context.Context, t crossview.Tenant, tickets []syncTicketWire, side ticketSideloads) ([]crossview.SyncTicket, error) {
	sub := t.Subdomain
	s.remember(sub, side)
	if err := s.fillNames(ctx, t, tickets); err != nil {
		return nil, err
	}
	solved := make(map[int64]time.Time, len(side.MetricSets))
	for _, m := range side.MetricSets {
		if m.SolvedAt != nil {
			solved[m.TicketID] = m.SolvedAt.UTC()
		}
	}
	person := func(id int64) crossview.TicketPerson {
		n, _ := s.names.get(sub, kindUser, id)
		return crossview.TicketPerson{ID: id, Name: n.name, Email: n.extra}
	}
	name := func(kind string, id int64) string {
		n, _ := s.names.get(sub, kind, id)
		return n.name
	}
	out := make([]crossview.SyncTicket, 0, len(tickets))
	for _, tk := range tickets {
		org, _ := s.names.get(sub, kindOrg, tk.OrganizationID)
		st := crossview.SyncTicket{
			Tenant: sub, ID: tk.ID, URL: s.c.BaseURL(sub) + "/agent/tickets/" + strconv.FormatInt(tk.ID, 10),
			Subject: tk.Subject, Description: tk.Description, Status: tk.Status, Priority: tk.Priority, Type: tk.Type,
			Requester: person(tk.RequesterID), Assignee: person(tk.AssigneeID),
			Organization: crossview.TicketOrganization{ID: tk.OrganizationID, Name: org.name, ExternalID: org.extra},
			GroupName:    name(kindGroup, tk.GroupID), BrandName: name(kindBrand, tk.BrandID), FormName: name(kindForm, tk.TicketFormID),
			Tags: tk.Tags, CustomFields: customValues(tk.CustomFields),
			CreatedAt: tk.CreatedAt.UTC(), UpdatedAt: tk.UpdatedAt.UTC(),
			Deleted: tk.Status == "deleted",
		}
		if tk.Status == "solved" || tk.Status == "closed" {
			st.SolvedAt = solved[tk.ID]
		}
		out = append(out, st)
	}
	return out, nil
}

// customValues keys custom field values by field id; a multi-select's
// list becomes []string, an empty field nil (so a mapping can clear it).
func customValues(fields []customFieldWire) map[int64]any {
	if len(fields) == 0 {
		return nil
	}
	out := make(map[int64]any, len(fields))
	for _, f := range fields {
		if list, ok := f.Value.([]any); ok {
			tags := make([]string, 0, len(list))
			for _, v := range list {
				if s, ok := v.(string); ok {
					tags = append(tags, s)
				}
			}
			out[f.ID] = tags
			continue
		}
		out[f.ID] = f.Value
	}
	return out
}
