package cache

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// health remembers that the cache backend failed, so Loads stop waiting on
// it for a while, and keeps the log to one line per interval however many
// Loads see the failure. A dead Redis with go-redis's default retries costs
// over a second per command; paying that on every Load would turn an
// outage of the cache into an outage of the panels.
type health struct {
	log        *slog.Logger
	retryAfter time.Duration
	logEvery   time.Duration

	downUntil atomic.Int64 // Unix nanoseconds; 0 while healthy

	mu         sync.Mutex
	lastLog    time.Time
	suppressed int
}

// usable reports whether Loads should use the cache at now.
func (h *health) usable(now time.Time) bool {
	d := h.downUntil.Load()
	return d == 0 || now.UnixNano() >= d
}

// failed records a failed cache operation at now.
func (h *health) failed(now time.Time, op string, err error) {
	h.downUntil.Store(now.Add(h.retryAfter).UnixNano())
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.lastLog.IsZero() && now.Sub(h.lastLog) < h.logEvery {
		h.suppressed++
		return
	}
	h.log.Warn("cache: backend failed; loading without the cache",
		"op", op, "err", err, "retry_after", h.retryAfter, "failures_not_logged", h.suppressed)
	h.lastLog, h.suppressed = now, 0
}

// succeeded records a working cache operation, logging the recovery once.
func (h *health) succeeded() {
	if h.downUntil.Load() == 0 {
		return
	}
	if h.downUntil.Swap(0) != 0 {
		h.log.Info("cache: backend is answering again")
	}
}
