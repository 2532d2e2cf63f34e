package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/crossview"
)

// The synthetic vector of salesforce-api.md §1.4.
const (
	syntheticCanvasSecret    = "ZENDESK-BFF-TEST-SECRET-0001"
	syntheticCanvasSignature = "CZwA6cmLNCrDQLrLch4jrgDCZBuEbtHVVMiYsvODX2I="
	syntheticCanvasEnvelope  = "eyJhbGdvcml0aG0iOiJITUFDU0hBMjU2IiwiaXNzdWVkQXQiOm51bGwsInVzZXJJZCI6IjAwNXh4MDAwMDAxMjM0NUFBQSIsImNsaWVudCI6eyJpbnN0YW5jZUlkIjoiMDZQeHgwMDAwMDAwMDAxOiIsImluc3RhbmNlVXJsIjoiaHR0cHM6Ly9leGFtcGxlLWRldi1lZC5teS5zYWxlc2ZvcmNlLmNvbSIsIm9hdXRoVG9rZW4iOiIwMER4eDAwMDAwMDAwMDEhQVEwQVEudGVzdC10b2tlbiIsInJlZnJlc2hUb2tlbiI6bnVsbCwidGFyZ2V0T3JpZ2luIjoiaHR0cHM6Ly9leGFtcGxlLWRldi1lZC5teS5zYWxlc2ZvcmNlLmNvbSJ9LCJjb250ZXh0Ijp7InVzZXIiOnsidXNlcklkIjoiMDA1eHgwMDAwMDEyMzQ1QUFBIiwidXNlck5hbWUiOiJvJ2JyaWVuQGV4YW1wbGUuY29tIiwiZW1haWwiOiJvJ2JyaWVuK29wc0BleGFtcGxlLmNvbSIsImZ1bGxOYW1lIjoiUGF0IE8nQnJpZW4iLCJ1c2VyVHlwZSI6IlNUQU5EQVJEIiwibG9jYWxlIjoiZW5fVVMiLCJsYW5ndWFnZSI6ImVuX1VTIiwidGltZVpvbmUiOiJFdXJvcGUvQmVybGluIiwicHJvZmlsZUlkIjoiMDBleHgwMDAwMDBhYmNkIn0sIm9yZ2FuaXphdGlvbiI6eyJvcmdhbml6YXRpb25JZCI6IjAwRHh4MDAwMDAwMDAwMUVBQSIsIm5hbWUiOiJBY21lIH4/PiBMdGQiLCJjdXJyZW5jeUlzb0NvZGUiOiJFVVIiLCJtdWx0aWN1cnJlbmN5RW5hYmxlZCI6ZmFsc2UsIm5hbWVzcGFjZVByZWZpeCI6bnVsbH0sImVudmlyb25tZW50Ijp7ImRpc3BsYXlMb2NhdGlvbiI6IlBhZ2VMYXlvdXQiLCJzdWJsb2NhdGlvbiI6bnVsbCwibG9jYXRpb25VcmwiOiJodHRwczovL2V4YW1wbGUtZGV2LWVkLmxpZ2h0bmluZy5mb3JjZS5jb20vbGlnaHRuaW5nL3IvQ29udGFjdC8wMDN4eDAwMDAwNFRtaVFBQVMvdmlldyIsInVpVGhlbWUiOiJUaGVtZTRkIiwicGFyYW1ldGVycyI6eyJyZWNvcmRJZCI6IjAwM3h4MDAwMDA0VG1pUUFBUyJ9LCJyZWNvcmQiOnsiYXR0cmlidXRlcyI6eyJ0eXBlIjoiQ29udGFjdCIsInVybCI6Ii9zZXJ2aWNlcy9kYXRhL3Y2NS4wL3NvYmplY3RzL0NvbnRhY3QvMDAzeHgwMDAwMDRUbWlRQUFTIn0sIklkIjoiMDAzeHgwMDAwMDRUbWlRQUFTIn0sImRpbWVuc2lvbnMiOnsid2lkdGgiOiIxMDAlIiwiaGVpZ2h0IjoiNDAwcHgiLCJtYXhXaWR0aCI6IjEwMDBweCIsIm1heEhlaWdodCI6IjIwMDBweCIsImNsaWVudFdpZHRoIjoiODAwcHgiLCJjbGllbnRIZWlnaHQiOiI0MDBweCJ9LCJ2ZXJzaW9uIjp7ImFwaSI6IjY1LjAiLCJzZWFzb24iOiJXSU5URVIifX0sImxpbmtzIjp7InJlc3RVcmwiOiIvc2VydmljZXMvZGF0YS92NjUuMC8iLCJxdWVyeVVybCI6Ii9zZXJ2aWNlcy9kYXRhL3Y2NS4wL3F1ZXJ5LyIsInNvYmplY3RVcmwiOiIvc2VydmljZXMvZGF0YS92NjUuMC9zb2JqZWN0cy8iLCJ1c2VyVXJsIjoiLzAwNXh4MDAwMDAxMjM0NUFBQSIsImxvZ2luVXJsIjoiaHR0cHM6Ly9leGFtcGxlLWRldi1lZC5teS5zYWxlc2ZvcmNlLmNvbSJ9fX0="
	syntheticCanvasRequest   = syntheticCanvasSignature + "." + syntheticCanvasEnvelope
)

