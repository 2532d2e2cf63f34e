// Command crossview joins Zendesk and Salesforce: the Zendesk ticket sidebar
// shows Salesforce data, Salesforce record pages show Zendesk tickets, and
// admins connect orgs. Run "crossview help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(report(os.Stderr, err))
}
