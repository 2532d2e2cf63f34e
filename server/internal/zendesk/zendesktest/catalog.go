package zendesktest

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Brand mirrors Zendesk's brand JSON.
type Brand struct {
	ID        int64
	Name      string
	Subdomain string
	Default   bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TicketForm mirrors Zendesk's ticket form JSON.
type TicketForm struct {
	ID          int64
	Name        string
	DisplayName string
	Default     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AddBrand stores a brand; an empty Subdomain is derived from the name.
func (a *Account) AddBrand(b Brand) Brand {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.ID = a.claimID(b.ID, &a.nextCatalog, func(id int64) bool { return a.brands[id] != nil })
	if b.Subdomain == "" {
		b.Subdomain = a.spec.Subdomain + "-" + strconv.FormatInt(b.ID, 10)
	}
	b.CreatedAt, b.UpdatedAt = a.stamps(b.CreatedAt, b.UpdatedAt)
	a.brands[b.ID] = &b
	return b
}

// AddTicketForm stores a ticket form; an empty DisplayName is the name.
func (a *Account) AddTicketForm(f TicketForm) TicketForm {
	a.mu.Lock()
	defer a.mu.Unlock()
	f.ID = a.claimID(f.ID, &a.nextCatalog, func(id int64) bool { return a.ticketForms[id] != nil })
	if f.DisplayName == "" {
		f.DisplayName = f.Name
	}
	f.CreatedAt, f.UpdatedAt = a.stamps(f.CreatedAt, f.UpdatedAt)
	a.ticketForms[f.ID] = &f
	return f
}

// brandJSON renders a brand. Callers hold a.mu.
func (a *Account) brandJSON(b *Brand) map[string]any {
	var forms []int64
	for _, f := range a.ticketForms {
		forms = append(forms, f.ID)
	}
	slices.Sort(forms)
	return map[string]any{"id": b.ID, "url": fmt.Sprintf("%s/api/v2/brands/%d.json", a.base, b.ID), "name": b.Name,
		"brand_url": "https://" + b.Subdomain + ".zendesk.com", "subdomain": b.Subdomain, "host_mapping": nil,
		"has_help_center": false, "help_center_state": "disabled", "active": true, "default": b.Default,
		"is_deleted": false, "logo": nil, "ticket_form_ids": nonNilIDs(forms), "signature_template": "{{agent.signature}}",
		"created_at": stamp(b.CreatedAt), "updated_at": stamp(b.UpdatedAt)}
}

// formJSON renders a ticket form.
func (a *Account) formJSON(f *TicketForm) map[string]any {
	return map[string]any{"id": f.ID, "url": fmt.Sprintf("%s/api/v2/ticket_forms/%d.json", a.base, f.ID),
		"name": f.Name, "raw_name": f.Name, "display_name": f.DisplayName, "raw_display_name": f.DisplayName,
		"end_user_visible": true, "position": 0, "ticket_field_ids": []int64{}, "active": true, "default": f.Default,
		"in_all_brands": true, "restricted_brand_ids": []int64{}, "agent_conditions": []any{},
		"end_user_conditions": []any{}, "created_at": stamp(f.CreatedAt), "updated_at": stamp(f.UpdatedAt)}
}

func nonNilIDs(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

// groupName, brandName and formName name a record for display; "-" when
// unset or unknown. Callers hold a.mu.
func (a *Account) groupName(id int64) string {
	if g := a.membersLocked().groups[id]; g != nil {
		return g.Name
	}
	return "-"
}

func (a *Account) brandName(id int64) string {
	if b := a.brands[id]; b != nil {
		return b.Name
	}
	return "-"
}

func (a *Account) formName(id int64) string {
	if f := a.ticketForms[id]; f != nil {
		return f.Name
	}
	return "-"
}
