package auth

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// MaxSignedRequest is the largest signed request accepted (64 KiB); real
// ones are a few KiB.
const MaxSignedRequest = 64 << 10

const (
	// canvasAlgorithm is the only signing algorithm Salesforce documents.
	canvasAlgorithm = "HMACSHA256"
	// CanvasWindow is how far from now a request's issuedAt may be: a
	// captured request replays only this long (clock skew included).
	CanvasWindow = 15 * time.Minute
	// Messages shown to users carry nothing from the request.
	msgCanvasSignature = "The Salesforce signature could not be verified."
	msgCanvasMalformed = "The Salesforce signed request is malformed."
	msgCanvasContext   = "The Salesforce Canvas context could not be read."
)

// CanvasRequest is what a verified Salesforce Canvas signed request says:
// who is looking, from which org, at which record, with which token.
type CanvasRequest struct {
	Algorithm string
	// IssuedAt is nil when the envelope has null or none (documented "for
	// internal use only"); when present it was within CanvasWindow of now.
	IssuedAt *time.Time
	// UserID is 18 characters, from context.user.userId (or userId).
	UserID string
	// The rest of context.user.
	UserName, UserEmail, UserFullName, Locale, TimeZone, UserType string
	// OrgID is 18 characters.
	OrgID, OrgName string
	// InstanceURL is client.instanceUrl, an https origin on an allowed
	// Salesforce host.
	InstanceURL string
	// OAuthToken is client.oauthToken, the viewing user's own access token.
	// String, GoString and Format redact it; JSON encoding skips it.
	OAuthToken string `json:"-"`
	// TargetOrigin is client.targetOrigin, "" or like InstanceURL.
	TargetOrigin string
	// RecordID is 18 characters, from environment.parameters.recordId, else
	// environment.record.Id; "" when the app is not on a record.
	RecordID string
	// RecordType is environment.parameters.sObjectName, else
	// environment.record.attributes.type, else "".
	RecordType      string
	DisplayLocation string
	SubLocation     string // from "subLocation" or "sublocation"
	Parameters      map[string]any
	APIVersion      string // environment.version.api, e.g. "66.0"
}

// redactedCanvasRequest drops CanvasRequest's methods so formatting it
// cannot recurse.
type redactedCanvasRequest CanvasRequest

func (r CanvasRequest) redacted() redactedCanvasRequest {
	c := redactedCanvasRequest(r)
	if c.OAuthToken != "" {
		c.OAuthToken = "[redacted]"
	}
	return c
}

// String prints the request with the OAuth token redacted.
func (r CanvasRequest) String() string {
	return fmt.Sprintf("auth.CanvasRequest%+v", r.redacted())
}

// GoString prints the request as Go syntax with the OAuth token redacted.
func (r CanvasRequest) GoString() string {
	return strings.Replace(fmt.Sprintf("%#v", r.redacted()), "auth.redactedCanvasRequest", "auth.CanvasRequest", 1)
}

// Format makes every verb, not only %v and %s, print the redacted form.
func (r CanvasRequest) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, r.GoString())
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), r.String())
}

// CanvasVerifier verifies Canvas signed requests with a connected app's (or
// external client app's) consumer secret. It is safe for concurrent use.
type CanvasVerifier struct {
	key   []byte
	hosts crossview.InstanceHosts
	now   func() time.Time
}

// NewCanvasVerifier returns a verifier for consumerSecret. With an empty
// secret every request is refused, since anyone can sign with an empty key.
// hosts are where the envelope's instance URL and target origin may point:
// the viewing user's token is sent to the first, the second may frame the
// panel.
func NewCanvasVerifier(consumerSecret string, hosts crossview.InstanceHosts, now func() time.Time) *CanvasVerifier {
	return &CanvasVerifier{key: []byte(consumerSecret), hosts: hosts, now: now}
}

// Format keeps the consumer secret out of anything that prints a verifier.
func (CanvasVerifier) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "auth.CanvasVerifier{redacted}")
}

