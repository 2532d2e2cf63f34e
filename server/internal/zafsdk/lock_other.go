//go:build !unix

package zafsdk

import (
	"context"
	"errors"
	"log/slog"
)

// lock is only implemented with flock; elsewhere Ensure cannot promise one
// build at a time, so it refuses rather than race.
func lock(context.Context, string, *slog.Logger) (func(), error) {
	return nil, errors.New("zafsdk: building the ZAF SDK needs a Unix system (flock)")
}
