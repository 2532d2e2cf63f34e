package zendesk

import (
	"context"
	"time"
)

const (
	// maxQueueWait is the longest Retry-After a bulk write waits out in
	// place: Zendesk's job limit (30 jobs of the account queued or
	// working) answers 429 until one of them ends, seconds away. A longer
	// wait is the per-minute limit, which the caller hears about.
	maxQueueWait = 10 * time.Second
	// maxQueueWaitTotal bounds the waits of one write.
	maxQueueWaitTotal = 5 * time.Minute
)

// callQueued starts a bulk write, waiting for room in the account's job
// queue: a 429 asking for a short wait is waited out (d.o.Sleep) and the
// write sent again, so a full queue delays the batch instead of failing
// it.
func (d *Directory) callQueued(ctx context.Context, sub string, cred Credentials, method, path string, body, out any) error {
	var waited time.Duration
	for {
		err := d.call(ctx, sub, cred, method, path, body, out)
		wait := RetryAfter(err)
		if !IsRateLimited(err) || wait <= 0 || wait > maxQueueWait || waited+wait > maxQueueWaitTotal {
			return err
		}
		if err := d.o.Sleep(ctx, wait); err != nil {
			return err
		}
		waited += wait
	}
}
