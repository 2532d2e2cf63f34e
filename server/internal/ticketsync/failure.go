package ticketsync

import (
	"math/rand/v2"
	"time"
)

// FailureKind says what a failed call means for the ticket and the
// connection.
type FailureKind int

// Failure kinds.
const (
	// Transient: a timeout, a 5xx, a lock: try again with backoff.
	Transient FailureKind = iota
	// RateLimited: the system asked us to slow down; pause the connection.
	RateLimited
	// Permanent: Salesforce refused the data (a validation rule, a missing
	// required field...): dead-letter it with the message until fixed.
	Permanent
	// Unauthorized: the grant was revoked or the credential refused: stop
	// the connection's sync, keep everything queued.
	Unauthorized
	// Gone: the ticket no longer exists in Zendesk.
	Gone
)

// Failure is a classified error.
type Failure struct {
	Kind FailureKind
	// RetryAfter is what the system asked for (Retry-After), if anything.
	RetryAfter time.Duration
	// Message is the system's own words, for the admin (never a token).
	Message string
}

// backoff is the wait before try attempt+1: exponential from 2 s, capped
// at 10 minutes, with full jitter, and never less than asked.
func (s *Service) backoff(attempt int, asked time.Duration) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempt && d < 10*time.Minute; i++ {
		d *= 2
	}
	d = min(d, 10*time.Minute)
	d = d/2 + s.o.Jitter(d/2+1)
	return max(d, asked)
}

func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d) //nolint:gosec // jitter, not a secret
}
