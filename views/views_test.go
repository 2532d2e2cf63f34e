package views

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing")

func render(t *testing.T, c templ.Component) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./views -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is intended run go test ./views -update\n--- got\n%s", name, got)
	}
}

func samplePanel() SidebarPanel {
	return SidebarPanel{
		TicketID: 42, RequesterName: "Siobhan O'Brien", RequesterEmail: "siobhan.o'brien@globex.example",
		Sections: []OrgSection{
			{
				ID: "conn_a", Name: "Northwind Traders", OrgID: "00D5g000004XyZaEAK", Environment: "Production",
				FetchedAt: "2026-11-25T10:00:00Z", FetchedAgo: "2 minutes ago",
				Matches: []Match{{
					Label:   "Contact",
					Person:  RecordView{Object: "Contact", Name: "Siobhan O'Brien", URL: "https://nw.my.salesforce.com/lightning/r/Contact/003A/view", Fields: []FieldView{{Label: "Title", Value: "Head of Finance"}, {Label: "Phone", Value: ""}}},
					Account: &RecordView{Object: "Account", Name: "Globex <Corporation>", URL: "https://nw.my.salesforce.com/lightning/r/Account/001A/view", Fields: []FieldView{{Label: "Industry", Value: "Manufacturing"}}},
					Opportunities: []RecordView{{Object: "Opportunity", Name: "Globex – 200 seat expansion", URL: "https://nw.my.salesforce.com/lightning/r/Opportunity/006A/view",
						Fields: []FieldView{{Label: "Stage", Value: "Negotiation/Review"}, {Label: "Amount", Value: "48,000"}}}},
				}},
			},
			{ID: "conn_b", Name: "Northwind EMEA (UAT)", OrgID: "00D7Q000009AbCdUAK", Environment: "Sandbox",
				Problem: &Problem{Title: "Salesforce unavailable", Message: "Salesforce is having trouble (HTTP 503). Try again shortly."}},
			{ID: "conn_c", Name: "Empty org", OrgID: "00D000000000003AAA", Environment: "Production", FetchedAt: "2026-11-25T10:00:00Z", FetchedAgo: "just now"},
		},
	}
}

func TestSidebarPanelGolden(t *testing.T) {
	golden(t, "sidebar_panel.golden.html", render(t, SidebarPanelFragment(samplePanel())))
}

func TestSidebarPanelStructure(t *testing.T) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(render(t, SidebarPanelFragment(samplePanel()))))
	if err != nil {
		t.Fatal(err)
	}
	orgs := doc.Find(`[data-testid="org-section"]`)
	if orgs.Length() != 3 {
		t.Fatalf("%d org sections, want 3", orgs.Length())
	}
	first := orgs.Eq(0)
	if got := first.Find(`[data-testid="account-link"]`).AttrOr("href", ""); got != "https://nw.my.salesforce.com/lightning/r/Account/001A/view" {
		t.Errorf("account link = %q", got)
	}
	if got := first.Find(`[data-testid="account-link"]`).AttrOr("target", ""); got != "_blank" {
		t.Errorf("Salesforce links must open outside the Zendesk iframe; target = %q", got)
	}
	if got := strings.TrimSpace(first.Find(`[data-testid="account-link"]`).Contents().First().Text()); got != "Globex <Corporation>" {
		t.Errorf("account name = %q (must be escaped text)", got)
	}
	if first.Find(`[data-testid="fetched-at"] time`).AttrOr("datetime", "") != "2026-11-25T10:00:00Z" {
		t.Error("fetched-at time missing")
	}
	second := orgs.Eq(1)
	if second.Find(`[data-testid="org-problem"]`).Length() != 1 || second.Find(`[data-testid="match"]`).Length() != 0 {
		t.Error("failing org must show its problem and no data")
	}
	if !strings.Contains(second.Text(), "Sandbox") {
		t.Error("sandbox org not labelled")
	}
	if orgs.Eq(2).Find(`[data-testid="no-match"]`).Length() != 1 {
		t.Error("org without a match must say so")
	}
	if doc.Find(`[data-testid="refresh"]`).Length() != 1 {
		t.Error("no refresh button")
	}
}

func TestSeveralMatchesAreToldApart(t *testing.T) {
	p := SidebarPanel{TicketID: 1, RequesterName: "Jordan Lee", Sections: []OrgSection{{ID: "c", Name: "Org", Matches: []Match{
		{Label: "Contact 1 of 2", Person: RecordView{Object: "Contact", Name: "Jordan Lee"}},
		{Label: "Contact 2 of 2", Person: RecordView{Object: "Contact", Name: "Jordan Lee"}},
	}}}}
	doc, _ := goquery.NewDocumentFromReader(bytes.NewReader(render(t, SidebarPanelFragment(p))))
	labels := doc.Find(".cv-match__label").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if strings.Join(labels, "|") != "Contact 1 of 2|Contact 2 of 2" {
		t.Fatalf("labels = %v", labels)
	}
}

func TestShellCarriesTokenNotData(t *testing.T) {
	out := string(render(t, SidebarShellPage(SidebarShell{
		Page:  Page{Title: "Crossview", AssetPrefix: "/assets", Scripts: []string{"https://static.zdassets.com/zaf.js", "/assets/js/sidebar.js"}},
		Token: "tok.en.value", PanelURL: "/zendesk/panel",
	})))
	for _, want := range []string{`data-token="tok.en.value"`, `data-panel-url="/zendesk/panel"`, `<script src="https://static.zdassets.com/zaf.js" defer>`} {
		if !strings.Contains(out, want) {
			t.Errorf("shell lacks %s:\n%s", want, out)
		}
	}
}
