package auth

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/crossview/crossview/server/internal/crossview"
)

// maxJWT bounds the token we are willing to parse.
const maxJWT = 8 << 10

// TenantFinder looks up a tenant by subdomain.
type TenantFinder interface {
	Tenant(ctx context.Context, subdomain string) (crossview.Tenant, error)
}

// KeyFetcher fetches a Zendesk app's PEM public key.
type KeyFetcher interface {
	AppPublicKey(ctx context.Context, subdomain string, appID int64) ([]byte, error)
}

// ZAFOptions configures a ZAFVerifier.
type ZAFOptions struct {
	Tenants TenantFinder
	Keys    KeyFetcher
	// BaseURL maps a subdomain to its Zendesk base URL; the audience must be
	// an installation URL under it.
	BaseURL func(subdomain string) string
	Now     func() time.Time
	Logger  *slog.Logger
	// Leeway tolerates clock skew on exp/nbf/iat (default 30 s).
	Leeway time.Duration
	// RefetchEvery bounds how often a failing signature may trigger a key
	// refetch per tenant (default 1 minute), so forged tokens cannot make us
	// hammer Zendesk.
	RefetchEvery time.Duration
	// MaxLifetime caps exp − iat (default 10 minutes): Zendesk's tokens
	// live about 5, so a longer-lived one was not minted for a page load.
	MaxLifetime time.Duration
}

// ZAFVerifier verifies the JWT Zendesk POSTs to a signed-URL app location.
type ZAFVerifier struct {
	o  ZAFOptions
	mu sync.Mutex
	// keys caches each tenant's public key with when it was fetched.
	keys map[string]cachedKey
}

type cachedKey struct {
	appID     int64
	key       *rsa.PublicKey
	fetchedAt time.Time
}

// NewZAFVerifier returns a verifier.
func NewZAFVerifier(o ZAFOptions) *ZAFVerifier {
	if o.Leeway == 0 {
		o.Leeway = 30 * time.Second
	}
	if o.RefetchEvery == 0 {
		o.RefetchEvery = time.Minute
	}
	if o.MaxLifetime == 0 {
		o.MaxLifetime = 10 * time.Minute
	}
	return &ZAFVerifier{o: o, keys: map[string]cachedKey{}}
}

// zafClaims are the claims of a ZAF signed-URL token.
type zafClaims struct {
	jwt.RegisteredClaims
	Context struct {
		Product  string `json:"product"`
		Location string `json:"location"`
	} `json:"context"`
}

func unauthorized(msg string, cause error) error {
	return crossview.Wrap(crossview.EUNAUTHORIZED, msg, cause)
}

// Verify checks token and returns the Zendesk user it speaks for.
func (v *ZAFVerifier) Verify(ctx context.Context, token string) (crossview.Principal, error) {
	if token == "" {
		return crossview.Principal{}, unauthorized("This page must be opened by Zendesk: the signed token is missing.", nil)
	}
	if len(token) > maxJWT {
		return crossview.Principal{}, unauthorized("The Zendesk token is too large.", nil)
	}
	// The issuer names the tenant, so it is read before the signature can be
	// checked; nothing else from the unverified token is used.
	var peek zafClaims
	if _, _, err := jwt.NewParser().ParseUnverified(token, &peek); err != nil {
		return crossview.Principal{}, unauthorized("The Zendesk token is malformed.", err)
	}
	sub, ok := strings.CutSuffix(peek.Issuer, ".zendesk.com")
	if !ok || !crossview.ValidSubdomain(sub) {
		return crossview.Principal{}, unauthorized("The Zendesk token has an unexpected issuer.", nil)
	}
	tenant, err := v.o.Tenants.Tenant(ctx, sub)
	if errors.Is(err, crossview.ErrNotFound) {
		return crossview.Principal{}, unauthorized("This Zendesk account is not connected to Crossview.", err)
	}
	if err != nil {
		return crossview.Principal{}, fmt.Errorf("auth: loading tenant: %w", err)
	}
	if tenant.AppID == 0 {
		return crossview.Principal{}, unauthorized("The Crossview app's id is not registered for this Zendesk account; an admin sets it in Crossview's account settings.", nil)
	}
	key, fresh, err := v.key(ctx, tenant, false)
	if err != nil {
		return crossview.Principal{}, err
	}
	claims, err := v.parse(token, tenant, key)
	if errors.Is(err, jwt.ErrTokenSignatureInvalid) && !fresh {
		// The app key may have been rotated: refetch (rate-bounded) and retry.
		if key, fresh, err = v.key(ctx, tenant, true); err != nil {
			return crossview.Principal{}, err
		}
		if fresh {
			claims, err = v.parse(token, tenant, key)
		} else {
			err = jwt.ErrTokenSignatureInvalid
		}
	}
	var refused *crossview.Error
	if errors.As(err, &refused) {
		return crossview.Principal{}, refused
	}
	if err != nil {
		return crossview.Principal{}, unauthorized("The Zendesk token could not be verified.", err)
	}
	return crossview.Principal{
		Tenant:   tenant.Subdomain,
		UserID:   claims.Subject,
		Location: crossview.LocationZendeskSidebar,
		Expires:  claims.ExpiresAt.Time,
	}, nil
}

