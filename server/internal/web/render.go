package web

import (
	"bytes"
	"context"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// render writes a templ component as the whole response body.
func render(c echo.Context, status int, t templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := t.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// noStore marks a response that carries a token or customer data.
func noStore(c echo.Context) {
	c.Response().Header().Set("Cache-Control", "no-store")
}

// renderBytes renders a component into a new byte slice that may be kept.
func renderBytes(ctx context.Context, t templ.Component) ([]byte, error) {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := t.Render(ctx, buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}