// Verify checks a signed_request, base64(HMAC-SHA256(secret, envelope)) +
// "." + envelope with both parts standard padded base64, and returns what
// its envelope says. Errors are *crossview.Error: ETOOLARGE, EUNAUTHORIZED
// for any signature failure or an issuedAt outside CanvasWindow, EINVALID
// for malformed input or a context without the org, the user, the token or
// an instance URL on an allowed Salesforce host.
func (v *CanvasVerifier) Verify(signedRequest string) (CanvasRequest, error) {
	if len(signedRequest) > MaxSignedRequest {
		return CanvasRequest{}, crossview.Errorf(crossview.ETOOLARGE, "The Salesforce signed request is larger than 64 KiB.")
	}
	// base64 holds no period: the envelope is all after the first one.
	sig, envelope, ok := strings.Cut(signedRequest, ".")
	if !ok || envelope == "" {
		return CanvasRequest{}, crossview.Wrap(crossview.EINVALID, msgCanvasMalformed,
			errors.New("auth: verifying canvas request: no signature and envelope separated by a period"))
	}
	if err := v.checkSignature(sig, envelope); err != nil {
		return CanvasRequest{}, crossview.Wrap(crossview.EUNAUTHORIZED, msgCanvasSignature, err)
	}
	// Only now, with the envelope known to come from Salesforce, decode it.
	// StdEncoding refuses the URL-safe alphabet; nothing falls back to it.
	js, err := base64.StdEncoding.DecodeString(envelope)
	if err != nil {
		return CanvasRequest{}, crossview.Wrap(crossview.EINVALID, msgCanvasContext,
			fmt.Errorf("auth: decoding canvas envelope: %w", err))
	}
	var env canvasEnvelope
	if err := json.Unmarshal(js, &env); err != nil {
		return CanvasRequest{}, crossview.Wrap(crossview.EINVALID, msgCanvasContext, jsonProblem(err))
	}
	if env.Algorithm != nil && *env.Algorithm != canvasAlgorithm {
		// Signed with our key yet claiming another algorithm: not verified.
		return CanvasRequest{}, crossview.Wrap(crossview.EUNAUTHORIZED, msgCanvasSignature,
			errors.New("auth: verifying canvas request: algorithm is not HMACSHA256"))
	}
	r, err := env.request(v.hosts)
	if err != nil {
		return CanvasRequest{}, err
	}
	if r.IssuedAt != nil && absDuration(v.now().Sub(*r.IssuedAt)) > CanvasWindow {
		return CanvasRequest{}, crossview.Errorf(crossview.EUNAUTHORIZED,
			"The Salesforce signed request is not current (issued more than %d minutes from now); reload the page.", int(CanvasWindow.Minutes()))
	}
	return r, nil
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// checkSignature compares, in constant time, the signature with the
// HMAC-SHA256 of the envelope text as received. Errors never quote input.
func (v *CanvasVerifier) checkSignature(sig, envelope string) error {
	if len(v.key) == 0 {
		return errors.New("auth: verifying canvas signature: no consumer secret is configured")
	}
	if want := base64.StdEncoding.EncodedLen(sha256.Size); len(sig) != want {
		return fmt.Errorf("auth: verifying canvas signature: %d characters, want %d", len(sig), want)
	}
	got, err := base64.StdEncoding.Strict().DecodeString(sig)
	if err != nil {
		return fmt.Errorf("auth: verifying canvas signature: not standard base64: %w", err)
	}
	if len(got) != sha256.Size {
		return fmt.Errorf("auth: verifying canvas signature: %d bytes, want %d", len(got), sha256.Size)
	}
	mac := hmac.New(sha256.New, v.key)
	_, _ = io.WriteString(mac, envelope)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("auth: verifying canvas signature: signature does not match")
	}
	return nil
}

// jsonProblem describes a JSON error without quoting the envelope, whose
// values include the token.
func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return fmt.Errorf("auth: decoding canvas context: invalid JSON at byte %d", syntax.Offset)
	case errors.As(err, &typ): // not typ.Value: "number 12" carries the value
		return fmt.Errorf("auth: decoding canvas context: %s has the wrong JSON type", typ.Field)
	}
	return errors.New("auth: decoding canvas context: not a CanvasRequest object")
}

// canvasEnvelope is the part of the CanvasRequest JSON that Crossview
// reads. Unknown fields are ignored, as Salesforce adds them over time;
// null leaves a string empty. Every key is tagged: encoding/json would
// match case-insensitively anyway, json/v2 would not.
type canvasEnvelope struct {
	Algorithm *string         `json:"algorithm"`
	IssuedAt  json.RawMessage `json:"issuedAt"`
	UserID    string          `json:"userId"`
	Client    struct {
		InstanceURL  string `json:"instanceUrl"`
		OAuthToken   string `json:"oauthToken"`
		TargetOrigin string `json:"targetOrigin"`
	} `json:"client"`
	Context struct {
		User struct {
			UserID   string `json:"userId"`
			UserName string `json:"userName"`
			Email    string `json:"email"`
			FullName string `json:"fullName"`
			Locale   string `json:"locale"`
			TimeZone string `json:"timeZone"`
			UserType string `json:"userType"`
		} `json:"user"`
		Organization struct {
			OrganizationID string `json:"organizationId"`
			Name           string `json:"name"`
		} `json:"organization"`
		Environment struct {
			DisplayLocation string `json:"displayLocation"`
			// The documentation spells it subLocation, real orgs have sent
			// sublocation; exact matches win, so each lands in its field.
			SubLocation      string         `json:"subLocation"`
			SubLocationLower string         `json:"sublocation"`
			Parameters       map[string]any `json:"parameters"`
			Record           struct {
				Attributes struct {
					Type string `json:"type"`
				} `json:"attributes"`
				ID string `json:"Id"`
			} `json:"record"`
			Version struct {
				API string `json:"api"`
			} `json:"version"`
		} `json:"environment"`
	} `json:"context"`
}

