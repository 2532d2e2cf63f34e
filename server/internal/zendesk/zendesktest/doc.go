// Package zendesktest is an in-memory Zendesk emulator for tests and the
// sandbox: a real HTTP server on a loopback listener that hosts many
// Zendesk accounts, each under <server URL>/<subdomain>, and speaks the
// documented wire format (paths, JSON shapes, status codes, error bodies,
// rate-limit headers, pagination, OAuth, app public keys and signed
// webhooks) as recorded in reference/zendesk-api.md.
//
// It serves tickets (create, show, show_many, update with comments,
// delete, metrics, comments), users, organizations, groups, brands,
// ticket forms, search, the cursor-based incremental ticket export and the
// time-based ticket event export, triggers and webhooks, the bulk writes
// data sync uses (users/create_or_update_many, create_many and
// update_many, organizations/create_many and update_many,
// organization_memberships/create_many and destroy_many) with job
// statuses, show_many by ids or external_ids, the user list (filtered by
// role) and the organization list, user and organization fields, and
// agent pages
// at <base>/agent/tickets/{id}, /agent/users/{id} and
// /agent/organizations/{id} for the links Crossview shows.
//
// Every ticket change, through the API or the Go helpers (AddTicket,
// UpdateTicket, AddComment), is recorded as an audit (the ticket events
// export and metrics read them), sent to webhooks subscribed to Zendesk
// events, and run through the active triggers, whose notification_webhook
// actions are delivered with their placeholders rendered and signed as
// Zendesk signs them.
//
// It is deliberately strict: what Zendesk rejects, it rejects, so a client
// that passes against it has a fair chance against the real API. Where the
// reference leaves a detail open the emulator makes one documented choice:
//
//   - an over-limit request gets 429, Retry-After in whole seconds and the
//     JSON body {"error":"APIRateLimitExceeded","description":...}; the
//     incremental exports have their own limit of 10 a minute (30 with
//     AccountSpec.HighVolumeAPI) on top of the account's;
//   - SetFailure(500) answers JSON {"error":"InternalServerError",...};
//     502, 503 and 504 answer text/plain, as Zendesk's edge does;
//   - a POST or PUT whose Content-Type is not application/json gets 400
//     {"error":"InvalidContentType",...} before its body is read (a PATCH
//     may also send application/merge-patch+json);
//   - an unknown API path gets 404 {"error":"InvalidEndpoint",...}; an
//     unknown agent page an HTML 404;
//   - the Webhooks API answers errors as {"errors":[{"code","title",
//     "detail","source":{"pointer"}}]}: 400 InvalidInput, 404 NotFound; a
//     PUT or PATCH answers 204, a secret reset 201;
//   - trigger validation errors are 422 RecordInvalid with details keyed
//     by title, conditions, actions or base; a notification_webhook body
//     must be valid JSON for a JSON webhook;
//   - triggers carry out only notification_webhook; other actions are
//     stored, not applied;
//   - placeholders render JSON-, XML- or form-escaped for the webhook's
//     request format; {{ticket.status}}, {{ticket.priority}} and
//     {{ticket.ticket_type}} show capitalized names ("Open", "-" when
//     unset); Liquid filters and tags are not supported;
//   - webhook retries follow Zendesk's documented rules: a 409 is retried
//     up to three times, a 429 or 503 with a Retry-After under a minute
//     after that delay (up to three times), a timeout or connection
//     failure up to five times; other answers are final; there is no
//     circuit breaker;
//   - the ticket event export never splits a second across pages, and
//     without include=comment_events shows a comment as comment_present
//     and comment_public only;
//   - bulk jobs answer 200 with a queued job_status and run right after
//     (SetJobDelay holds them back); beyond the job limit (30 jobs of
//     the account queued or working) a bulk write is refused with 429,
//     Retry-After and {"error":"TooManyJobs"} (the limit is documented,
//     the error code is not: the client keys on the 429); a refused record's result is
//     {"index","success":false,"error","details"} plus the external_id,
//     email or id the request gave; users/create_or_update_many is 403
//     unless AccountSpec.BulkUserImports is set, as Zendesk leaves it off;
//     Zendesk has no organizations/create_or_update_many, so neither has
//     the emulator; an existing user's primary email and phone stay, a
//     new one becomes another identity; an email identity, primary or
//     secondary, belongs to one user only, and users are found by any of
//     theirs (create_or_update matches on it, a taken one is refused);
//   - custom user and organization field values are checked by type
//     (dropdown values against their options); unknown keys are ignored;
//   - OAuth access tokens from the code flow live for 7200 s unless the
//     client asks for expires_in (301..172799); refresh tokens for 30 days.
//
// Knobs (SetLatency, SetFailure, RateLimitFor, RevokeTokens,
// ExpireOAuthTokens, SetSearchIndexLag, RotateAppKey, SetDeliveryFaults,
// DropNextDeliveries, SetJobDelay, SetOtherUsage) let tests make an account slow, failing,
// rate-limited or revoked, and its webhook deliveries lost, doubled,
// late or out of order. Stats, Calls and ResetStats count requests per
// endpoint; Deliveries lists every delivery attempt. Everything is safe
// for concurrent use.
package zendesktest
