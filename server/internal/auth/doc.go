// Package auth establishes who is calling: it verifies Zendesk's signed-URL
// JWTs (RS256 with the app's public key) and Salesforce Canvas signed
// requests, and issues and checks Crossview's own short-lived panel tokens,
// which iframes send in a header because third-party cookies are blocked.
package auth