// testCanvasSecret signs the requests the tests build themselves.
const testCanvasSecret = "canvas-test-secret"

// realIssuedAt is the real request's issuedAt. Tests verify with the clock
// a minute after it, so the real request is current; the envelopes built
// here have issuedAt null unless a test says otherwise.
var realIssuedAt = time.Unix(1384819059, 0).UTC()

// testCanvasVerifier verifies with Salesforce's own hosts and a clock a
// minute after realIssuedAt.
func testCanvasVerifier(tb testing.TB, secret string) *CanvasVerifier {
	tb.Helper()
	hosts, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts)
	if err != nil {
		tb.Fatal(err)
	}
	return NewCanvasVerifier(secret, hosts, func() time.Time { return realIssuedAt.Add(time.Minute) })
}

// realCanvasFixture reads the real org's signed request and its secret.
func realCanvasFixture(tb testing.TB) (request, secret string) {
	tb.Helper()
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "salesforce-canvas", name))
		if err != nil {
			tb.Fatal(err)
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	return read("real-org.signed_request"), read("real-org.secret")
}

// signCanvas signs envelope text exactly as Salesforce does: the HMAC is
// over the base64 text, not the JSON it encodes.
func signCanvas(secret, envelope string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(envelope))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)) + "." + envelope
}

// signCanvasJSON encodes v as JSON, then as standard base64, and signs it.
func signCanvasJSON(tb testing.TB, secret string, v any) string {
	tb.Helper()
	js, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return signCanvas(secret, base64.StdEncoding.EncodeToString(js))
}

// canvasContext is a valid CanvasRequest envelope, shaped like the
// synthetic vector, for tests to change one thing at a time.
func canvasContext() map[string]any {
	return map[string]any{
		"algorithm": "HMACSHA256",
		"issuedAt":  nil,
		"userId":    "005xx0000012345",
		"client": map[string]any{
			"instanceUrl":  "https://example-dev-ed.my.salesforce.com",
			"oauthToken":   "00Dxx0000000001!AQ0AQ.test-token",
			"refreshToken": nil,
			"targetOrigin": "https://example-dev-ed.my.salesforce.com",
		},
		"context": map[string]any{
			"user": map[string]any{
				"userId": "005xx0000012345AAA", "userName": "o'brien@example.com",
				"email": "o'brien+ops@example.com", "fullName": "Pat O'Brien", "userType": "STANDARD",
				"locale": "en_US", "timeZone": "Europe/Berlin",
			},
			"organization": map[string]any{"organizationId": "00Dxx0000000001EAA", "name": "Acme ~?> Ltd"},
			"environment": map[string]any{
				"displayLocation": "PageLayout",
				"sublocation":     nil,
				"parameters":      map[string]any{"recordId": "003xx000004TmiQAAS"},
				"record": map[string]any{
					"attributes": map[string]any{"type": "Contact"},
					"Id":         "003xx000004TmiQAAS",
				},
				"version": map[string]any{"api": "65.0", "season": "WINTER"},
			},
		},
	}
}

