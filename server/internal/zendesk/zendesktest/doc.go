// Package zendesktest is an in-memory Zendesk emulator for tests and the
// sandbox: a real HTTP server on a loopback listener that hosts many
// Zendesk accounts, each under <server URL>/<subdomain>, and speaks the
// documented wire format (paths, JSON shapes, status codes, error bodies,
// rate-limit headers, pagination, OAuth, app public keys and signed
// webhooks) as recorded in reference/zendesk-api.md.
//
// It is deliberately strict: what Zendesk rejects, it rejects, so a client
// that passes against it has a fair chance against the real API. Where the
// reference leaves a detail open the emulator makes one documented choice:
//
//   - an over-limit request gets 429, Retry-After in whole seconds and the
//     JSON body {"error":"APIRateLimitExceeded","description":...};
//   - SetFailure(500) answers JSON {"error":"InternalServerError",...};
//     502, 503 and 504 answer text/plain, as Zendesk's edge does;
//   - a POST or PUT whose Content-Type is not application/json gets 400
//     {"error":"InvalidContentType",...} before its body is read;
//   - an unknown API path gets 404 {"error":"InvalidEndpoint",...};
//   - OAuth access tokens from the code flow live for 7200 s unless the
//     client asks for expires_in (301..172799); refresh tokens for 30 days;
//   - webhooks are retried at most 3 times with backoff, on any non-2xx
//     answer or connection error.
//
// Knobs (SetLatency, SetFailure, RateLimitFor, RevokeTokens,
// ExpireOAuthTokens, SetSearchIndexLag, RotateAppKey) let tests make an
// account slow, failing, rate-limited or revoked. Everything is safe for
// concurrent use.
package zendesktest
