// Package zendesk is Crossview's REST client for Zendesk accounts: API-token
// and OAuth auth, typed errors from every error shape Zendesk answers with
// (two JSON shapes and text/plain), and rate limits respected: a 429's
// Retry-After holds further calls to that account until it passes.
package zendesk
