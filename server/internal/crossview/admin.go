package crossview

import "time"

// AuditEntry records one admin action.
type AuditEntry struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"` // who: a Zendesk admin's email, or "cli"
	// Action is a short verb phrase: "connection.add", "feature.enable"...
	Action         string `json:"action"`
	ConnectionID   string `json:"connection_id,omitempty"`
	ConnectionName string `json:"connection_name,omitempty"`
	// Detail says what changed, in words.
	Detail string `json:"detail,omitempty"`
}

// AuditRetention is how long audit entries are kept (at least 90 days is
// promised; a year is kept).
const AuditRetention = 366 * 24 * time.Hour

// Health is what the last check of a connection found.
type Health struct {
	CheckedAt time.Time       `json:"checked_at"`
	Problems  []HealthProblem `json:"problems,omitempty"`
}

// HealthProblem is one named thing wrong with a connection, with the fix.
type HealthProblem struct {
	// Code is stable; admin's Problem* constants list them
	// (refresh_revoked, salesforce_unavailable, timeout, sidebar_fields...).
	Code    string `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
	// Blocking problems stop the connection's features until fixed, or
	// only Feature's when it is set.
	Blocking bool `json:"blocking"`
	// Feature names the one feature a problem concerns (ticket sync's Case
	// fields, say); empty for the connection as a whole.
	Feature Feature `json:"feature,omitempty"`
}

// OK reports whether the last check found nothing wrong.
func (h Health) OK() bool { return len(h.Problems) == 0 }

// Blocking returns the first problem that stops the connection, if any;
// one that stops a single feature does not.
func (h Health) Blocking() *HealthProblem {
	for i := range h.Problems {
		if h.Problems[i].Blocking && h.Problems[i].Feature == "" {
			return &h.Problems[i]
		}
	}
	return nil
}
