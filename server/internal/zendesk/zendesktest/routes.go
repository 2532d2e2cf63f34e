package zendesktest

import "net/http"

// routes lists every endpoint the emulator serves, relative to an
// account's base URL.
func routes() []route {
	const get, put, post, del = http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete
	return []route{
		{get, "/api/v2/apps/{app_id}/public_key.pem", anonymous, "", handlePublicKey},
		{get, "/api/v2/apps/{app_id}/public_key", anonymous, "", handlePublicKey},

		{get, "/api/v2/tickets/show_many.json", agentOnly, "tickets", handleShowManyTickets},
		{get, "/api/v2/tickets/{id}.json", agentOnly, "tickets", handleShowTicket},
		{put, "/api/v2/tickets/{id}.json", agentOnly, "tickets", handleUpdateTicket},
		{del, "/api/v2/tickets/{id}.json", agentOnly, "tickets", handleDeleteTicket},

		{post, "/api/v2/tickets.json", agentOnly, "tickets", handleCreateTicket},
		{get, "/api/v2/tickets/{id}/comments.json", agentOnly, "tickets", handleListComments},
		{get, "/api/v2/tickets/{id}/metrics.json", agentOnly, "tickets", handleTicketMetrics},

		{get, "/api/v2/groups.json", agentOnly, "", handleListGroups},
		{get, "/api/v2/groups/{id}.json", agentOnly, "", handleShowGroup},
		{get, "/api/v2/brands.json", agentOnly, "", handleListBrands},
		{get, "/api/v2/brands/{id}.json", agentOnly, "", handleShowBrand},
		{get, "/api/v2/ticket_forms.json", anyUser, "", handleListTicketForms},
		{get, "/api/v2/ticket_forms/show_many.json", anyUser, "", handleShowManyTicketForms},
		{get, "/api/v2/ticket_forms/{id}.json", anyUser, "", handleShowTicketForm},

		{get, "/api/v2/users/me.json", anyUser, "users", handleMe},
		{get, "/api/v2/users/show_many.json", agentOnly, "users", handleShowManyUsers},
		{get, "/api/v2/users/search.json", agentOnly, "users", handleSearchUsers},
		{post, "/api/v2/users/create_or_update.json", agentOnly, "users", handleCreateOrUpdateUser},
		{post, "/api/v2/users/create_or_update_many.json", adminOnly, "users", handleCreateOrUpdateManyUsers},
		{get, "/api/v2/users/{id}.json", agentOnly, "users", handleShowUser},
		{get, "/api/v2/users/{id}/tickets/requested.json", agentOnly, "tickets", handleRequestedTickets},
		{get, "/api/v2/users/{id}/identities.json", agentOnly, "users", handleUserIdentities},
		{get, "/api/v2/users/{user_id}/group_memberships.json", agentOnly, "users", handleUserGroupMemberships},
		{get, "/api/v2/users/{user_id}/organization_memberships.json", agentOnly, "organizations", handleUserOrgMemberships},

		{get, "/api/v2/organizations/show_many.json", agentOnly, "organizations", handleShowManyOrgs},
		{get, "/api/v2/organizations/search.json", agentOnly, "organizations", handleSearchOrgs},
		{post, "/api/v2/organizations/create_or_update.json", agentOnly, "organizations", handleCreateOrUpdateOrg},
		{post, "/api/v2/organizations/create_many.json", adminOnly, "organizations", handleCreateManyOrgs},
		{put, "/api/v2/organizations/update_many.json", adminOnly, "organizations", handleUpdateManyOrgs},
		{post, "/api/v2/organization_memberships.json", agentOnly, "organizations", handleCreateOrgMembership},
		{post, "/api/v2/organization_memberships/create_many.json", adminOnly, "organizations", handleCreateManyOrgMemberships},

		{get, "/api/v2/job_statuses/show_many.json", agentOnly, "", handleShowManyJobStatuses},
		{get, "/api/v2/job_statuses/{job_id:token}.json", agentOnly, "", handleShowJobStatus},

		{get, "/api/v2/user_fields.json", anyUser, "users", handleListObjectFields},
		{post, "/api/v2/user_fields.json", adminOnly, "users", handleCreateObjectField},
		{get, "/api/v2/user_fields/{id}.json", anyUser, "users", handleShowObjectField},
		{get, "/api/v2/organization_fields.json", agentOnly, "organizations", handleListObjectFields},
		{post, "/api/v2/organization_fields.json", adminOnly, "organizations", handleCreateObjectField},
		{get, "/api/v2/organization_fields/{id}.json", agentOnly, "organizations", handleShowObjectField},
		{get, "/api/v2/organizations/{id}.json", agentOnly, "organizations", handleShowOrg},
		{get, "/api/v2/organizations/{id}/tickets.json", agentOnly, "tickets", handleOrgTickets},

		{get, "/api/v2/triggers.json", agentOnly, "triggers", handleListTriggers},
		{get, "/api/v2/triggers/active.json", agentOnly, "triggers", handleListTriggers},
		{post, "/api/v2/triggers.json", adminOnly, "triggers", handleCreateTrigger},
		{get, "/api/v2/triggers/{id}.json", agentOnly, "triggers", handleShowTrigger},
		{put, "/api/v2/triggers/{id}.json", adminOnly, "triggers", handleUpdateTrigger},
		{del, "/api/v2/triggers/{id}.json", adminOnly, "triggers", handleDeleteTrigger},

		{get, "/api/v2/webhooks", adminOnly, "webhooks", handleListWebhooks},
		{post, "/api/v2/webhooks", adminOnly, "webhooks", handleCreateWebhook},
		{get, "/api/v2/webhooks/{webhook_id:token}", adminOnly, "webhooks", handleShowWebhook},
		{put, "/api/v2/webhooks/{webhook_id:token}", adminOnly, "webhooks", handleUpdateWebhook},
		{http.MethodPatch, "/api/v2/webhooks/{webhook_id:token}", adminOnly, "webhooks", handleUpdateWebhook},
		{del, "/api/v2/webhooks/{webhook_id:token}", adminOnly, "webhooks", handleDeleteWebhook},
		{get, "/api/v2/webhooks/{webhook_id:token}/signing_secret", adminOnly, "webhooks", handleWebhookSecret},
		{post, "/api/v2/webhooks/{webhook_id:token}/signing_secret", adminOnly, "webhooks", handleWebhookSecret},

		{get, "/api/v2/search.json", agentOnly, "", handleSearch},
		{get, "/api/v2/incremental/tickets/cursor.json", adminOnly, "tickets", handleIncrementalTickets},
		{get, "/api/v2/incremental/ticket_events.json", adminOnly, "tickets", handleIncrementalTicketEvents},

		{del, "/api/v2/oauth/tokens/current.json", anyUser, "", handleRevokeCurrentToken},

		{get, "/agent/tickets/{id}", anonymous, "", handleAgentTicket},
		{get, "/agent/users/{id}", anonymous, "", handleAgentUser},
		{get, "/agent/organizations/{id}", anonymous, "", handleAgentOrganization},

		{get, "/oauth/authorizations/new", oauthFlow, "", handleAuthorizePage},
		{post, "/oauth/authorizations/new", oauthFlow, "", handleAuthorizeDecision},
		{post, "/oauth/authorizations", oauthFlow, "", handleAuthorizeDecision},
		{post, "/oauth/tokens", oauthFlow, "", handleToken},
	}
}