// syntheticCanvasWant is what the synthetic vector, and canvasContext,
// verify to.
func syntheticCanvasWant() CanvasRequest {
	return CanvasRequest{
		Algorithm: "HMACSHA256",
		UserID:    "005xx0000012345AAA", UserName: "o'brien@example.com", UserEmail: "o'brien+ops@example.com",
		UserFullName: "Pat O'Brien", Locale: "en_US", TimeZone: "Europe/Berlin", UserType: "STANDARD",
		OrgID: "00Dxx0000000001EAA", OrgName: "Acme ~?> Ltd",
		InstanceURL:  "https://example-dev-ed.my.salesforce.com",
		OAuthToken:   "00Dxx0000000001!AQ0AQ.test-token",
		TargetOrigin: "https://example-dev-ed.my.salesforce.com",
		RecordID:     "003xx000004TmiQAAS", RecordType: "Contact", DisplayLocation: "PageLayout",
		Parameters: map[string]any{"recordId": "003xx000004TmiQAAS"},
		APIVersion: "65.0",
	}
}

// at walks a path of keys into a nested envelope map.
func at(m map[string]any, path ...string) map[string]any {
	for _, k := range path {
		m = m[k].(map[string]any)
	}
	return m
}

func TestCanvasSignHelperMatchesSalesforce(t *testing.T) {
	if got := signCanvas(syntheticCanvasSecret, syntheticCanvasEnvelope); got != syntheticCanvasRequest {
		t.Fatalf("signCanvas does not reproduce the synthetic vector's signature:\n got %.60s\nwant %.60s", got, syntheticCanvasRequest)
	}
	real, secret := realCanvasFixture(t)
	_, envelope, _ := strings.Cut(real, ".")
	if got := signCanvas(secret, envelope); got != real {
		t.Fatalf("signCanvas does not reproduce the real request's signature: got %.44s", got)
	}
}

func TestCanvasVerifyRealRequest(t *testing.T) {
	real, secret := realCanvasFixture(t)
	got, err := testCanvasVerifier(t, secret).Verify(real)
	if err != nil {
		t.Fatalf("Verify(real request): %v", err)
	}
	// The token is checked apart so a failure never prints it.
	if !strings.HasPrefix(got.OAuthToken, "00DR00000008bPC!AQ8AQ") || len(got.OAuthToken) != 112 {
		t.Errorf("OAuthToken is not the envelope's client.oauthToken (length %d)", len(got.OAuthToken))
	}
	got.OAuthToken = ""
	issued := time.Unix(1384819059, 0).UTC()
	want := CanvasRequest{
		Algorithm: "HMACSHA256", IssuedAt: &issued,
		UserID: "005R0000000DgJAIA0", UserName: "sready@sfone.mobile1", UserEmail: "sready@salesforce.com",
		UserFullName: "Test User", Locale: "en_US", TimeZone: "America/Los_Angeles", UserType: "STANDARD",
		OrgID: "00DR00000008bPCMAY", OrgName: "Sam's S1 Test Org",
		InstanceURL:  "https://mobile1.t.salesforce.com",
		TargetOrigin: "https://mobile1.t.salesforce.com",
		Parameters:   map[string]any{}, DisplayLocation: "Chatter", APIVersion: "29.0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Verify(real request) mismatch (-want +got):\n%s", diff)
	}
}

