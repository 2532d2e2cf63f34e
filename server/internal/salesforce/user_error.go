package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// UserError turns a client error into a crossview.Error whose message tells
// a person what broke and, where we know it, what fixes it.
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
	case IsRevoked(err):
		return crossview.Wrap(crossview.EUNAUTHORIZED, "Salesforce no longer accepts this connection's sign-in (the refresh token was revoked or has expired). An admin needs to reconnect the org.", err)
	case IsRateLimited(err):
		return crossview.Wrap(crossview.ERATELIMITED, "This org's daily Salesforce API allowance is used up. Crossview will try again later.", err)
	case IsSessionExpired(err):
		return crossview.Wrap(crossview.EUNAUTHORIZED, "Salesforce rejected even a freshly refreshed session. If the org locks sessions to the IP address they came from, untick Setup › Session Settings › \"Lock sessions to the IP address from which they originated\".", err)
	case errors.Is(err, context.DeadlineExceeded):
		return crossview.Wrap(crossview.EUNAVAILABLE, "Salesforce did not answer in time.", err)
	case errors.As(err, &ae) && ae.Status >= 500:
		return crossview.Wrap(crossview.EUNAVAILABLE, fmt.Sprintf("Salesforce is having trouble (HTTP %d). Try again shortly.", ae.Status), err)
	case errors.As(err, &ae) && ae.Status == http.StatusBadRequest:
		// Salesforce's message echoes the query, and with it the customer's
		// email: only its explanation is kept, for logs.
		return crossview.Wrap(crossview.EINVALID, "Salesforce refused Crossview's query ("+ae.Code+"); an admin can see why on the connection's page in Crossview.",
			&APIError{Status: ae.Status, Code: ae.Code, Message: failureMessage(ae, ""), Fields: ae.Fields})
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return crossview.Wrap(crossview.EFORBIDDEN, "The connected Salesforce user may not read this data ("+ae.Code+").", err)
	}
	return crossview.Wrap(crossview.EUNAVAILABLE, "Salesforce could not be reached.", err)
}