// request checks the fields Crossview cannot work without and converts ids
// to 18 characters.
func (e *canvasEnvelope) request(hosts crossview.InstanceHosts) (CanvasRequest, error) {
	user, org, env := &e.Context.User, &e.Context.Organization, &e.Context.Environment
	issued, ok := issuedAt(e.IssuedAt)
	if !ok {
		return CanvasRequest{}, canvasInvalid("issue time", nil)
	}
	r := CanvasRequest{
		Algorithm: canvasAlgorithm, IssuedAt: issued,
		UserName: user.UserName, UserEmail: user.Email, UserFullName: user.FullName,
		Locale: user.Locale, TimeZone: user.TimeZone, UserType: user.UserType,
		OrgName:     org.Name,
		InstanceURL: e.Client.InstanceURL, OAuthToken: e.Client.OAuthToken, TargetOrigin: e.Client.TargetOrigin,
		DisplayLocation: env.DisplayLocation, SubLocation: cmp.Or(env.SubLocation, env.SubLocationLower),
		Parameters: env.Parameters, APIVersion: env.Version.API,
	}
	var err error
	if r.OrgID, err = canvasID(org.OrganizationID, "00D", "organization id"); err != nil {
		return CanvasRequest{}, err
	}
	if r.UserID, err = canvasID(cmp.Or(user.UserID, e.UserID), "", "user id"); err != nil {
		return CanvasRequest{}, err
	}
	// The top-level userId is often the 15-character form; it must still
	// name the same user.
	if top, err := crossview.ID18(e.UserID); e.UserID != "" && (err != nil || top != r.UserID) {
		return CanvasRequest{}, canvasInvalid("user id", err)
	}
	if r.OAuthToken == "" {
		return CanvasRequest{}, canvasInvalid("OAuth token", nil)
	}
	if err := hosts.Check(r.InstanceURL); err != nil {
		return CanvasRequest{}, canvasInvalid("instance URL", err)
	}
	if err := hosts.Check(r.TargetOrigin); r.TargetOrigin != "" && err != nil {
		return CanvasRequest{}, canvasInvalid("target origin", err)
	}
	recordID, ok := stringParam(env.Parameters, "recordId", env.Record.ID)
	if !ok {
		return CanvasRequest{}, canvasInvalid("record id", nil)
	}
	if recordID != "" {
		if r.RecordID, err = canvasID(recordID, "", "record id"); err != nil {
			return CanvasRequest{}, err
		}
	}
	r.RecordType, ok = stringParam(env.Parameters, "sObjectName", env.Record.Attributes.Type)
	if !ok || r.RecordType != "" && !validObjectName(r.RecordType) {
		return CanvasRequest{}, canvasInvalid("record type", nil)
	}
	return r, nil
}

// stringParam returns the named Canvas parameter, or fallback when it is
// absent, null or empty; ok is false when it is not a string.
func stringParam(params map[string]any, name, fallback string) (v string, ok bool) {
	p, found := params[name]
	if !found || p == nil || p == "" {
		return fallback, true
	}
	v, ok = p.(string)
	return v, ok
}

// canvasID converts a required id, whose key prefix (object type) may be
// fixed, to 18 characters.
func canvasID(raw, prefix, what string) (string, error) {
	if raw == "" {
		return "", crossview.Errorf(crossview.EINVALID, "The Salesforce Canvas context has no %s.", what)
	}
	id, err := crossview.ID18(raw)
	if err != nil || !strings.HasPrefix(id, prefix) {
		return "", canvasInvalid(what, err)
	}
	return id, nil
}

// canvasInvalid reports a required field that is missing or unusable.
func canvasInvalid(what string, cause error) error {
	return crossview.Wrap(crossview.EINVALID, "The Salesforce Canvas context has no valid "+what+".", cause)
}

// issuedAt reads epoch seconds (as real orgs send it; a value past the
// year 5000 is read as milliseconds, as the token endpoint's issued_at is).
// Null or absent is nil and ok: the field is documented "for internal use
// only" and null in Salesforce's own example, so a request without it
// cannot be refused; one that has it is held to the window. Any other
// shape is not ok: a signed value that cannot be read as a time is not
// taken as a fresh one.
func issuedAt(raw json.RawMessage) (*time.Time, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true
	}
	var sec float64
	if json.Unmarshal(raw, &sec) != nil || sec < 0 || sec > 1<<53 {
		return nil, false
	}
	if sec > 1e11 {
		sec /= 1000
	}
	t := time.Unix(int64(sec), 0).UTC()
	return &t, true
}

// validObjectName accepts an sObject API name (Contact, ns__Thing__c), so a
// type can never inject into a query.
func validObjectName(s string) bool {
	return crossview.ValidFieldName(s) && !strings.Contains(s, ".")
}
