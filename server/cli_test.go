package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

// runNoConfig runs a command with no configuration at all, as a newcomer
// would before setting anything, and returns stdout, stderr and the exit
// code main would use.
func runNoConfig(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	dataDir := filepath.Join(t.TempDir(), "data")
	getenv := func(k string) string {
		if k == "CROSSVIEW_DATA_DIR" {
			return dataDir
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, getenv, &out, &errOut)
	code = report(&errOut, err)
	if _, statErr := os.Stat(dataDir); statErr == nil {
		t.Errorf("%v opened the store (created %s)", args, dataDir)
	}
	return out.String(), errOut.String(), code
}

func TestEveryCommandAnswersHelp(t *testing.T) {
	for _, tc := range []struct {
		path  string
		wants []string // what its help must show
	}{
		{"", []string{"serve", "sandbox", "admin", "admin connection enable"}},
		{"serve", []string{"CROSSVIEW_ENCRYPTION_KEY"}},
		{"sandbox", []string{"/demo"}},
		{"admin", []string{"account add", "connection list", "connection ticketview", "connection ticketsync", "sync status", "sync replay", "sync backfill"}},
		{"admin account", []string{"add", "list"}},
		{"admin account add", []string{"--subdomain", "--app-id", "--api-email", "--api-token", "--installation-id", "--webhook-secret"}},
		{"admin account list", []string{"--json"}},
		{"admin connection", []string{"add", "list", "rename", "enable", "disable", "disconnect", "sidebar", "ticketview", "ticketsync", "datasync"}},
		{"admin connection add", []string{"--subdomain", "--environment", "--refresh-token", "--name"}},
		{"admin connection list", []string{"--subdomain", "--json"}},
		{"admin connection rename", []string{"--id", "--name"}},
		{"admin connection enable", []string{"--id", "--feature", "sidebar, ticket_view, account_sync, contact_sync, ticket_sync"}},
		{"admin connection disable", []string{"--id", "--feature"}},
		{"admin connection disconnect", []string{"--id"}},
		{"admin connection sidebar", []string{"--id", "--order", "--contact-match", "--lead-match", "--fields", "--max-opportunities", "--max-cases"}},
		{"admin connection ticketview", []string{"--id", "--account-match", "--contact-emails"}},
		{"admin connection ticketsync", []string{"--id", "--comments public|all|none", "--requester contact|lead", "--requester-match existing|create|default",
			"--default-requester", "--account-match existing|create|default", "--default-account", "--account-external-id-field", "--record-type",
			"--map zendesk=Case_Field[:zv=sv,...]", "--condition field:operator:value", "--backfill-days", "--pause-at"}},
		{"admin sync", []string{"status", "replay", "backfill"}},
		{"admin sync status", []string{"--id", "--json"}},
		{"admin sync replay", []string{"--id", "--ticket", "--all", "--record", "--all-records"}},
		{"admin connection datasync", []string{"--id", "--objects", "--map Object.Field=zendesk_field[:sv=zv,...]", "--filter Object='expr'",
			"--user-match external_id,email", "--org-match external_id,name", "--on-delete nothing|tag|unlink", "--delete-tag", "--memberships primary|all",
			"--priority", "--poll", "--api-share"}},
		{"admin sync backfill", []string{"--id", "--days"}},
	} {
		for _, help := range []string{"--help", "-h", "help"} {
			args := append(strings.Fields(tc.path), help)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				out, errOut, code := runNoConfig(t, args...)
				if code != 0 {
					t.Fatalf("exit %d; stderr:\n%s", code, errOut)
				}
				if !strings.Contains(out, "Usage: crossview "+tc.path) {
					t.Errorf("no usage line for %q:\n%s", tc.path, out)
				}
				for _, w := range tc.wants {
					if !strings.Contains(out, w) {
						t.Errorf("help lacks %q:\n%s", w, out)
					}
				}
				if errOut != "" {
					t.Errorf("help wrote to stderr:\n%s", errOut)
				}
			})
		}
	}
}