// TestCanvasVerifyRealRequestTopLevelUser drops context.user.userId from
// the real envelope, leaving only the 15-character top-level userId.
func TestCanvasVerifyRealRequestTopLevelUser(t *testing.T) {
	real, _ := realCanvasFixture(t)
	_, envelope, _ := strings.Cut(real, ".")
	js, err := base64.StdEncoding.DecodeString(envelope)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		t.Fatal(err)
	}
	if top := m["userId"]; top != "005R0000000DgJA" {
		t.Fatalf("fixture's top-level userId = %v, want the 15-character form", top)
	}
	delete(at(m, "context", "user"), "userId")
	got, err := testCanvasVerifier(t, testCanvasSecret).Verify(signCanvasJSON(t, testCanvasSecret, m))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got.UserID != "005R0000000DgJAIA0" {
		t.Errorf("UserID = %q, want 005R0000000DgJAIA0", got.UserID)
	}
}

func TestCanvasVerifySyntheticRequest(t *testing.T) {
	if !strings.HasPrefix(syntheticCanvasRequest, syntheticCanvasSignature+".") || len(syntheticCanvasRequest) != 2009 {
		t.Fatalf("synthetic vector mangled: %d chars", len(syntheticCanvasRequest))
	}
	got, err := testCanvasVerifier(t, syntheticCanvasSecret).Verify(syntheticCanvasRequest)
	if err != nil {
		t.Fatalf("Verify(synthetic request): %v", err)
	}
	if diff := cmp.Diff(syntheticCanvasWant(), got); diff != "" {
		t.Errorf("Verify(synthetic request) mismatch (-want +got):\n%s", diff)
	}
}

