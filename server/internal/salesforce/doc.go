// Package salesforce is Crossview's REST client for Salesforce orgs: OAuth
// token handling per connection (refresh once on an expired session, however
// many requests see it), SOQL queries with paging, composite requests, typed
// errors from Salesforce's error bodies, and the API allowance read from
// Sforce-Limit-Info.
package salesforce
