package redisstore

import "time"

// SetStaleIntake lets tests shorten the wait before an abandoned intake
// entry is taken over.
func (q *Queue) SetStaleIntake(d time.Duration) { q.staleIntake = d }
