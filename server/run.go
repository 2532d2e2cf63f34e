package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/crossview/crossview/server/internal/config"
)

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `Usage: crossview <command> [arguments]

Commands:
  serve     run the production server (configuration from CROSSVIEW_* variables)
  sandbox   run everything on this machine with emulated Zendesk and Salesforce; open /demo
  admin     operator commands against the configured store:
              admin account add --subdomain S --app-id N --api-email E --api-token T
                  [--installation-id N] [--webhook-secret S]
              admin account list [--json]
              admin connection add --subdomain S --environment production|sandbox --refresh-token T [--name N]
              admin connection list [--subdomain S] [--json]
              admin connection rename --id ID --name N
              admin connection enable|disable --id ID --feature sidebar|ticket_view|account_sync|contact_sync|ticket_sync
              admin connection disconnect --id ID
              admin connection sidebar --id ID [--order N] [--contact-match F] [--lead-match F]
                  [--fields Object=F1,F2]... [--max-opportunities N] [--max-cases N]
              admin connection ticketview --id ID [--account-match external_id|name] [--contact-emails true|false]
  help      show this text
`

// run is the whole program; main only supplies the process's environment,
// so tests can run any command in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	switch args[0] {
	case "serve":
		cfg, err := config.Load(getenv, config.ModeServe)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, newLogger(stderr, cfg.LogLevel))
	case "sandbox":
		cfg, err := config.Load(getenv, config.ModeSandbox)
		if err != nil {
			return err
		}
		return runSandbox(ctx, cfg, newLogger(stderr, cfg.LogLevel), stdout)
	case "admin":
		cfg, err := config.Load(getenv, config.ModeAdmin)
		if err != nil {
			return err
		}
		return runAdmin(ctx, cfg, args[1:], stdout, newLogger(stderr, "warn"))
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
