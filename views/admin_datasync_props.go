package views

import "time"

// AdminDataSync is a connection's data-sync section: account and contact
// sync on or off, how often the org is polled and why, each object's
// cursor and backfill, the records Zendesk refused, the settings and the
// log.
type AdminDataSync struct {
	ConnID string
	CSRF   string
	// Available is false while the connection is disconnected.
	Available bool
	// AccountOn and ContactOn are the two features.
	AccountOn, ContactOn bool
	// Interval is how often the org is polled; Budget says why it is
	// longer than the settings ask ("" when it is not).
	Interval, Budget   string
	LastPoll, NextPoll string
	LastError          string
	Objects            []AdminDataSyncObject
	Problems           []AdminSyncProblem
	Errors             []AdminRecordError
	Log                []AdminDataSyncLogRow
	// NewerLogURL and OlderLogURL page the log ("" when there is none).
	NewerLogURL, OlderLogURL string
	Settings                 AdminDataSyncForm
	// SettingsError is why the settings just posted were not saved; the
	// form then shows them as posted.
	SettingsError string
}

// AdminDataSyncObject is one synced object's state.
type AdminDataSyncObject struct {
	Object, Label string
	// Cursor is the SystemModstamp changes are read from.
	Cursor   string
	Backfill *AdminBackfill
}

// AdminRecordError is a record Zendesk refused, with Zendesk's message.
type AdminRecordError struct {
	Object, ID, RecordURL string
	Error                 string
	Attempts              int
	At                    time.Time
}

// AdminDataSyncLogRow is one data-sync log entry.
type AdminDataSyncLogRow struct {
	At                time.Time
	Object, Why       string
	Record, RecordURL string
	Outcome           string
	// OutcomeClass colours the outcome (ok, warn, bad).
	OutcomeClass string
	What         string
	Error        string
}

// AdminDataSyncForm holds the data-sync settings as form values.
type AdminDataSyncForm struct {
	Objects []AdminDataSyncObjectForm
	// UserMatch and OrgMatch are the match orders, comma-separated.
	UserMatch, OrgMatch   string
	OnDelete, DeleteTag   string
	Memberships           string
	Priority, PollSeconds string
	APISharePercent       string
}

// AdminDataSyncObjectForm is one object's settings: on, its mappings and
// its filter as text.
type AdminDataSyncObjectForm struct {
	Key, Label, Target string
	On                 bool
	Filter             string
	Mappings           []AdminDataMappingRow
}

// AdminDataMappingRow is one Salesforce field → Zendesk field mapping;
// Values reads "sv=zv, sv2=zv2".
type AdminDataMappingRow struct {
	Index                       int
	Salesforce, Zendesk, Values string
}