// TestCanvasVerifyTolerates covers what real envelopes vary in: each case
// changes canvasContext and says how the result changes.
func TestCanvasVerifyTolerates(t *testing.T) {
	issued := realIssuedAt.Add(-10 * time.Minute)
	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		want   func(r *CanvasRequest)
	}{
		{"as built", func(map[string]any) {}, func(*CanvasRequest) {}},
		{"subLocation as documented", func(m map[string]any) {
			env := at(m, "context", "environment")
			delete(env, "sublocation")
			env["subLocation"] = "S1RecordHomePreview"
		}, func(r *CanvasRequest) { r.SubLocation = "S1RecordHomePreview" }},
		{"sublocation as some orgs send it", func(m map[string]any) {
			at(m, "context", "environment")["sublocation"] = "S1MobileCardFullview"
		}, func(r *CanvasRequest) { r.SubLocation = "S1MobileCardFullview" }},
		{"issuedAt in epoch seconds, ten minutes ago", func(m map[string]any) { m["issuedAt"] = issued.Unix() },
			func(r *CanvasRequest) { r.IssuedAt = &issued }},
		{"issuedAt in epoch milliseconds", func(m map[string]any) { m["issuedAt"] = issued.UnixMilli() },
			func(r *CanvasRequest) { r.IssuedAt = &issued }},
		{"issuedAt ten minutes ahead (clock skew)", func(m map[string]any) { m["issuedAt"] = realIssuedAt.Add(11 * time.Minute).Unix() },
			func(r *CanvasRequest) { t := realIssuedAt.Add(11 * time.Minute); r.IssuedAt = &t }},
		{"issuedAt absent", func(m map[string]any) { delete(m, "issuedAt") }, func(*CanvasRequest) {}},
		{"no algorithm", func(m map[string]any) { delete(m, "algorithm") }, func(*CanvasRequest) {}},
		{"15-character ids", func(m map[string]any) {
			at(m, "context", "organization")["organizationId"] = "00Dxx0000000001"
			at(m, "context", "user")["userId"] = "005xx0000012345"
			at(m, "context", "environment", "parameters")["recordId"] = "003xx000004TmiQ"
		}, func(r *CanvasRequest) { r.Parameters = map[string]any{"recordId": "003xx000004TmiQ"} }},
		{"only the top-level user id", func(m map[string]any) { delete(at(m, "context", "user"), "userId") },
			func(*CanvasRequest) {}},
		{"record only, no parameters", func(m map[string]any) {
			env := at(m, "context", "environment")
			delete(env, "parameters")
			at(env, "record")["Id"] = "001xx000003DGWi"
			at(env, "record", "attributes")["type"] = "Account"
		}, func(r *CanvasRequest) { r.RecordID, r.RecordType, r.Parameters = "001xx000003DGWiAAO", "Account", nil }},
		{"parameters name the record and its type", func(m map[string]any) {
			env := at(m, "context", "environment")
			delete(env, "record")
			env["parameters"] = map[string]any{"recordId": "00Qxx0000001AbC", "sObjectName": "Lead"}
		}, func(r *CanvasRequest) {
			r.RecordID, r.RecordType = "00Qxx0000001AbCEAU", "Lead"
			r.Parameters = map[string]any{"recordId": "00Qxx0000001AbC", "sObjectName": "Lead"}
		}},
		{"empty recordId parameter falls back to the record", func(m map[string]any) {
			at(m, "context", "environment", "parameters")["recordId"] = ""
		}, func(r *CanvasRequest) { r.Parameters = map[string]any{"recordId": ""} }},
		{"not on a record", func(m map[string]any) {
			env := at(m, "context", "environment")
			delete(env, "record")
			env["parameters"] = map[string]any{}
			env["displayLocation"] = "Chatter"
		}, func(r *CanvasRequest) {
			r.RecordID, r.RecordType, r.DisplayLocation, r.Parameters = "", "", "Chatter", map[string]any{}
		}},
		{"unknown fields anywhere", func(m map[string]any) {
			m["somethingNew"] = map[string]any{"deep": []any{1, "two", nil}}
			at(m, "client")["instanceId"] = "09H58000000PH5i:"
			at(m, "context", "environment")["dimensions"] = map[string]any{"maxHeight": "infinite"}
		}, func(*CanvasRequest) {}},
		{"https instance on a port", func(m map[string]any) {
			at(m, "client")["instanceUrl"] = "https://MyDomainName.my.salesforce.com:8443"
		}, func(r *CanvasRequest) { r.InstanceURL = "https://MyDomainName.my.salesforce.com:8443" }},
		{"Lightning target origin", func(m map[string]any) {
			at(m, "client")["targetOrigin"] = "https://example-dev-ed.lightning.force.com"
		}, func(r *CanvasRequest) { r.TargetOrigin = "https://example-dev-ed.lightning.force.com" }},
		{"no target origin", func(m map[string]any) { delete(at(m, "client"), "targetOrigin") },
			func(r *CanvasRequest) { r.TargetOrigin = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := canvasContext()
			tc.change(m)
			got, err := testCanvasVerifier(t, testCanvasSecret).Verify(signCanvasJSON(t, testCanvasSecret, m))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := syntheticCanvasWant()
			tc.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// flipChar replaces the character at i with another of the standard base64
// alphabet.
func flipChar(s string, i int) string {
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// urlSafe re-encodes standard base64 text in the URL-safe alphabet.
func urlSafe(s string) string {
	return strings.NewReplacer("+", "-", "/", "_").Replace(s)
}

func TestCanvasVerifyRefuses(t *testing.T) {
	real, realSecret := realCanvasFixture(t)
	realSig, realEnvelope, _ := strings.Cut(real, ".")
	realJSON, err := base64.StdEncoding.DecodeString(realEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	syntheticJSON, err := base64.StdEncoding.DecodeString(syntheticCanvasEnvelope)
	if err != nil {
		t.Fatal(err)
	}
	urlSafeEnvelope := base64.URLEncoding.EncodeToString(syntheticJSON)
	if !strings.ContainsAny(urlSafeEnvelope, "-_") {
		t.Fatal("the URL-safe envelope must differ from the standard one for the test to mean anything")
	}
	signed := func(change func(m map[string]any)) string {
		m := canvasContext()
		change(m)
		return signCanvasJSON(t, testCanvasSecret, m)
	}
	hmacOf := func(secret, msg string) []byte {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(msg))
		return mac.Sum(nil)
	}
	big := signed(func(m map[string]any) { m["padding"] = strings.Repeat("x", MaxSignedRequest) })

	const (
		badSig  = crossview.EUNAUTHORIZED
		invalid = crossview.EINVALID
	)
	for _, tc := range []struct {
		name, secret, request, code string
	}{
		{"real request, secret \"wrong\"", "wrong", real, badSig},
		{"real request, empty secret", "", real, badSig},
		{"real request, one digit of the secret changed", "6375554712652875437", real, badSig},
		{"real request, the public suite's wrong secret", "invalid_app_secret", real, badSig},
		{"signed with an empty key, verified with an empty secret", "", signCanvas("", realEnvelope), badSig},
		{"envelope tampered", realSecret, realSig + "." + flipChar(realEnvelope, 100), badSig},
		{"envelope with a character appended", realSecret, real + "A", badSig},
		{"signature tampered", realSecret, flipChar(realSig, 5) + "." + realEnvelope, badSig},
		{"signature over the decoded JSON", realSecret,
			base64.StdEncoding.EncodeToString(hmacOf(realSecret, string(realJSON))) + "." + realEnvelope, badSig},
		{"URL-safe re-encoding of the real request", realSecret, urlSafe(real), badSig},
		{"URL-safe re-encoding without padding", realSecret,
			strings.TrimRight(urlSafe(realSig), "=") + "." + strings.TrimRight(realEnvelope, "="), badSig},
		{"URL-safe envelope under the original signature", syntheticCanvasSecret,
			syntheticCanvasSignature + "." + urlSafeEnvelope, badSig},
		{"URL-safe envelope, correctly signed", syntheticCanvasSecret,
			signCanvas(syntheticCanvasSecret, urlSafeEnvelope), invalid},
		{"no period", realSecret, realSig + realEnvelope, invalid},
		{"public suite's bla-bla-invalid_signed_request", realSecret, "bla-bla-invalid_signed_request", invalid},
		{"empty", realSecret, "", invalid},
		{"empty signature", realSecret, "." + realEnvelope, badSig},
		{"empty envelope", realSecret, realSig + ".", invalid},
		{"signature of 31 bytes", realSecret,
			base64.StdEncoding.EncodeToString(hmacOf(realSecret, realEnvelope)[:31]) + "." + realEnvelope, badSig},
		{"signature of 33 bytes", realSecret,
			base64.StdEncoding.EncodeToString(append(hmacOf(realSecret, realEnvelope), 0)) + "." + realEnvelope, badSig},
		{"signature with a line break", realSecret, realSig[:20] + "\n" + realSig[20:] + "." + realEnvelope, badSig},
		{"signature not base64", realSecret, strings.Repeat("!", 43) + "=." + realEnvelope, badSig},
		{"envelope not base64, correctly signed", testCanvasSecret, signCanvas(testCanvasSecret, "not*base64!"), invalid},
		{"envelope not JSON, correctly signed", testCanvasSecret,
			signCanvas(testCanvasSecret, base64.StdEncoding.EncodeToString([]byte("userId=005xx0000012345"))), invalid},
		{"envelope a JSON array, correctly signed", testCanvasSecret, signCanvasJSON(t, testCanvasSecret, []any{1}), invalid},
		{"algorithm HMACSHA1, correctly signed", testCanvasSecret,
			signed(func(m map[string]any) { m["algorithm"] = "HMACSHA1" }), badSig},
		{"algorithm empty, correctly signed", testCanvasSecret,
			signed(func(m map[string]any) { m["algorithm"] = "" }), badSig},
		{"no oauthToken", testCanvasSecret, signed(func(m map[string]any) { delete(at(m, "client"), "oauthToken") }), invalid},
		{"null oauthToken", testCanvasSecret, signed(func(m map[string]any) { at(m, "client")["oauthToken"] = nil }), invalid},
		{"oauthToken a number", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["oauthToken"] = 918273645546372819 }), invalid},
		{"no instanceUrl", testCanvasSecret, signed(func(m map[string]any) { delete(at(m, "client"), "instanceUrl") }), invalid},
		{"relative instanceUrl", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "/services/data" }), invalid},
		{"javascript: instanceUrl", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "javascript:alert(1)" }), invalid},
		{"http instanceUrl (the documentation's example form)", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "http://MyDomainName.my.salesforce.com:8080" }), invalid},
		{"instanceUrl not Salesforce's", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "https://evil.example" }), invalid},
		{"instanceUrl under a Salesforce-looking name", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "https://acme.my.salesforce.com.evil.example" }), invalid},
		{"instanceUrl with a path", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "https://acme.my.salesforce.com/x?" }), invalid},
		{"targetOrigin not Salesforce's", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["targetOrigin"] = "https://evil.example" }), invalid},
		{"targetOrigin over http", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["targetOrigin"] = "http://acme.my.salesforce.com" }), invalid},
		{"issuedAt two hours old", testCanvasSecret,
			signed(func(m map[string]any) { m["issuedAt"] = realIssuedAt.Add(-2 * time.Hour).Unix() }), badSig},
		{"issuedAt two hours ahead", testCanvasSecret,
			signed(func(m map[string]any) { m["issuedAt"] = realIssuedAt.Add(2 * time.Hour).Unix() }), badSig},
		{"issuedAt zero", testCanvasSecret, signed(func(m map[string]any) { m["issuedAt"] = 0 }), badSig},
		{"issuedAt negative", testCanvasSecret, signed(func(m map[string]any) { m["issuedAt"] = -1 }), invalid},
		{"issuedAt of an unknown shape", testCanvasSecret,
			signed(func(m map[string]any) { m["issuedAt"] = "2013-11-19T00:00:00Z" }), invalid},
		{"instanceUrl with credentials", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "client")["instanceUrl"] = "https://u:p@x.my.salesforce.com" }), invalid},
		{"no org id", testCanvasSecret,
			signed(func(m map[string]any) { delete(at(m, "context", "organization"), "organizationId") }), invalid},
		{"org id of a user", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "context", "organization")["organizationId"] = "005xx0000012345AAA" }), invalid},
		{"no user id", testCanvasSecret, signed(func(m map[string]any) {
			delete(m, "userId")
			delete(at(m, "context", "user"), "userId")
		}), invalid},
		{"two different users", testCanvasSecret, signed(func(m map[string]any) { m["userId"] = "005xx0000099999" }), invalid},
		{"user id not an id", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "context", "user")["userId"] = "005xx00000'OR'1" }), invalid},
		{"recordId an unresolved merge field", testCanvasSecret, signed(func(m map[string]any) {
			at(m, "context", "environment", "parameters")["recordId"] = "{!Account.Id}"
		}), invalid},
		{"recordId a number", testCanvasSecret,
			signed(func(m map[string]any) { at(m, "context", "environment", "parameters")["recordId"] = 7 }), invalid},
		{"record type that is not an object name", testCanvasSecret, signed(func(m map[string]any) {
			at(m, "context", "environment", "record", "attributes")["type"] = "Contact WHERE Id != null"
		}), invalid},
		{"oversized junk", realSecret, strings.Repeat("A", MaxSignedRequest+1), crossview.ETOOLARGE},
		{"oversized, correctly signed", testCanvasSecret, big, crossview.ETOOLARGE},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testCanvasVerifier(t, tc.secret).Verify(tc.request)
			if err == nil {
				t.Fatalf("Verify accepted it: org %s, user %s", got.OrgID, got.UserID)
			}
			var e *crossview.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *crossview.Error", err)
			}
			if e.Code != tc.code {
				t.Errorf("code = %q, want %q (%v)", e.Code, tc.code, err)
			}
			if tc.code == badSig && e.Message != "The Salesforce signature could not be verified." && !strings.Contains(e.Message, "not current") {
				t.Errorf("message = %q", e.Message)
			}
			if !reflect.DeepEqual(got, CanvasRequest{}) {
				t.Errorf("a refused request still returned data: %v", got)
			}
			_, envelope, _ := strings.Cut(tc.request, ".")
			assertNoLeak(t, err.Error(), "00DR00000008bPC!AQ8AQ", "00Dxx0000000001!AQ0AQ", "918273645546", envelope[:min(len(envelope), 40)])
		})
	}
}

