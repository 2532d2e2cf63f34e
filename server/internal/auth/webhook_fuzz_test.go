package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// FuzzWebhookVerify feeds Verify arbitrary deliveries (sign false) and
// deliveries signed here with the secret (sign true). A delivery is
// accepted exactly when its signature is the standard base64 of
// HMAC-SHA256(secret, timestamp + body), computed here independently, and
// its RFC 3339 timestamp is within the window; every refusal is an
// unauthorized *crossview.Error that quotes nothing from the delivery.
func FuzzWebhookVerify(f *testing.F) {
	const secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
	const ts = "2021-03-25T05:09:27Z"
	const sig = "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM="
	body := `{"event":"ticket.updated","id":123}`
	now := time.Date(2021, 3, 25, 5, 10, 27, 0, time.UTC)
	v := NewWebhookVerifier(5*time.Minute, func() time.Time { return now })
	for _, s := range []struct {
		ts, sig, body string
		sign          bool
	}{
		{ts, sig, body, false},
		{ts, sig, body + " ", false},
		{ts, strings.TrimRight(sig, "="), body, false},
		{ts, sig[:42] + "N=", body, false}, // same bytes, other padding bits
		{ts, sig[:20] + "\n" + sig[20:], body, false},
		{ts, strings.NewReplacer("+", "-", "/", "_").Replace(sig), body, false},
		{"2021-03-25T05:09:27+00:00", sig, body, false},
		{"2021-03-25T05:19:28Z", "", body, true},
		{"2021-03-25t05:09:27z", "", body, true},
		{"1616648967", "", body, true},
		{"", "", "", true},
		{ts, "", "", true},
	} {
		f.Add(s.ts, s.sig, []byte(s.body), s.sign)
	}
	f.Fuzz(func(t *testing.T, timestamp, signature string, body []byte, sign bool) {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(timestamp))
		mac.Write(body)
		canonical := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if sign {
			signature = canonical
		}
		parsed, perr := time.Parse(time.RFC3339, timestamp)
		fresh := perr == nil && parsed.Sub(now) <= 5*time.Minute && now.Sub(parsed) <= 5*time.Minute
		err := v.Verify(secret, timestamp, signature, body)
		if err == nil {
			if signature != canonical {
				t.Fatalf("accepted signature %q; the HMAC is %q", signature, canonical)
			}
			if !fresh {
				t.Fatalf("accepted timestamp %q outside the window", timestamp)
			}
			return
		}
		if sign && fresh && timestamp != "" {
			t.Fatalf("refused a correctly signed, current delivery: %v", err)
		}
		if crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
			t.Fatalf("refusal %v is not unauthorized", err)
		}
		msg := crossview.ErrorMessage(err)
		for _, leak := range []string{signature, string(body), timestamp} {
			if len(leak) >= 8 && strings.Contains(msg, leak) {
				t.Fatalf("message %q quotes the delivery", msg)
			}
		}
	})
}
