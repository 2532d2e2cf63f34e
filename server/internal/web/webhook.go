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
	if err := s.o.WebhookVerifier.Verify(t.WebhookSecret, h.Get("X-Zendesk-Webhook-Signature-Timestamp"), h.Get("X-Zendesk-Webhook-Signature"), body); err != nil {
		return err
	}
	if err := s.o.TicketEvents.TicketEvent(ctx, t, body); err != nil {
		return err
	}
	return c.String(http.StatusOK, "ok\n")
}
