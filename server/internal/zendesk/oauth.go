package zendesk

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// adminScope is what admin sign-in asks for: enough to read the signed-in
// user and to act for the account afterwards.
const adminScope = "read write"

// OAuthClient is Crossview's OAuth client registered in a Zendesk account.
type OAuthClient struct {
	ClientID, ClientSecret string
}

// OAuthToken is what a code exchange grants. It is a secret: String hides it.
type OAuthToken struct {
	AccessToken, RefreshToken, Scope string
	// ExpiresAt is when the access token stops working; zero if Zendesk
	// did not say.
	ExpiresAt time.Time
}

// String hides the tokens so one printed by mistake leaks nothing.
func (t OAuthToken) String() string {
	return fmt.Sprintf("zendesk.OAuthToken{redacted, scope %q, expires %s}", t.Scope, t.ExpiresAt.Format(time.RFC3339))
}

// GoString hides the tokens from %#v as well.
func (t OAuthToken) GoString() string { return t.String() }

// OAuthError is an error answer from Zendesk's OAuth token endpoint, e.g.
// invalid_grant for a used, expired or wrong-verifier code, or
// invalid_client for a wrong client secret. It never holds the code, the
// verifier or the secret.
type OAuthError struct {
	Status      int
	Code        string
	Description string
}

func (e *OAuthError) Error() string {
	return fmt.Sprintf("zendesk oauth: HTTP %d %s: %s", e.Status, e.Code, e.Description)
}

// NewPKCEVerifier returns a fresh PKCE code verifier: 32 random bytes,
// base64url, 43 characters as RFC 7636 asks.
func NewPKCEVerifier() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// AuthorizeURL is where an admin signs in: the account's
// /oauth/authorizations/new with response_type=code, client_id,
// redirect_uri, scope "read write", state and the S256 code_challenge of
// verifier. Keep verifier and state server-side until the callback.
func (c *Client) AuthorizeURL(subdomain string, oc OAuthClient, redirectURI, state, verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{
		"response_type":         {"code"},
		"client_id":             {oc.ClientID},
		"redirect_uri":          {redirectURI},
		"scope":                 {adminScope},
		"state":                 {state},
		"code_challenge":        {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"},
	}
	// Encode writes spaces as '+'; any '+' in a value is already %2B, so
	// this gives the %20 form Zendesk's own tools send.
	return c.BaseURL(subdomain) + "/oauth/authorizations/new?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// Exchange trades an authorization code, with the PKCE verifier it was
// issued against, for tokens at the account's /oauth/tokens. Zendesk's
// refusals come back as *OAuthError. A code is spent by any attempt,
// successful or not.
func (c *Client) Exchange(ctx context.Context, subdomain string, oc OAuthClient, code, verifier, redirectURI string) (OAuthToken, error) {
	if !crossview.ValidSubdomain(subdomain) {
		return OAuthToken{}, fmt.Errorf("zendesk oauth: invalid subdomain %q", subdomain)
	}
	if code == "" || verifier == "" {
		return OAuthToken{}, errors.New("zendesk oauth: exchanging a code needs the code and its PKCE verifier")
	}
	payload, err := json.Marshal(map[string]string{
		"grant_type": "authorization_code", "code": code, "code_verifier": verifier,
		"client_id": oc.ClientID, "client_secret": oc.ClientSecret, "redirect_uri": redirectURI,
	})
	if err != nil {
		return OAuthToken{}, fmt.Errorf("zendesk oauth: encoding the token request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL(subdomain)+"/oauth/tokens", bytes.NewReader(payload))
	if err != nil {
		return OAuthToken{}, fmt.Errorf("zendesk oauth: building the token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	start := c.now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.observe(subdomain, outcomeOf(ctx, err), start)
		// The URL holds no secret: they all travel in the body.
		return OAuthToken{}, fmt.Errorf("zendesk oauth: exchanging the code: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	c.observe(subdomain, strconv.Itoa(resp.StatusCode), start)
	if err != nil {
		return OAuthToken{}, fmt.Errorf("zendesk oauth: reading the token answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		e := parseOAuthError(resp.StatusCode, b)
		// Zendesk does not echo them, but a proxy's error page might.
		for _, s := range []string{code, verifier, oc.ClientSecret} {
			if s != "" {
				e.Description = strings.ReplaceAll(e.Description, s, "[redacted]")
			}
		}
		return OAuthToken{}, e
	}
	var tr struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		TokenType    string `json:"token_type"`
		Scope        string `json:"scope"`
		ExpiresIn    int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		return OAuthToken{}, errors.New("zendesk oauth: the token answer is not JSON")
	}
	if tr.AccessToken == "" || !strings.EqualFold(tr.TokenType, "bearer") {
		return OAuthToken{}, fmt.Errorf("zendesk oauth: the token answer has no bearer token (token_type %q)", tr.TokenType)
	}
	tok := OAuthToken{AccessToken: tr.AccessToken, RefreshToken: tr.RefreshToken, Scope: tr.Scope}
	if tr.ExpiresIn > 0 {
		tok.ExpiresAt = c.now().Add(time.Duration(tr.ExpiresIn) * time.Second)
	}
	return tok, nil
}

// parseOAuthError reads {"error","error_description"}, or names the status
// when the body is something else.
func parseOAuthError(status int, body []byte) *OAuthError {
	e := &OAuthError{Status: status}
	var obj struct {
		Error string `json:"error"`
		Desc  string `json:"error_description"`
	}
	if json.Unmarshal(body, &obj) == nil && obj.Error != "" {
		e.Code, e.Description = obj.Error, obj.Desc
		return e
	}
	e.Code, e.Description = "http_"+strconv.Itoa(status), snippet(body)
	if e.Description == "" {
		e.Description = http.StatusText(status)
	}
	return e
}

// UserRole reads a Zendesk user's role ("admin", "agent", "end-user") and
// whether the user is active, with the tenant's own credentials, so a
// health check can notice that the admin who connected Crossview lost the
// role. A user Zendesk no longer has is reported as role "" and inactive,
// which is what it means for that check, not as an error.
func (c *Client) UserRole(ctx context.Context, t crossview.Tenant, userID int64) (role string, active bool, err error) {
	if userID <= 0 {
		return "", false, fmt.Errorf("zendesk: reading a user's role: invalid user id %d", userID)
	}
	u, err := c.User(ctx, t.Subdomain, CredentialsOf(t), userID)
	if IsNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, UserError(err)
	}
	return u.Role, u.Active, nil
}