func (v *ZAFVerifier) parse(token string, tenant crossview.Tenant, key *rsa.PublicKey) (*zafClaims, error) {
	var c zafClaims
	_, err := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(tenant.Subdomain+".zendesk.com"),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.o.Leeway),
		jwt.WithTimeFunc(v.o.Now),
	).ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return key, nil })
	if err != nil {
		return nil, err
	}
	// The signature holds from here on: each refusal below names its reason.
	if c.IssuedAt == nil {
		return nil, unauthorized("The Zendesk token has no issue time (iat).", nil)
	}
	if c.ExpiresAt.Sub(c.IssuedAt.Time) > v.o.MaxLifetime {
		return nil, unauthorized("The Zendesk token lives longer than Zendesk's own tokens do.", nil)
	}
	if _, ok := positiveID(c.Subject); !ok {
		return nil, unauthorized("The Zendesk token does not name a Zendesk user (sub).", nil)
	}
	if err := v.checkAudience(c.Audience, tenant); err != nil {
		return nil, unauthorized("The Zendesk token is not for an installation of this Zendesk account's app.", err)
	}
	if c.Context.Product != "support" || c.Context.Location != "ticket_sidebar" {
		return nil, unauthorized("The Zendesk token is not for the ticket sidebar.",
			fmt.Errorf("auth: token is for %q/%q, not the support ticket sidebar", c.Context.Product, c.Context.Location))
	}
	return &c, nil
}

// checkAudience requires exactly one audience: an installation URL under the
// tenant's own base URL (and the registered installation, if any), with
// nothing after the id's ".json".
func (v *ZAFVerifier) checkAudience(aud jwt.ClaimStrings, tenant crossview.Tenant) error {
	if len(aud) != 1 {
		return errors.New("auth: token must have exactly one audience")
	}
	prefix := v.o.BaseURL(tenant.Subdomain) + "/api/v2/apps/installations/"
	rest, ok := strings.CutPrefix(aud[0], prefix)
	if !ok {
		return errors.New("auth: audience is not an installation of this account")
	}
	idText, ok := strings.CutSuffix(rest, ".json")
	id, canonical := positiveID(idText)
	if !ok || !canonical {
		return errors.New("auth: audience has no canonical installation id")
	}
	if tenant.InstallationID != 0 && id != tenant.InstallationID {
		return fmt.Errorf("auth: installation %d is not the registered one", id)
	}
	return nil
}

// positiveID parses a Zendesk id written canonically: decimal digits only,
// no sign, no leading zero, above zero and within int64.
func positiveID(s string) (int64, bool) {
	if s == "" || s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

// key returns the tenant's app key. refetch asks for a new one, which
// happens at most once per RefetchEvery. fresh reports whether the key was
// fetched by this call.
func (v *ZAFVerifier) key(ctx context.Context, tenant crossview.Tenant, refetch bool) (key *rsa.PublicKey, fresh bool, err error) {
	v.mu.Lock()
	c, ok := v.keys[tenant.Subdomain]
	v.mu.Unlock()
	now := v.o.Now()
	if ok && c.appID == tenant.AppID && (!refetch || now.Sub(c.fetchedAt) < v.o.RefetchEvery) {
		return c.key, false, nil
	}
	pemBytes, err := v.o.Keys.AppPublicKey(ctx, tenant.Subdomain, tenant.AppID)
	if err != nil {
		if ok && c.appID == tenant.AppID {
			// Keep verifying with the old key while Zendesk is unreachable.
			v.note("refetching app key failed", tenant.Subdomain, err)
			return c.key, false, nil
		}
		return nil, false, crossview.Wrap(crossview.EUNAVAILABLE, "Crossview could not fetch the Zendesk app's public key.", err)
	}
	pub, err := jwt.ParseRSAPublicKeyFromPEM(pemBytes)
	if err != nil {
		return nil, false, crossview.Wrap(crossview.EUNAVAILABLE, "The Zendesk app's public key is not a valid RSA key.", err)
	}
	v.mu.Lock()
	v.keys[tenant.Subdomain] = cachedKey{appID: tenant.AppID, key: pub, fetchedAt: now}
	v.mu.Unlock()
	return pub, true, nil
}

func (v *ZAFVerifier) note(msg, tenant string, err error) {
	if v.o.Logger != nil {
		v.o.Logger.Warn(msg, "tenant", tenant, "err", err)
	}
}
