package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/crossview/crossview/server/internal/crossview"
)

// FuzzCanvasVerify feeds Verify arbitrary signed requests (signJSON false)
// and arbitrary envelopes correctly signed with the key (signJSON true). It
// must never panic, must refuse with a user-safe *crossview.Error, and must
// never accept a request whose signature is not the HMAC of its envelope
// under the key, computed here independently.
func FuzzCanvasVerify(f *testing.F) {
	real, secret := realCanvasFixture(f)
	sig, envelope, _ := strings.Cut(real, ".")
	realJSON, err := base64.StdEncoding.DecodeString(envelope)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		real,
		flipChar(real, 10),
		flipChar(real, 60),
		urlSafe(real),
		real + "=",
		real[:len(real)-2],
		sig + "." + envelope[:400],
		sig + "." + sig + "." + envelope,
		"." + envelope,
		sig + ".",
		sig,
		".",
		"",
		"bla-bla-invalid_signed_request",
		syntheticCanvasRequest,
		signCanvas(secret, base64.URLEncoding.EncodeToString(realJSON)),
	} {
		f.Add(s, false)
	}
	js := string(realJSON)
	for _, s := range []string{
		js,
		strings.Replace(js, `"HMACSHA256"`, `"HMACSHA1"`, 1),
		strings.Replace(js, `"issuedAt":1384819059`, `"issuedAt":null`, 1),
		strings.Replace(js, `"issuedAt":1384819059`, `"issuedAt":-1e400`, 1),
		strings.Replace(js, `"displayLocation"`, `"sublocation":"S1MobileCardFullview","displayLocation"`, 1),
		strings.Replace(js, `"parameters":{}`, `"parameters":{"recordId":"001R0000001AbCd","sObjectName":"Account"}`, 1),
		strings.Replace(js, `"005R0000000DgJAIA0"`, `"005r0000000dgjaia0"`, 1),
		strings.Replace(js, "https://mobile1.t.salesforce.com", "javascript:alert(1)", 1),
		strings.Replace(js, "https://mobile1.t.salesforce.com", "http://mobile1.t.salesforce.com", 1),
		strings.Replace(js, "https://mobile1.t.salesforce.com", "https://mobile1.t.salesforce.com.evil.example", 1),
		strings.Replace(js, `"issuedAt":1384819059`, `"issuedAt":1384829059`, 1),
		strings.Replace(js, `"issuedAt":1384819059`, `"issuedAt":1384819059000`, 1),
		js[:len(js)/2],
		"null",
		"[]",
		`{"context":{"organization":{"organizationId":5}}}`,
	} {
		f.Add(s, true)
	}
	v := testCanvasVerifier(f, secret)
	f.Fuzz(func(t *testing.T, input string, signJSON bool) {
		req := input
		if signJSON {
			req = signCanvas(secret, base64.StdEncoding.EncodeToString([]byte(input)))
		}
		got, err := v.Verify(req)
		if err != nil {
			var e *crossview.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *crossview.Error", err)
			}
			switch e.Code {
			case crossview.EINVALID, crossview.EUNAUTHORIZED, crossview.ETOOLARGE:
			default:
				t.Fatalf("code %q, want invalid, unauthorized or too_large", e.Code)
			}
			return
		}
		s, env, _ := strings.Cut(req, ".")
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(env))
		if s != base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			t.Fatalf("accepted a request not signed with the key: %.80q", req)
		}
		if len(got.OrgID) != 18 || !crossview.ValidOrgID(got.OrgID) {
			t.Errorf("accepted org id %q", got.OrgID)
		}
		if got.UserID == "" {
			t.Errorf("accepted a request without a user: %v", got)
		}
		for _, id := range []string{got.OrgID, got.UserID, got.RecordID} {
			if back, err := crossview.ID18(id); id != "" && (err != nil || back != id) {
				t.Errorf("accepted id %q is not in 18-character form (%q, %v)", id, back, err)
			}
		}
		if got.OAuthToken == "" || v.hosts.Check(got.InstanceURL) != nil || got.TargetOrigin != "" && v.hosts.Check(got.TargetOrigin) != nil {
			t.Errorf("accepted a request without a token or with an instance off Salesforce's hosts: %v", got)
		}
		if got.IssuedAt != nil && absDuration(v.now().Sub(*got.IssuedAt)) > CanvasWindow {
			t.Errorf("accepted a request issued at %v", got.IssuedAt)
		}
	})
}
