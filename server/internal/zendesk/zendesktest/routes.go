package zendesktest

import "net/http"

// routes lists every endpoint the emulator serves, relative to an
// account's base URL.
func routes() []route {
	const get, put, post, del = http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete
	return []route{
		{get, "/api/v2/apps/{app_id}/public_key.pem", anonymous, "", handlePublicKey},
		{get, "/api/v2/apps/{app_id}/public_key", anonymous, "", handlePublicKey},

		{get, "/api/v2/tickets/{id}.json", agentOnly, "tickets", handleShowTicket},
		{put, "/api/v2/tickets/{id}.json", agentOnly, "tickets", handleUpdateTicket},

		{get, "/api/v2/users/me.json", anyUser, "users", handleMe},
		{get, "/api/v2/users/show_many.json", agentOnly, "users", handleShowManyUsers},
		{get, "/api/v2/users/search.json", agentOnly, "users", handleSearchUsers},
		{post, "/api/v2/users/create_or_update.json", agentOnly, "users", handleCreateOrUpdateUser},
		{get, "/api/v2/users/{id}.json", agentOnly, "users", handleShowUser},
		{get, "/api/v2/users/{id}/tickets/requested.json", agentOnly, "tickets", handleRequestedTickets},
		{get, "/api/v2/users/{id}/identities.json", agentOnly, "users", handleUserIdentities},
		{get, "/api/v2/users/{user_id}/group_memberships.json", agentOnly, "users", handleUserGroupMemberships},
		{get, "/api/v2/users/{user_id}/organization_memberships.json", agentOnly, "organizations", handleUserOrgMemberships},

		{get, "/api/v2/organizations/show_many.json", agentOnly, "organizations", handleShowManyOrgs},
		{get, "/api/v2/organizations/search.json", agentOnly, "organizations", handleSearchOrgs},
		{post, "/api/v2/organizations/create_or_update.json", agentOnly, "organizations", handleCreateOrUpdateOrg},
		{get, "/api/v2/organizations/{id}.json", agentOnly, "organizations", handleShowOrg},
		{get, "/api/v2/organizations/{id}/tickets.json", agentOnly, "tickets", handleOrgTickets},

		{get, "/api/v2/search.json", agentOnly, "", handleSearch},
		{get, "/api/v2/incremental/tickets/cursor.json", adminOnly, "tickets", handleIncrementalTickets},

		{del, "/api/v2/oauth/tokens/current.json", anyUser, "", handleRevokeCurrentToken},

		{get, "/oauth/authorizations/new", oauthFlow, "", handleAuthorizePage},
		{post, "/oauth/authorizations/new", oauthFlow, "", handleAuthorizeDecision},
		{post, "/oauth/authorizations", oauthFlow, "", handleAuthorizeDecision},
		{post, "/oauth/tokens", oauthFlow, "", handleToken},
	}
}
