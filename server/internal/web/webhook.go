package web

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/crossview"
)

// handleZendeskWebhook receives a Zendesk account's ticket events: the
// subdomain in the path selects the signing secret; a verified event
// invalidates exactly the cached lists it changes, so open panels show it
// on their next poll.
func (s *server) handleZendeskWebhook(c echo.Context) error {
	sub := c.Param("subdomain")
	if !crossview.ValidSubdomain(sub) {
		return crossview.Errorf(crossview.ENOTFOUND, "No such Zendesk account.")
	}
	ctx := c.Request().Context()
	t, err := s.o.Tenants.Tenant(ctx, sub)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return crossview.Wrap(crossview.EINVALID, "The webhook body could not be read.", err)
	}
	h := c.Request().Header
	verify := func(secret string) error {
		return s.o.WebhookVerifier.Verify(secret, h.Get("X-Zendesk-Webhook-Signature-Timestamp"), h.Get("X-Zendesk-Webhook-Signature"), body)
	}
	// A ticket-sync webhook names its connection, whose secret signs it.
	if connID := c.QueryParam("connection"); connID != "" {
		if s.o.TicketSync == nil {
			return crossview.Errorf(crossview.ENOTFOUND, "No ticket-sync webhook for this connection.")
		}
		secret, ok := t.SyncWebhookSecrets[connID]
		if !ok {
			// Another replica may have just made it (tenants are cached
			// for seconds here): ask Zendesk to come back.
			return retryLater(c, crossview.Errorf(crossview.EUNAVAILABLE, "No ticket-sync webhook for this connection yet."))
		}
		if err := verify(secret); err != nil {
			return err
		}
		// Answered only once the change is durably queued.
		if err := s.o.TicketSync.SyncWebhook(ctx, t, connID, body); err != nil {
			return retryLater(c, err)
		}
		return c.String(http.StatusOK, "ok\n")
	}
	if err := verify(t.WebhookSecret); err != nil {
		return err
	}
	if err := s.o.TicketEvents.TicketEvent(ctx, t, body); err != nil {
		return err
	}
	return c.String(http.StatusOK, "ok\n")
}

// syncRetryAfter is how long Zendesk is asked to wait before delivering a
// ticket-sync webhook again. Zendesk retries a 503 only when it carries a
// Retry-After under a minute.
const syncRetryAfter = "5"

// retryLater passes err on, asking Zendesk to retry when err is Crossview
// being briefly unable to take the change.
func retryLater(c echo.Context, err error) error {
	if crossview.ErrorCode(err) == crossview.EUNAVAILABLE {
		c.Response().Header().Set("Retry-After", syncRetryAfter)
	}
	return err
}
