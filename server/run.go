package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/crossview/crossview/server/internal/config"
	"github.com/crossview/crossview/server/internal/crossview"
)

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// commands is the whole command line: one entry per command. Help for
// each is generated from this table and the flags each leaf defines.
func commands() command {
	return command{
		about: "Crossview joins Zendesk and Salesforce: Salesforce data in the Zendesk ticket sidebar,\n" +
			"live Zendesk tickets on Salesforce record pages, and admin pages to connect orgs.",
		subs: []command{
			{
				name:    "serve",
				summary: "run the production server",
				about: "Settings come from CROSSVIEW_* environment variables (README, Configuration).\n" +
					"Required: CROSSVIEW_ENCRYPTION_KEY, CROSSVIEW_SALESFORCE_CLIENT_ID and\n" +
					"CROSSVIEW_SALESFORCE_CLIENT_SECRET. serve refuses to start, naming every missing\n" +
					"or invalid setting at once.",
				bind: func(_ *flagSet, env invocation) func(context.Context) error {
					return func(ctx context.Context) error {
						cfg, err := config.Load(env.getenv, config.ModeServe)
						if err != nil {
							return err
						}
						return serve(ctx, cfg, newLogger(env.stderr, cfg.LogLevel))
					}
				},
			},
			{
				name:    "sandbox",
				summary: "run everything on this machine with emulated Zendesk and Salesforce",
				about: "Starts an emulated Zendesk account and two Salesforce orgs with seeded data, connects\n" +
					"them, and serves http://localhost:8080/demo (listen address: CROSSVIEW_ADDR). It needs\n" +
					"no settings. The first start builds the ZAF SDK with npm (Node.js needed) into the\n" +
					"user cache directory, or into assets/dist inside the repository.",
				bind: func(_ *flagSet, env invocation) func(context.Context) error {
					return func(ctx context.Context) error {
						cfg, err := config.Load(env.getenv, config.ModeSandbox)
						if err != nil {
							return err
						}
						return runSandbox(ctx, cfg, newLogger(env.stderr, cfg.LogLevel), env.stdout)
					}
				},
			},
			{
				name:    "admin",
				summary: "operator commands against the configured store",
				about: "They read the same settings as serve; CROSSVIEW_ENCRYPTION_KEY is required, and\n" +
					"CROSSVIEW_DATA_DIR or CROSSVIEW_REDIS_URL says where the store is.",
				subs: adminCommands(),
			},
		},
	}
}

// run is the whole program; main only supplies the process's environment,
// so tests can run any command in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return commands().execute(ctx, "", args, invocation{getenv: getenv, stdout: stdout, stderr: stderr})
}

// report prints err for the person at the terminal and returns the exit
// status: 0 for none, 2 for a mistake in the command line, 1 otherwise.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(w, "crossview:", describe(err))
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// describe words err for an operator: a user-safe crossview.Error reads
// as its message, without its code, followed by its cause unless the cause
// is the generic error it refines (No connection "x", not Not found).
func describe(err error) string {
	var e *crossview.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	text := e.Message
	if e.Err != nil {
		var cause *crossview.Error
		generic := errors.As(e.Err, &cause) && cause.Code == e.Code && cause.Err == nil
		if !generic {
			text += ": " + describe(e.Err)
		}
	}
	// Keep what wraps it ("connecting acme: ...").
	full, inner := err.Error(), e.Error()
	if strings.HasSuffix(full, inner) {
		return full[:len(full)-len(inner)] + text
	}
	return text
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
