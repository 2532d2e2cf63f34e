package auth

import (
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

func TestWebhookSignature(t *testing.T) {
	// The vector: Zendesk's static test secret, used as the key as-is.
	const secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
	const ts = "2021-03-25T05:09:27Z"
	body := []byte(`{"event":"ticket.updated","id":123}`)
	const sig = "S/RDdU2ERmj7LHDDoWJ2onPYH+t7/f2+LTM4dL7UiLM="
	at := func(d time.Duration) func() time.Time {
		return func() time.Time { return time.Date(2021, 3, 25, 5, 9, 27, 0, time.UTC).Add(d) }
	}
	v := NewWebhookVerifier(5*time.Minute, at(time.Minute))
	if err := v.Verify(secret, ts, sig, body); err != nil {
		t.Fatalf("valid delivery refused: %v", err)
	}
	cases := []struct {
		name, secret, ts, sig string
		body                  []byte
		now                   func() time.Time
	}{
		{"tampered body", secret, ts, sig, []byte(`{"event":"ticket.updated","id":124}`), at(0)},
		{"wrong secret", "another-secret", ts, sig, body, at(0)},
		{"stale timestamp", secret, ts, sig, body, at(6 * time.Minute)},
		{"future timestamp", secret, ts, sig, body, at(-6 * time.Minute)},
		{"missing signature", secret, ts, "", body, at(0)},
		{"missing timestamp", secret, "", sig, body, at(0)},
		{"timestamp changed", secret, "2021-03-25T05:09:28Z", sig, body, at(0)},
		{"hex instead of base64", secret, ts, "4bf443754d84", body, at(0)},
		{"no secret configured", "", ts, sig, body, at(0)},
		// Found by FuzzWebhookVerify: base64 decoding skips line breaks and
		// ignores padding bits, so these decoded to the right MAC.
		{"signature with a line break", secret, ts, sig[:20] + "\n" + sig[20:], body, at(0)},
		{"signature with other padding bits", secret, ts, sig[:42] + "N=", body, at(0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := NewWebhookVerifier(5*time.Minute, tc.now).Verify(tc.secret, tc.ts, tc.sig, tc.body)
			if crossview.ErrorCode(err) != crossview.EUNAUTHORIZED {
				t.Fatalf("Verify = %v, want unauthorized", err)
			}
		})
	}
}
