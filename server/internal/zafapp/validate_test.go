package zafapp

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// shippedApp is the Zendesk app this repository ships.
const shippedApp = "../../../zendesk-app"

func TestShippedAppIsValid(t *testing.T) {
	problems, err := Validate(os.DirFS(shippedApp))
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if len(problems) > 0 {
		t.Fatalf("zendesk-app must pass with no errors or warnings, got:\n%s", formatProblems(problems))
	}

	// The properties the product relies on, beyond mere validity.
	data, err := os.ReadFile(shippedApp + "/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		FrameworkVersion string `json:"frameworkVersion"`
		SignedURLs       bool   `json:"signedUrls"`
		Location         struct {
			Support struct {
				TicketSidebar struct {
					URL    string `json:"url"`
					Signed bool   `json:"signed"`
				} `json:"ticket_sidebar"`
			} `json:"support"`
		} `json:"location"`
		Parameters []struct {
			Name     string `json:"name"`
			Required bool   `json:"required"`
			Secure   bool   `json:"secure"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.FrameworkVersion != "2.0" {
		t.Errorf("frameworkVersion = %q, want 2.0", m.FrameworkVersion)
	}
	if !m.SignedURLs || !m.Location.Support.TicketSidebar.Signed {
		t.Errorf("signedUrls = %v, ticket_sidebar.signed = %v; both must be true so Zendesk POSTs a JWT",
			m.SignedURLs, m.Location.Support.TicketSidebar.Signed)
	}
	sidebarURL := m.Location.Support.TicketSidebar.URL
	if !strings.HasPrefix(sidebarURL, "{{setting.crossview_url}}") || !strings.HasSuffix(sidebarURL, "/zendesk/sidebar") {
		t.Errorf("ticket_sidebar url = %q, want {{setting.crossview_url}}.../zendesk/sidebar", sidebarURL)
	}
	type setting struct {
		Name             string
		Required, Secure bool
	}
	var got []setting
	for _, p := range m.Parameters {
		got = append(got, setting{p.Name, p.Required, p.Secure})
	}
	// A secure setting is never interpolated into a location URL, so
	// crossview_url must stay a plain one.
	if diff := cmp.Diff([]setting{{"crossview_url", true, false}}, got); diff != "" {
		t.Errorf("parameters mismatch (-want +got):\n%s", diff)
	}
}

func TestTestAppIsValid(t *testing.T) {
	// Every table case breaks this app in one way; it must start clean.
	problems, err := Validate(newTestApp(t).build(t))
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, problems, nil)
}

func TestProblemsListErrorsFirst(t *testing.T) {
	a := newTestApp(t)
	a.manifest["colour"] = "blue"          // warning, found first
	a.manifest["frameworkVersion"] = "1.0" // error, found later
	problems, err := Validate(a.build(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || problems[0].Severity != SeverityError || problems[1].Severity != SeverityWarning {
		t.Fatalf("want the error then the warning, got:\n%s", formatProblems(problems))
	}
	if !HasErrors(problems) || HasErrors(problems[1:]) {
		t.Errorf("HasErrors is wrong for %v", problems)
	}
}

// failingFS fails to open one file, like a permission problem on disk.
type failingFS struct {
	fstest.MapFS
	broken string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.broken {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.MapFS.Open(name)
}

func TestValidateReportsReadFailures(t *testing.T) {
	for _, broken := range []string{"manifest.json", "translations/en.json", "assets/logo.png"} {
		t.Run(broken, func(t *testing.T) {
			fsys := failingFS{MapFS: newTestApp(t).build(t), broken: broken}
			problems, err := Validate(fsys)
			if !errors.Is(err, fs.ErrPermission) {
				t.Fatalf("want a permission error, got err=%v problems=%v", err, problems)
			}
		})
	}
}
