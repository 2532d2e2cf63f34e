package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// bind asks for a panel token bound to one ticket, as the shell does once
// the ZAF SDK has said which ticket is open.
func (h *harness) bind(t *testing.T, token, ticket string) (*httptest.ResponseRecorder, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/zendesk/panel/token", strings.NewReader(url.Values{"ticket_id": {ticket}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Crossview-Token", token)
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	var out struct {
		Token string `json:"token"`
	}
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("bind answer %q: %v", rec.Body, err)
		}
	}
	return rec, out.Token
}

func (h *harness) shellToken(t *testing.T, user int64) string {
	t.Helper()
	jwt, err := h.acme.SignAppToken(zendesktest.AppClaims{UserID: user})
	if err != nil {
		t.Fatal(err)
	}
	shell := h.postSidebar(t, jwt)
	m := tokenAttr.FindStringSubmatch(shell.Body.String())
	if shell.Code != http.StatusOK || m == nil {
		t.Fatalf("shell %d:\n%s", shell.Code, shell.Body)
	}
	return m[1]
}

// TestPanelTokenBoundToTicket: the shell's token reads no panel; a token
// bound to ticket 42 reads ticket 42 and nothing else, and cannot be bound
// again to another ticket.
func TestPanelTokenBoundToTicket(t *testing.T) {
	h := newHarness(t)
	session := h.shellToken(t, 7)
	refused := func(rec *httptest.ResponseRecorder, what string) {
		t.Helper()
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", what, rec.Code)
		}
		if b := rec.Body.String(); strings.Contains(b, "Secret Customer") || strings.Contains(b, "secret@customer.example") {
			t.Errorf("%s: the refusal carries the customer's data:\n%s", what, b)
		}
	}
	refused(h.getPanel(t, session, "42"), "the shell's unbound token")

	rec, bound := h.bind(t, session, "42")
	if rec.Code != http.StatusOK || bound == "" {
		t.Fatalf("bind: %d %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("bind Cache-Control = %q, want no-store", got)
	}
	if ok := h.getPanel(t, bound, "42"); ok.Code != http.StatusOK || !strings.Contains(ok.Body.String(), "Secret Customer") {
		t.Fatalf("ticket 42 with its own token: %d\n%s", ok.Code, ok.Body)
	}
	refused(h.getPanel(t, bound, "43"), "ticket 43 with ticket 42's token")
	refused(h.getPanel(t, bound, "420"), "ticket 420 with ticket 42's token")
	if rec, _ := h.bind(t, bound, "43"); rec.Code != http.StatusForbidden {
		t.Errorf("re-binding a bound token: %d, want 403", rec.Code)
	}
	if rec, tok := h.bind(t, session, "13"); rec.Code != http.StatusForbidden || tok != "" {
		t.Errorf("binding a ticket the agent may not see: %d %q, want 403 and no token", rec.Code, tok)
	}
	for _, bad := range []string{"", "0", "-1", "x", "42abc"} {
		if rec, _ := h.bind(t, session, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("binding ticket %q: %d, want 400", bad, rec.Code)
		}
	}
	for _, c := range h.sidebar.calls {
		if c.TicketID != 42 {
			t.Errorf("a panel was built for %+v", c)
		}
	}
}

// TestSidebarPanelRevalidates: the panel carries an ETag, and the shell's
// periodic re-fetch of an unchanged panel is answered 304 with no body.
func TestSidebarPanelRevalidates(t *testing.T) {
	h := newHarness(t)
	_, bound := h.bind(t, h.shellToken(t, 7), "42")
	first := h.getPanel(t, bound, "42")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || etag == "" {
		t.Fatalf("panel: %d, ETag %q", first.Code, etag)
	}
	req := httptest.NewRequest(http.MethodGet, "/zendesk/panel?ticket_id=42", nil)
	req.Header.Set("X-Crossview-Token", bound)
	req.Header.Set("If-None-Match", etag)
	rec := httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("unchanged panel: %d with %d bytes, want 304 and none", rec.Code, rec.Body.Len())
	}
	req.Header.Set("If-None-Match", `"something-else"`)
	rec = httptest.NewRecorder()
	h.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Secret Customer") {
		t.Fatalf("another version: %d", rec.Code)
	}
}
