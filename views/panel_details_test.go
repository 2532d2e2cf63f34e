package views

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

func doc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(render(t, c)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func oneTicketPanel() TicketPanel {
	return TicketPanel{
		RecordObject: "Account", RecordName: "Globex", Matching: 1, Total: 1, Page: 1, Pages: 1,
		Tickets: []TicketRow{{ID: "7", URL: "https://northwind.zendesk.com/agent/tickets/7", Subject: "Invoice shows the wrong VAT rate",
			Status: "open", StatusLabel: "Open", Priority: "High", Type: "Incident", Requester: "Siobhan O'Brien",
			Assignee: "Ava Agent", UpdatedISO: "2026-11-25T10:00:00Z", UpdatedAgo: "2 minutes ago", Account: "northwind"}},
	}
}

func TestOneTicketIsSingular(t *testing.T) {
	d := doc(t, TicketPanelFragment(oneTicketPanel()))
	pager := strings.Join(strings.Fields(d.Find(`[data-testid="pager"]`).Text()), " ")
	caption := strings.Join(strings.Fields(d.Find(`[data-testid="tickets"] caption`).Text()), " ")
	for _, s := range []string{pager, caption} {
		if !strings.Contains(s, "1 ticket") || strings.Contains(s, "1 tickets") {
			t.Errorf("one ticket is counted as %q", s)
		}
	}
	p := oneTicketPanel()
	p.Matching, p.Total = 2, 2
	pager = strings.Join(strings.Fields(doc(t, TicketPanelFragment(p)).Find(`[data-testid="pager"]`).Text()), " ")
	if !strings.Contains(pager, "2 tickets") {
		t.Errorf("two tickets are counted as %q", pager)
	}
}

func TestActiveFilterIsShownWithAClear(t *testing.T) {
	unfiltered := doc(t, TicketPanelFragment(oneTicketPanel()))
	if unfiltered.Find(`[data-testid="filter-active"]`).Length() != 0 || unfiltered.Find(`[data-testid="clear-filters"]`).Length() != 0 {
		t.Error("an unfiltered panel says a filter is active")
	}
	p := oneTicketPanel()
	p.Filtered, p.FilterSummary, p.Total = true, "Status: Open · Priority: High", 9
	d := doc(t, TicketPanelFragment(p))
	note := d.Find(`[data-testid="filter-active"]`)
	if note.Length() != 1 {
		t.Fatal("a filtered panel does not say so")
	}
	text := strings.Join(strings.Fields(note.Text()), " ")
	for _, want := range []string{"Status: Open · Priority: High", "1 of 9 tickets"} {
		if !strings.Contains(text, want) {
			t.Errorf("filter note %q lacks %q", text, want)
		}
	}
	if note.Find(`button[data-testid="clear-filters"][data-action="clear-filters"]`).Length() != 1 {
		t.Error("the filter note has no one-click clear")
	}
	// With nothing left to show, the note and its clear stay in view.
	p.Tickets, p.Matching = nil, 0
	empty := doc(t, TicketPanelFragment(p))
	if empty.Find(`[data-testid="filter-active"] [data-testid="clear-filters"]`).Length() != 1 || empty.Find(`[data-testid="no-tickets"]`).Length() != 1 {
		t.Error("a filter that hides every ticket must still offer the clear")
	}
}

func TestTicketCellsCarryTheirFullTextAsTooltips(t *testing.T) {
	d := doc(t, TicketPanelFragment(oneTicketPanel()))
	row := d.Find(`[data-testid="ticket"]`)
	for sel, want := range map[string]string{
		`[data-testid="ticket-subject"]`: "Invoice shows the wrong VAT rate",
		`.cv-col-requester`:              "Siobhan O'Brien",
		`.cv-col-assignee`:               "Ava Agent",
	} {
		if got := row.Find(sel).AttrOr("title", ""); got != want {
			t.Errorf("%s title = %q, want %q (the cell may be cut short)", sel, got, want)
		}
	}
}

func TestAmountsShowTheirCurrency(t *testing.T) {
	p := samplePanel()
	opp := &p.Sections[0].Matches[0].Opportunities[0]
	opp.Fields = []FieldView{{Label: "Stage", Value: "Negotiation/Review"}, {Label: "Amount", Value: "48,000", Currency: "EUR"}}
	d := doc(t, SidebarPanelFragment(p))
	fields := d.Find(`[data-testid="opportunity"] .cv-field`)
	amount := fields.Eq(1)
	if got := amount.Find(`[data-testid="currency"]`).Text(); got != "EUR" {
		t.Errorf("amount currency = %q, want EUR", got)
	}
	if got := strings.Join(strings.Fields(amount.Find("dd").Text()), " "); got != "EUR 48,000" {
		t.Errorf("amount reads %q, want \"EUR 48,000\"", got)
	}
	if fields.Eq(0).Find(`[data-testid="currency"]`).Length() != 0 {
		t.Error("a field that is not money shows a currency")
	}
}

func TestAuditTimesNameTheirZone(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	at := time.Date(2026, 11, 25, 19, 4, 5, 0, tokyo) // 10:04:05 UTC
	d := doc(t, AdminAuditPage(AdminAudit{Entries: []AdminAuditRow{{At: at, Actor: "ada@northwind.example", Action: "connection.add"}}}))
	tm := d.Find(`[data-testid="audit-entry"] time`)
	if got := tm.AttrOr("datetime", ""); got != "2026-11-25T10:04:05Z" {
		t.Errorf("datetime = %q, want ISO 8601 in UTC", got)
	}
	if got := strings.TrimSpace(tm.Text()); got != "2026-11-25 10:04:05 UTC" {
		t.Errorf("shown time %q does not say its zone (want 2026-11-25 10:04:05 UTC)", got)
	}
	if !strings.Contains(d.Find(`[data-testid="audit"] th`).First().Text(), "UTC") {
		t.Error("the When column does not say times are UTC")
	}
}
