//go:build unix

package zafsdk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"syscall"
	"time"
)

// lockPoll is how often a waiting caller retries the lock. flock itself
// cannot be interrupted by a context, so waiting polls a non-blocking try.
const lockPoll = 50 * time.Millisecond

// lock takes an exclusive flock on path, waiting for as long as ctx allows,
// and returns the function that releases it. The kernel drops the lock if
// the process dies, so a crashed build never wedges the next one.
func lock(ctx context.Context, path string, logger *slog.Logger) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("zafsdk: opening lock file: %w", err)
	}
	waiting := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("zafsdk: locking %s: %w", path, err)
		}
		if !waiting {
			waiting = true
			logger.Info("waiting for another process to finish building the ZAF SDK…", "lock", path)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("zafsdk: waiting for the ZAF SDK build lock: %w", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}