// assertNoLeak fails when s contains any non-empty secret.
func assertNoLeak(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if len(secret) >= 8 && strings.Contains(s, secret) {
			t.Errorf("%q leaks %.12s…", s, secret)
		}
	}
}

// The real request verifies only near the time it was issued: replayed a
// day later it is refused, and the message says to reload.
func TestCanvasVerifyRealRequestLater(t *testing.T) {
	real, secret := realCanvasFixture(t)
	v := testCanvasVerifier(t, secret)
	v.now = func() time.Time { return realIssuedAt.Add(24 * time.Hour) }
	got, err := v.Verify(real)
	if crossview.ErrorCode(err) != crossview.EUNAUTHORIZED || !strings.Contains(crossview.ErrorMessage(err), "reload") {
		t.Fatalf("Verify a day late = %v", err)
	}
	if !reflect.DeepEqual(got, CanvasRequest{}) {
		t.Errorf("a refused request still returned data: %v", got)
	}
}

func TestCanvasVerifyAcceptsLargeRequestUnderTheLimit(t *testing.T) {
	m := canvasContext()
	m["padding"] = strings.Repeat("x", MaxSignedRequest*3/4-2000)
	req := signCanvasJSON(t, testCanvasSecret, m)
	if len(req) > MaxSignedRequest || len(req) < MaxSignedRequest-4000 {
		t.Fatalf("test request is %d bytes, want just under %d", len(req), MaxSignedRequest)
	}
	if _, err := testCanvasVerifier(t, testCanvasSecret).Verify(req); err != nil {
		t.Fatalf("Verify(%d bytes): %v", len(req), err)
	}
}