func TestHelpNamesACommandBelow(t *testing.T) {
	out, _, code := runNoConfig(t, "help", "admin", "connection", "enable")
	if code != 0 || !strings.Contains(out, "Usage: crossview admin connection enable --id ID --feature FEATURE") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestUsageErrorsShowUsageAndExit2(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		usage     string // whose usage is printed
		errorText string
	}{
		{nil, "Usage: crossview <command>", "no command given"},
		{[]string{"teleport"}, "Usage: crossview <command>", `unknown command "teleport"`},
		{[]string{"admin"}, "Usage: crossview admin <command>", "admin needs a command"},
		{[]string{"admin", "connection", "bogus"}, "Usage: crossview admin connection <command>", `unknown command "admin connection bogus"`},
		{[]string{"admin", "account", "add", "--subdomain", "acme"}, "Usage: crossview admin account add", "missing --app-id, --api-email, --api-token"},
		{[]string{"admin", "account", "add", "--nope"}, "Usage: crossview admin account add", "flag provided but not defined: -nope"},
		{[]string{"admin", "account", "list", "extra"}, "Usage: crossview admin account list", `unexpected argument "extra"`},
		{[]string{"serve", "--port", "80"}, "Usage: crossview serve", "flag provided but not defined: -port"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, errOut, code := runNoConfig(t, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("a usage error wrote to stdout:\n%s", out)
			}
			if !strings.Contains(errOut, tc.usage) || !strings.Contains(errOut, tc.errorText) {
				t.Errorf("stderr lacks %q or %q:\n%s", tc.usage, tc.errorText, errOut)
			}
		})
	}
}

func TestFlagValuesAreChecked(t *testing.T) {
	add := []string{"admin", "account", "add", "--subdomain", "acme", "--app-id", "1", "--api-token", "t"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append(add, "--api-email", "ops"), `--api-email "ops" is not an email address`},
		{append(add, "--api-email", "ops@"), `--api-email "ops@" is not an email address`},
		{append(add, "--api-email", "ops@acme"), `--api-email "ops@acme" is not an email address`},
		{append(add, "--api-email", "Ops <ops@acme.com>"), `is not an email address`},
		{append(add, "--api-email", "ops@@acme.com"), `is not an email address`},
		{[]string{"admin", "account", "add", "--subdomain", "acme.zendesk.com"}, `--subdomain wants the subdomain alone: acme, not acme.zendesk.com`},
		{[]string{"admin", "account", "add", "--subdomain", "Acme Corp"}, `--subdomain "Acme Corp" is not a Zendesk subdomain`},
		{[]string{"admin", "account", "add", "--app-id", "-4"}, `--app-id must be a positive number`},
		{[]string{"admin", "connection", "list", "--subdomain", "a_b"}, `--subdomain "a_b" is not a Zendesk subdomain`},
		{[]string{"admin", "connection", "add", "--environment", "staging"}, `--environment must be production or sandbox, not "staging"`},
		{[]string{"admin", "connection", "enable", "--id", "conn_x", "--feature", "teleport"}, `--feature must be one of sidebar, ticket_view, account_sync, contact_sync, ticket_sync, not "teleport"`},
		{[]string{"admin", "connection", "ticketview", "--id", "conn_x", "--account-match", "domain"}, `--account-match must be external_id or name, not "domain"`},
		{[]string{"admin", "connection", "ticketview", "--id", "conn_x", "--contact-emails", "yes"}, `--contact-emails must be true or false, not "yes"`},
		{[]string{"admin", "connection", "ticketsync", "--id", "conn_x", "--comments", "some"}, `--comments must be one of public, all, none, not "some"`},
		{[]string{"admin", "connection", "ticketsync", "--id", "conn_x", "--pause-at", "120%"}, `--pause-at must be a percentage from 1 to 100`},
		{[]string{"admin", "connection", "ticketsync", "--id", "conn_x", "--map", "priority"}, `--map wants zendesk=Case_Field[:zv=sv,...], not "priority"`},
		{[]string{"admin", "connection", "ticketsync", "--id", "conn_x", "--map", "priority=Priority:urgent"}, `values of the mapping to Priority are written zendesk=Salesforce`},
		{[]string{"admin", "connection", "ticketsync", "--id", "conn_x", "--condition", "status"}, `--condition wants field:operator:value, not "status"`},
		{[]string{"admin", "sync", "replay", "--id", "conn_x", "--ticket", "0"}, `--ticket must be a positive number`},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, errOut, code := runNoConfig(t, tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want 2 with %q; stderr:\n%s", code, tc.want, errOut)
			}
		})
	}
}

