package sidebar

import (
	"github.com/crossview/crossview/server/internal/budget"
	"github.com/crossview/crossview/server/internal/crossview"
)

// Panel is what the sidebar shows for one ticket.
type Panel struct {
	Tenant    string
	TicketID  int64
	Requester crossview.Requester
	Sections  []Section
	// NoConnections is true when the tenant has no org with the sidebar on.
	NoConnections bool
	// Held says a forced refresh was not done: this user refreshed this
	// ticket within the cooldown, so the cached answer is shown.
	Held *budget.Hold
}

// Section is one org's part of the panel: its data or its problem.
type Section struct {
	Connection crossview.Connection
	Data       crossview.CustomerData
	// Problem is set when the org could not answer. Data is then empty,
	// unless Problem.Stale says it holds the last good answer.
	Problem *Problem
	// Reserve is set when the org has used its reserve share of the daily
	// API allowance: the answer was not refreshed unless it had to be.
	Reserve *budget.Use
}

// Problem says what went wrong with one org, in words for the agent.
type Problem struct {
	Code    string // a crossview error code
	Message string
	// Stale is set when Data is an earlier answer shown despite the failure.
	Stale bool
}
