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
		secret, ok := t.SyncWebhookSecrets[connID]
		if !ok || s.o.TicketSync == nil {
			return crossview.Errorf(crossview.ENOTFOUND, "No ticket-sync webhook for this connection.")
		}
		if err := verify(secret); err != nil {
			return err
		}
		// Answered only once the change is durably queued.
		if err := s.o.TicketSync.SyncWebhook(ctx, t, connID, body); err != nil {
			return err
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