func TestNotFoundSaidOnce(t *testing.T) {
	c := newCLI(t)
	if _, err := c.run(t, "admin", "account", "add", "--subdomain", "acme", "--app-id", "1", "--api-email", "ops@acme.example", "--api-token", "t"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"admin", "connection", "rename", "--id", "conn_nope", "--name", "x"}, "crossview: no connection conn_nope\n"},
		{[]string{"admin", "connection", "enable", "--id", "conn_nope", "--feature", "sidebar"}, "crossview: no connection conn_nope\n"},
		{[]string{"admin", "connection", "disconnect", "--id", "conn_nope"}, "crossview: no connection conn_nope\n"},
		{[]string{"admin", "connection", "sidebar", "--id", "conn_nope", "--order", "1"}, "crossview: no connection conn_nope\n"},
		{[]string{"admin", "connection", "ticketview", "--id", "conn_nope", "--account-match", "name"}, "crossview: no connection conn_nope\n"},
		{[]string{"admin", "connection", "list", "--subdomain", "nosuch"}, "crossview: no Zendesk account nosuch (add it with crossview admin account add)\n"},
		{[]string{"admin", "connection", "add", "--subdomain", "nosuch", "--environment", "production", "--refresh-token", "x"}, "crossview: no Zendesk account nosuch (add it with crossview admin account add)\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var errOut bytes.Buffer
			_, err := c.run(t, tc.args...)
			if code := report(&errOut, err); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if errOut.String() != tc.want {
				t.Errorf("stderr = %q, want %q", errOut.String(), tc.want)
			}
		})
	}
	// An empty list of an account that exists is not an error.
	if out, err := c.run(t, "admin", "connection", "list", "--subdomain", "acme"); err != nil || !strings.Contains(out, "ID") {
		t.Errorf("listing a known account: %v\n%s", err, out)
	}
}

func TestReportExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code int
		text string
	}{
		{nil, 0, ""},
		{usageError{"missing --id"}, 2, "crossview: missing --id\n"},
		{errors.New("disk full"), 1, "crossview: disk full\n"},
		// A user-safe error reads as its message, without its code, and
		// a refinement of a sentinel does not repeat the sentinel.
		{crossview.Errorf(crossview.EINVALID, "the sidebar cannot show %q records", "Task"), 1, "crossview: the sidebar cannot show \"Task\" records\n"},
		{&crossview.Error{Code: crossview.ENOTFOUND, Message: "No org.", Err: crossview.ErrNotFound}, 1, "crossview: No org.\n"},
		{fmt.Errorf("connecting acme: %w", crossview.Wrap(crossview.EUNAVAILABLE, "Salesforce did not answer", errors.New("dial tcp: timeout"))), 1,
			"crossview: connecting acme: Salesforce did not answer: dial tcp: timeout\n"},
		{crossview.Wrap(crossview.EINTERNAL, "Internal error.", errors.New("bolt: database not open")), 1,
			"crossview: Internal error.: bolt: database not open\n"},
	} {
		var buf bytes.Buffer
		if code := report(&buf, tc.err); code != tc.code || buf.String() != tc.text {
			t.Errorf("report(%v) = %d %q, want %d %q", tc.err, code, buf.String(), tc.code, tc.text)
		}
	}
}

func TestSandboxOnABusyPortNamesTheSetting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	getenv := func(k string) string {
		if k == "CROSSVIEW_ADDR" {
			return ln.Addr().String()
		}
		return ""
	}
	err = run(t.Context(), []string{"sandbox"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "address already in use") || !strings.Contains(err.Error(), "set CROSSVIEW_ADDR") {
		t.Fatalf("sandbox on a busy port: %v", err)
	}
}
