package queue

import (
	"context"
	"time"
)

// Log is a durable, time-ordered log per stream (a connection's sync log):
// cheap appends, the newest entries first, and old entries pruned by age.
// Entries are opaque bytes (JSON, say).
type Log interface {
	// Append adds an entry at time at.
	Append(ctx context.Context, stream string, at time.Time, entry []byte) error
	// Recent returns up to limit entries older than before (all when
	// before is zero), newest first.
	Recent(ctx context.Context, stream string, before time.Time, limit int) ([]LogEntry, error)
	// Prune drops entries older than cutoff and says how many went.
	Prune(ctx context.Context, stream string, cutoff time.Time) (int, error)
}

// LogEntry is one entry of a Log.
type LogEntry struct {
	At    time.Time
	Entry []byte
}
