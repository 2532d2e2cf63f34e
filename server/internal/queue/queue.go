// Package queue is Crossview's durable, keyed work queue: what makes
// background sync lose nothing and do nothing twice at once.
//
// A queue holds keys (a ticket id, a record id), not messages. Enqueuing a
// key that already waits keeps one entry, so a burst of changes to one
// ticket becomes one sync. A worker claims a key under a lease with a
// fencing token; nobody else can claim it until the lease ends, so one key
// is never worked on twice at once, even by several replicas. A change that
// arrives while the key is leased is remembered: completing the lease leaves
// the key waiting again. A lease that is never completed (the process was
// killed) expires and the key is claimed again, with its attempt count
// raised so the worker knows the last try's outcome is unknown.
//
// Implementations: boltstore (embedded, one bbolt transaction per change)
// and redisstore (a Redis Stream with a consumer group for intake, a keyed
// schedule of sorted sets updated by Lua scripts). Both pass queuetest.
package queue

import (
	"context"
	"errors"
	"time"
)

// Queue is the durable keyed work queue. Queue names scope everything (one
// queue per connection, say); keys are unique within a queue.
type Queue interface {
	// Enqueue durably records that key needs work at or after at, and
	// returns only once that record survives a crash. A key already
	// waiting keeps one entry at the earlier due time, except that a key
	// backing off after a failure keeps its later retry time. A buried key
	// is revived: a new change may be what fixes it. stamp is a number
	// that grows with the thing's own versions (a ticket's updated_at in
	// milliseconds, 0 when unknown); a lease carries the largest heard of.
	Enqueue(ctx context.Context, queue, key string, at time.Time, stamp int64) error
	// Claim leases up to n keys that are due and not leased to anyone, the
	// longest-due first.
	Claim(ctx context.Context, queue, worker string, n int, lease time.Duration) ([]Lease, error)
	// Complete ends a lease after success. A key enqueued again after it
	// was claimed stays waiting. ErrLeaseLost if the lease had ended.
	Complete(ctx context.Context, l Lease) error
	// Retry ends a lease after a failure worth retrying: the key waits
	// until at, keeping its attempt count and the reason.
	Retry(ctx context.Context, l Lease, at time.Time, reason string) error
	// Bury ends a lease after a permanent failure: the key moves to the
	// dead letters with the reason, until replayed or enqueued again.
	Bury(ctx context.Context, l Lease, reason string) error
	// Extend pushes a live lease's end to now+d. ErrLeaseLost if it ended.
	Extend(ctx context.Context, l Lease, d time.Duration) (Lease, error)
	// DeadLetters lists a queue's buried keys, newest first, at most limit.
	DeadLetters(ctx context.Context, queue string, limit int) ([]DeadLetter, error)
	// Replay moves one buried key back to waiting (due now, attempts reset).
	// ErrNotBuried if the key is not buried.
	Replay(ctx context.Context, queue, key string) error
	// ReplayAll replays every buried key of a queue and says how many.
	ReplayAll(ctx context.Context, queue string) (int, error)
	// Stats counts a queue's keys.
	Stats(ctx context.Context, queue string) (Stats, error)
	// Drop forgets a queue entirely (its connection was deleted).
	Drop(ctx context.Context, queue string) error
}

// Lease is one worker's claim on one key.
type Lease struct {
	Queue  string
	Key    string
	Worker string
	// Token is the fencing token: unique and increasing within a queue, so
	// anything a worker writes can be checked against a newer holder.
	Token int64
	// Attempt counts claims since the key last succeeded or was replayed;
	// 1 for a first try. More than 1 means an earlier try failed, timed out
	// or was cut off by a crash, so its effects are unknown.
	Attempt int
	// Queued is when the key started waiting for this work (for lag).
	Queued time.Time
	// Until is when the lease ends unless extended.
	Until time.Time
	// LastReason is the reason given at the last Retry, if any.
	LastReason string
	// Stamp is the largest stamp the key was enqueued with since it last
	// completed: the newest version of the thing anyone told us about.
	Stamp int64
	// Version is the key's change counter at claim; Complete compares it
	// to tell whether the key changed while leased.
	Version int64
}

// DeadLetter is a buried key.
type DeadLetter struct {
	Queue    string    `json:"queue"`
	Key      string    `json:"key"`
	Reason   string    `json:"reason"`
	Attempts int       `json:"attempts"`
	Queued   time.Time `json:"queued"`
	At       time.Time `json:"at"`
}

// Stats counts a queue's keys.
type Stats struct {
	Waiting int // keys waiting, due or not
	Due     int // waiting keys due now
	Leased  int // keys held by a worker
	Dead    int // buried keys
	// OldestQueued is when the longest-waiting key started waiting (zero
	// when nothing waits).
	OldestQueued time.Time
}

// MaxStamp is the largest stamp a queue keeps exactly (Redis scripts hold
// numbers as doubles); callers use it for "a version newer than any".
const MaxStamp = 1 << 53

// ErrLeaseLost means a lease had expired and may belong to another worker.
var ErrLeaseLost = errors.New("queue: the lease was lost (it expired and the key may be held by another worker)")

// ErrNotBuried means Replay named a key that is not a dead letter.
var ErrNotBuried = errors.New("queue: no such dead letter")