func TestCanvasRequestNeverPrintsToken(t *testing.T) {
	real, secret := realCanvasFixture(t)
	r, err := testCanvasVerifier(t, secret).Verify(real)
	if err != nil {
		t.Fatal(err)
	}
	token := r.OAuthToken
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("canvas", "request", r, "ptr", &r)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("canvas", "request", r, "ptr", &r)
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"slog": logs.String(), "json.Marshal": string(js)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		outputs[verb] = fmt.Sprintf(verb, r)
		outputs[verb+" of a pointer"] = fmt.Sprintf(verb, &r)
		outputs[verb+" in a slice"] = fmt.Sprintf(verb, []CanvasRequest{r})
	}
	for name, out := range outputs {
		for _, leak := range []string{token, token[16:40], hex.EncodeToString([]byte(token[16:40]))} {
			if strings.Contains(strings.ToLower(out), strings.ToLower(leak)) {
				t.Errorf("%s leaks the OAuth token", name)
			}
		}
	}
	// Redaction must keep the rest useful.
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if out := outputs[verb]; !strings.Contains(out, "00DR00000008bPCMAY") || !strings.Contains(out, "[redacted]") {
			t.Errorf("%s = %s, want the org id and a redaction mark", verb, out)
		}
	}
	if r.OAuthToken != token {
		t.Error("printing changed the request's token")
	}
}

func TestCanvasVerifierNeverPrintsSecret(t *testing.T) {
	const secret = "canvas-consumer-secret-0123456789"
	v := testCanvasVerifier(t, secret)
	// The key is held as bytes, so look for them printed as numbers too.
	leaks := []string{secret, hex.EncodeToString([]byte(secret)), strings.Trim(fmt.Sprintf("%d", []byte(secret)), "[]")[:30]}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q", "%d"} {
		for _, out := range []string{fmt.Sprintf(verb, v), fmt.Sprintf(verb, *v)} {
			for _, leak := range leaks {
				if strings.Contains(out, leak) {
					t.Errorf("%s of a verifier leaks the secret: %s", verb, out)
				}
			}
		}
	}
}
