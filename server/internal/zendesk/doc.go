// Package zendesk is Crossview's REST client for Zendesk accounts: API-token
// and OAuth auth, typed errors from every error shape Zendesk answers with
// (two JSON shapes and text/plain), and rate limits respected: a 429's
// Retry-After holds further calls to that account until it passes.
//
// For ticket sync, SyncSource reads tickets (with every name resolved),
// their comments and the incremental exports, and SyncProvisioner makes and
// looks after the webhook and trigger that announce ticket changes.
package zendesk
