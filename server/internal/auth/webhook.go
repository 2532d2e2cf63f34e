package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// WebhookVerifier checks Zendesk webhook signatures:
// base64(HMAC-SHA256(secret, timestamp + body)), no separator, the signing
// secret used as the key as-is, and the timestamp within a window so a
// captured delivery cannot be replayed later.
type WebhookVerifier struct {
	window time.Duration
	now    func() time.Time
}

// NewWebhookVerifier returns a verifier accepting timestamps within window
// of now, either side.
func NewWebhookVerifier(window time.Duration, now func() time.Time) *WebhookVerifier {
	return &WebhookVerifier{window: window, now: now}
}

// Verify checks one delivery's X-Zendesk-Webhook-Signature and
// X-Zendesk-Webhook-Signature-Timestamp against its body.
func (v *WebhookVerifier) Verify(secret, timestamp, signature string, body []byte) error {
	if secret == "" {
		return crossview.Errorf(crossview.EUNAUTHORIZED, "No webhook signing secret is configured for this Zendesk account.")
	}
	if timestamp == "" || signature == "" {
		return crossview.Errorf(crossview.EUNAUTHORIZED, "The webhook signature headers are missing.")
	}
	ts, err := time.Parse(time.RFC3339, timestamp)
	if err != nil {
		return crossview.Errorf(crossview.EUNAUTHORIZED, "The webhook timestamp is not a time.")
	}
	if d := v.now().Sub(ts); d > v.window || d < -v.window {
		return crossview.Errorf(crossview.EUNAUTHORIZED, "The webhook timestamp is outside the accepted window.")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write(body)
	// Compare the text with the one canonical encoding: decoding first
	// would also take line breaks and other padding bits.
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(signature), []byte(want)) {
		return crossview.Errorf(crossview.EUNAUTHORIZED, "The webhook signature does not match.")
	}
	return nil
}
