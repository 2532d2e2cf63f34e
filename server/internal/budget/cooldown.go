package budget

import (
	"context"
	"strconv"
	"time"

	"github.com/crossview/crossview/server/internal/cache"
)

// Loader reads through the shared cache, single-flight.
type Loader interface {
	Load(ctx context.Context, key string, p cache.Policy, force bool, fn cache.LoadFunc) (cache.Entry, error)
	Peek(ctx context.Context, key string) (cache.Entry, bool)
}

// Cooldown lets one forced refresh through per key and period. The mark
// lives in the shared cache (Redis with replicas), so a user cannot get
// round it by landing on another replica; when the cache is down every
// refresh goes through, as reads do.
type Cooldown struct {
	loader Loader
	period time.Duration
	now    func() time.Time
}

// NewCooldown returns a cooldown of period; 0 lets every refresh through.
func NewCooldown(l Loader, period time.Duration, now func() time.Time) *Cooldown {
	return &Cooldown{loader: l, period: period, now: now}
}

// Hold says a forced refresh was held off: the one that holds it off was
// taken at Since, and another is possible at Until.
type Hold struct {
	Since, Until time.Time
}

// Take claims the forced refresh of key: nil when the caller may refresh
// now, else the hold.
func (c *Cooldown) Take(ctx context.Context, key string) *Hold {
	if c.period <= 0 {
		return nil
	}
	took := false
	now := c.now()
	e, err := c.loader.Load(ctx, key, cache.Policy{Fresh: c.period}, false, func(context.Context) ([]byte, error) {
		took = true
		return strconv.AppendInt(nil, now.UnixNano(), 10), nil
	})
	if err != nil || took {
		return nil
	}
	n, err := strconv.ParseInt(string(e.Value), 10, 64)
	if err != nil {
		return nil
	}
	last := time.Unix(0, n)
	return &Hold{Since: last, Until: last.Add(c.period)}
}
