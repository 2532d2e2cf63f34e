package zendesk

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// UserError turns a client error into a crossview.Error whose message tells
// a person what broke and what fixes it.
func UserError(err error) error {
	if err == nil {
		return nil
	}
	var ce *crossview.Error
	if errors.As(err, &ce) {
		return err
	}
	var ae *APIError
	switch {
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound:
		return crossview.Wrap(crossview.ENOTFOUND, "Zendesk does not know this ticket.", err)
	case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
		return crossview.Wrap(crossview.EUNAVAILABLE, "Zendesk refused Crossview's API credential. An admin needs to update it (crossview admin account add, or sign in to the admin pages again).", err)
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return crossview.Wrap(crossview.EUNAVAILABLE, "Crossview's Zendesk credential may not read tickets. It must belong to an agent or admin.", err)
	case errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests:
		return crossview.Wrap(crossview.ERATELIMITED, fmt.Sprintf("Zendesk's API rate limit was reached; try again in %s.", ae.RetryAfter.Round(1e9)), err)
	case errors.As(err, &ae) && ae.Status >= 500:
		return crossview.Wrap(crossview.EUNAVAILABLE, fmt.Sprintf("Zendesk is having trouble (HTTP %d). Try again shortly.", ae.Status), err)
	case errors.Is(err, context.DeadlineExceeded):
		return crossview.Wrap(crossview.EUNAVAILABLE, "Zendesk did not answer in time.", err)
	}
	return crossview.Wrap(crossview.EUNAVAILABLE, "Zendesk could not be reached.", err)
}
