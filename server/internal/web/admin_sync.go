package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/crossview/crossview/server/internal/admin"
	"github.com/crossview/crossview/server/internal/crossview"
)

// ticketSyncChange runs one of the ticket-sync section's forms.
func (s *server) ticketSyncChange(c echo.Context, sess admin.Session, action string) error {
	ctx, id, form := c.Request().Context(), c.Param("id"), c.Request()
	switch action {
	case "ticketsync":
		set, err := ticketSyncSettingsFromForm(form.PostForm)
		if err != nil {
			return err
		}
		_, err = s.o.Admin.UpdateTicketSync(ctx, sess.Subdomain, sess.Actor(), id, set)
		return err
	case "ticketsync/repair":
		_, err := s.o.Admin.RepairTicketSync(ctx, sess.Subdomain, sess.Actor(), id)
		return err
	case "ticketsync/replay":
		if form.PostFormValue("all") == "1" {
			_, err := s.o.Admin.ReplayAllTickets(ctx, sess.Subdomain, sess.Actor(), id)
			return err
		}
		ticket, err := strconv.ParseInt(strings.TrimSpace(form.PostFormValue("ticket")), 10, 64)
		if err != nil || ticket <= 0 {
			return crossview.Errorf(crossview.EINVALID, "Name the ticket to replay by its number.")
		}
		return s.o.Admin.ReplayTicket(ctx, sess.Subdomain, sess.Actor(), id, ticket)
	case "ticketsync/backfill":
		days, err := strconv.Atoi(strings.TrimSpace(form.PostFormValue("days")))
		if err != nil {
			return crossview.Errorf(crossview.EINVALID, "A backfill reaches a number of days back.")
		}
		_, err = s.o.Admin.StartTicketBackfill(ctx, sess.Subdomain, sess.Actor(), id, days)
		return err
	}
	return crossview.Errorf(crossview.ENOTFOUND, "No such action.")
}

// backfillJSON is what the live progress bar reads.
type backfillJSON struct {
	State   string `json:"state"`
	Label   string `json:"label"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
	Rate    string `json:"rate"`
	ETA     string `json:"eta"`
	Error   string `json:"error,omitempty"`
	Live    bool   `json:"live"`
}

// handleAdminBackfillProgress answers the backfill bar's poll.
func (s *server) handleAdminBackfillProgress(c echo.Context, sess admin.Session) error {
	id := c.Param("id")
	p, ok, err := s.o.Admin.BackfillProgress(c.Request().Context(), sess.Subdomain, id)
	if err != nil {
		return err
	}
	if !ok {
		return crossview.Errorf(crossview.ENOTFOUND, "No backfill has run for this connection.")
	}
	b := backfillView(p, "", s.o.Now())
	return c.JSON(http.StatusOK, backfillJSON{State: b.State, Label: b.Label, Done: b.Done, Total: b.Total, Percent: b.Percent,
		Rate: b.Rate, ETA: b.ETA, Error: b.Error, Live: b.Live})
}
