package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

var fuzzPanelKey = []byte("0123456789abcdef0123456789abcdef")

// signedWithKey is an independent check of a compact HS256 JWT: three
// unpadded base64url parts, a header naming HS256, and a signature that
// is the HMAC-SHA256 of the first two parts under the key.
func signedWithKey(tok string, key []byte) bool {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return false
	}
	hdr, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(hdr, &h) != nil || h.Alg != "HS256" {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	return hmac.Equal(sig, mac.Sum(nil))
}

// signClaims signs arbitrary claims JSON with the key, as a holder of the
// key (only Crossview) could.
func signClaims(claims string) string {
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, fuzzPanelKey)
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

// FuzzPanelTokenVerify feeds Verify and VerifyTicket arbitrary tokens
// (signClaimsJSON false) and arbitrary claims correctly signed with the
// key (true). Nothing may panic; every refusal is a user-safe
// *crossview.Error; nothing is accepted that is not HS256-signed with the
// key (checked here independently), unexpired, for the location asked,
// and — for a ticket — bound to exactly that ticket.
func FuzzPanelTokenVerify(f *testing.F) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	pt := NewPanelTokens(fuzzPanelKey, 30*time.Minute, func() time.Time { return now })
	shell, _ := pt.Issue(crossview.Principal{Tenant: "acme", UserID: "7001", Location: crossview.LocationZendeskSidebar})
	session, _ := pt.Verify(shell, crossview.LocationZendeskSidebar)
	bound, _ := pt.Bind(session, 42)
	rec := &crossview.SalesforceRecord{OrgID: "00D000000000001AAA", Object: "Account", ID: "001000000000001AAA"}
	canvas, _ := pt.Issue(crossview.Principal{OrgID: rec.OrgID, UserID: "005000000000001AAA", Location: crossview.LocationSalesforceRecord, Record: rec})
	parts := strings.Split(bound, ".")
	for _, tok := range []string{
		shell, bound, canvas,
		bound[:len(bound)-3],
		parts[0] + "." + parts[1] + ".",
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".",
		parts[0] + "." + strings.Split(shell, ".")[1] + "." + parts[2],
		bound + "=",
		strings.ReplaceAll(bound, "-", "+"),
		"", ".", "..", "a.b.c", strings.Repeat("A", 5000),
	} {
		f.Add(tok, int64(42), false)
	}
	exp := strconv.FormatInt(now.Add(time.Minute).Unix(), 10)
	for _, claims := range []string{
		`{"aud":["crossview-panel"],"exp":` + exp + `,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":42,"sub":"7"}`,
		`{"aud":"crossview-panel","exp":` + exp + `,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":-42}`,
		`{"aud":"crossview-panel","exp":` + exp + `,"tnt":"ACME","loc":"zendesk.ticket_sidebar","tkt":42}`,
		`{"aud":"crossview-panel","exp":` + exp + `,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":42.5}`,
		`{"aud":"crossview-panel","exp":` + exp + `,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":"42"}`,
		`{"aud":"crossview-panel","exp":1,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":42}`,
		`{"aud":"crossview-panel","tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":42}`,
		`{"aud":"other","exp":` + exp + `,"tnt":"acme","loc":"zendesk.ticket_sidebar","tkt":42}`,
		`{"aud":"crossview-panel","exp":` + exp + `,"loc":"salesforce.record","org":"00D000000000001AAA","rec":{"org":"00D000000000001AAA"},"tkt":42}`,
		`{"aud":"crossview-panel","exp":1e400}`,
		`null`, `[]`, `{`,
	} {
		f.Add(claims, int64(42), true)
	}
	f.Fuzz(func(t *testing.T, in string, ticket int64, signClaimsJSON bool) {
		tok := in
		if signClaimsJSON {
			tok = signClaims(in)
		}
		for _, loc := range []string{crossview.LocationZendeskSidebar, crossview.LocationSalesforceRecord} {
			p, err := pt.Verify(tok, loc)
			if err != nil {
				checkRefusal(t, err)
				continue
			}
			checkAccepted(t, tok, p, now)
			if p.Location != loc {
				t.Fatalf("a token for %q accepted for %q", p.Location, loc)
			}
			if loc == crossview.LocationZendeskSidebar && (!crossview.ValidSubdomain(p.Tenant) || p.TicketID < 0) {
				t.Fatalf("accepted a sidebar token naming tenant %q, ticket %d", p.Tenant, p.TicketID)
			}
			if loc == crossview.LocationSalesforceRecord && (p.Record == nil || p.Record.OrgID != p.OrgID || p.TicketID != 0) {
				t.Fatalf("accepted a record token %+v", p)
			}
		}
		p, err := pt.VerifyTicket(tok, ticket)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		checkAccepted(t, tok, p, now)
		if p.TicketID != ticket || ticket <= 0 || p.Location != crossview.LocationZendeskSidebar {
			t.Fatalf("ticket %d read with a token for %+v", ticket, p)
		}
	})
}

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	if c := crossview.ErrorCode(err); c != crossview.EUNAUTHORIZED && c != crossview.EFORBIDDEN {
		t.Fatalf("refusal %q: %v", c, err)
	}
	if crossview.ErrorMessage(err) == "" {
		t.Fatalf("refusal without a message: %v", err)
	}
}

func checkAccepted(t *testing.T, tok string, p crossview.Principal, now time.Time) {
	t.Helper()
	if !signedWithKey(tok, fuzzPanelKey) {
		t.Fatalf("accepted a token not signed with the key: %q", tok)
	}
	if !now.Before(p.Expires) {
		t.Fatalf("accepted a token that expired at %v", p.Expires)
	}
}
