package salesforcetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// canvasEnvelope is the part of a CanvasRequest the product reads.
type canvasEnvelope struct {
	Algorithm string `json:"algorithm"`
	IssuedAt  int64  `json:"issuedAt"`
	UserID    string `json:"userId"`
	Client    struct {
		InstanceURL  string  `json:"instanceUrl"`
		OAuthToken   string  `json:"oauthToken"`
		RefreshToken *string `json:"refreshToken"`
		TargetOrigin string  `json:"targetOrigin"`
	} `json:"client"`
	Context struct {
		User struct {
			UserID   string `json:"userId"`
			UserName string `json:"userName"`
			Email    string `json:"email"`
			FullName string `json:"fullName"`
			UserType string `json:"userType"`
		} `json:"user"`
		Organization struct {
			OrganizationID string `json:"organizationId"`
			Name           string `json:"name"`
		} `json:"organization"`
		Environment struct {
			DisplayLocation string         `json:"displayLocation"`
			Parameters      map[string]any `json:"parameters"`
			Record          struct {
				Attributes struct{ Type, URL string } `json:"attributes"`
				ID         string                     `json:"Id"`
			} `json:"record"`
			Version struct{ API, Season string } `json:"version"`
		} `json:"environment"`
		Links struct {
			RestURL string `json:"restUrl"`
		} `json:"links"`
	} `json:"context"`
}

func TestSignCanvasRequest(t *testing.T) {
	clk := newFakeClock()
	e := newEnv(t, Options{Now: clk.Now})
	contact := e.mustInsert(t, "Contact", map[string]any{"LastName": "O'Brien", "Email": "o'brien@example.com", "OwnerId": e.rep.ID})
	const secret = "canvas-consumer-secret"
	sr, err := e.cloud.SignCanvasRequest(e.org.ID(), e.rep.ID, contact[:15], "Contact", secret, map[string]any{"theme": "dark"})
	if err != nil {
		t.Fatalf("SignCanvasRequest: %v", err)
	}
	sig, envelope, ok := strings.Cut(sr, ".")
	if !ok || !strings.HasSuffix(sig, "=") {
		t.Fatalf("signed request %q is not sig.envelope with padded base64", sr)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(envelope))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); sig != want {
		t.Errorf("signature %s, want %s", sig, want)
	}
	wrong := hmac.New(sha256.New, []byte("other"))
	wrong.Write([]byte(envelope))
	if base64.StdEncoding.EncodeToString(wrong.Sum(nil)) == sig {
		t.Error("a wrong secret verifies")
	}
	raw, err := base64.StdEncoding.DecodeString(envelope)
	if err != nil {
		t.Fatalf("envelope is not standard base64: %v", err)
	}
	var req canvasEnvelope
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatalf("envelope JSON: %v", err)
	}
	if req.Algorithm != "HMACSHA256" || req.IssuedAt != clk.Now().Unix() || req.UserID != e.rep.ID[:15] ||
		req.Context.User.UserID != e.rep.ID || req.Context.User.UserName != "rep@acme.example" || req.Context.User.UserType != "STANDARD" ||
		req.Context.Organization.OrganizationID != e.org.ID() || req.Client.InstanceURL != e.org.InstanceURL() || req.Client.RefreshToken != nil {
		t.Errorf("envelope = %s", raw)
	}
	if full, _ := ID18(req.UserID); full != req.Context.User.UserID {
		t.Errorf("top-level userId %s does not expand to %s", req.UserID, req.Context.User.UserID)
	}
	env := req.Context.Environment
	if env.DisplayLocation != "PageLayout" || env.Parameters["recordId"] != contact || env.Parameters["theme"] != "dark" ||
		env.Record.ID != contact || env.Record.Attributes.Type != "Contact" || env.Record.Attributes.URL != "/services/data/v68.0/sobjects/Contact/"+contact {
		t.Errorf("environment = %+v", env)
	}
	// The token inside reads the record as the viewing user.
	r := e.soql(t, req.Client.OAuthToken, "SELECT Email FROM Contact WHERE Id = '"+env.Parameters["recordId"].(string)+"'")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"Email":"o'brien@example.com"`) {
		t.Errorf("query with the canvas token: %d %s", r.status, r.body)
	}

	hidden := e.mustInsert(t, "Contact", map[string]any{"LastName": "Hidden"})
	for _, bad := range []struct{ org, user, record, sobject, secret string }{
		{e.org.ID(), e.rep.ID, hidden, "Contact", secret},
		{e.org.ID(), e.rep.ID, contact, "Account", secret},
		{e.org.ID(), e.rep.ID, contact, "Contact", ""},
		{e.org.ID(), "005Dx000000zzzzAAA", contact, "Contact", secret},
		{"00DDx000000zzzzAAA", e.rep.ID, contact, "Contact", secret},
	} {
		if _, err := e.cloud.SignCanvasRequest(bad.org, bad.user, bad.record, bad.sobject, bad.secret, nil); err == nil {
			t.Errorf("SignCanvasRequest%+v succeeded", bad)
		}
	}
	noRecord, err := e.cloud.SignCanvasRequest(e.org.ID(), e.rep.ID, "", "", secret, nil)
	if err != nil || strings.Contains(decodeEnvelope(t, noRecord), `"record"`) {
		t.Errorf("without a record: %v %s", err, decodeEnvelope(t, noRecord))
	}
}

func decodeEnvelope(t *testing.T, sr string) string {
	t.Helper()
	_, env, _ := strings.Cut(sr, ".")
	raw, err := base64.StdEncoding.DecodeString(env)
	if err != nil {
		t.Fatalf("envelope: %v", err)
	}
	return string(raw)
}
