package views

import "time"

// AdminTicketSync is a connection's ticket-sync section: on or off, why
// it waits, its queue, dead letters, problems, backfill, settings and log.
type AdminTicketSync struct {
	ConnID string
	CSRF   string
	// Available is false while the connection is disconnected.
	Available bool
	On        bool
	// Paused says why the connection's sync waits ("" when it does not).
	Paused string
	// Waiting and Leased count the queue; Lag is how long the oldest
	// waiting change has waited ("" when nothing waits).
	Waiting, Leased int
	Lag             string
	DeadLetters     []AdminDeadLetter
	Problems        []AdminSyncProblem
	Backfill        *AdminBackfill
	Log             []AdminSyncLogRow
	// NewerLogURL and OlderLogURL page the log ("" when there is none).
	NewerLogURL, OlderLogURL string
	Settings                 AdminTicketSyncForm
}

// AdminDeadLetter is a ticket Salesforce refused, with its message.
type AdminDeadLetter struct {
	Ticket, TicketURL string
	Reason            string
	Attempts          int
	At                time.Time
}

// AdminSyncProblem is a ticket-sync health problem; Repairable ones are
// changes to the Zendesk trigger or webhook that Repair undoes.
type AdminSyncProblem struct {
	Title, Message, Fix string
	// Blocking problems stop ticket sync; the others are warnings.
	Blocking   bool
	Repairable bool
}

// AdminBackfill is a backfill's progress. ProgressURL serves it as JSON
// for the live bar.
type AdminBackfill struct {
	State, Label       string
	Done, Total        int
	Percent            int
	Rate, ETA, Started string
	Error              string
	// Live is true while it runs: the page polls ProgressURL.
	Live        bool
	ProgressURL string
}

// AdminSyncLogRow is one sync log entry.
type AdminSyncLogRow struct {
	At                time.Time
	Ticket, TicketURL string
	Case, CaseURL     string
	Outcome           string
	// OutcomeClass colours the outcome (ok, warn, bad).
	OutcomeClass string
	What         string
	Error        string
}

// AdminTicketSyncForm holds the ticket-sync settings as form values.
type AdminTicketSyncForm struct {
	Comments                             string
	RequesterObject, RequesterMatch      string
	DefaultRequesterID                   string
	AccountMatch, DefaultAccountID       string
	AccountExternalIDField, RecordTypeID string
	Mappings                             []AdminMappingRow
	Conditions                           []AdminConditionRow
	BackfillDays, PauseAtPercent         int
}

// AdminMappingRow is one field mapping; Values reads "zv=sv, zv2=sv2".
type AdminMappingRow struct {
	Index                       int
	Zendesk, Salesforce, Values string
}

// AdminConditionRow is one trigger condition.
type AdminConditionRow struct {
	Index                  int
	Field, Operator, Value string
}
