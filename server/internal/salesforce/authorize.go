package salesforce

import (
	"golang.org/x/oauth2"

	"github.com/crossview/crossview/server/internal/crossview"
)

// AuthorizeURL is where an admin signs in to connect an org: the
// web-server flow on the environment's login host, with state and a PKCE
// challenge (S256) for verifier.
func (c *Client) AuthorizeURL(env crossview.Environment, redirectURL, state, verifier string) string {
	return c.OAuthConfig(env, redirectURL).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("prompt", "login"))
}
