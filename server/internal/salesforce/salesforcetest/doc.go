// Package salesforcetest is an in-memory Salesforce for tests and for the
// sandbox: one login host (OAuth authorize, token, revoke, identity) and one
// instance host per org (REST: versions, query and queryAll with a SOQL
// subset and query locators, sObject get/create/update/delete, upsert by
// external id, composite, sObject Collections, getUpdated and getDeleted,
// limits, describe), each on its own loopback listener, plus Canvas signed
// requests and Lightning-like pages for the record links Crossview shows
// (/lightning/r/{Object}/{Id}/view and friends, see lightning.go).
//
// It speaks the wire format recorded in shared/reference/salesforce-api.md
// and refuses what real Salesforce refuses, because a lenient fake makes every
// test above it worthless. Knobs on Org make it slow, failing, rate limited,
// expired or revoked while requests are in flight, add validation rules
// and field-level security, delete records behind a client's back, and
// count calls by kind (Stats.Calls).
//
// Typical use:
//
//	cloud, _ := salesforcetest.New(salesforcetest.Options{ClientID: id, ClientSecret: secret})
//	defer cloud.Close()
//	org, _ := cloud.AddOrg(salesforcetest.OrgSpec{Name: "Acme"})
//	admin := org.AddUser(salesforcetest.User{Username: "admin@acme.example",
//		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true}})
//	acc, _ := org.Insert("Account", map[string]any{"Name": "Acme"})
//	access, refresh := org.IssueTokens(admin.ID)
//
// Choices where the reference is silent (all deliberate, all strict):
//   - An API-only user signing in on the authorize page is redirected back
//     with error=access_denied, the way an OAuth server reports a refused
//     grant, so the client sees the refusal instead of a stuck login page.
//   - A refresh token is issued only when the granted scope includes
//     refresh_token or offline_access (no scope parameter grants
//     "refresh_token api id"); REST needs the api or full scope; openid is
//     refused because the emulator mints no id_token.
//   - A user needs Permissions.APIEnabled for any REST call (403
//     API_CURRENTLY_DISABLED otherwise); ModifyAllData implies seeing every
//     record (View All Data), as in Salesforce. /limits needs ViewSetup.
//   - Records seeded with Insert and no OwnerId belong to the org's first
//     user; records created through REST belong to the caller.
//   - Access tokens die after Options.SessionTimeout without use (default two
//     hours, the Salesforce default); the refresh token then gets a new one.
//   - SetFailure(500) answers [{"errorCode":"UNKNOWN_EXCEPTION",...}],
//     503 answers [{"errorCode":"SERVER_UNAVAILABLE",...}] and 502 answers a
//     plain HTML "502 Bad Gateway" page, as a load balancer would. Failed and
//     refused calls are not charged to the API limit.
//   - Composite references are @{refId.field} and @{refId.records[0].Field}
//     (any chain of .field and [n]) in subrequest URLs and in body strings; a
//     body string that is exactly one reference takes the value's JSON type.
//     A reference that resolves to nothing (a failed subrequest, an empty
//     query, a null) fails that subrequest with 400 PROCESSING_HALTED.
//     Going over 25 subrequests or 5 queries answers HTTP 400 with the
//     compositeResponse body Salesforce sends ([LIMIT_EXCEEDED], referenceId
//     null); other malformed requests get 400 INVALID_API_INPUT or
//     JSON_PARSER_ERROR.
//   - Fields defined with DefineField act as External ID fields when they
//     are string, email, int or double; AddField says so explicitly. Text
//     external ids match without regard to case.
//   - Writable objects: Account, Contact, Lead, Opportunity, Case and
//     CaseComment; User, Profile and Organization are read-only. Every org
//     has the ticket-sync Case fields (TicketKeyField, TicketURLField,
//     LastCommentField) unless OrgSpec.WithoutTicketSyncFields.
//   - Standard picklists hold the values of a new Developer Edition org
//     and are unrestricted, as in Salesforce; SetPicklist restricts one
//     (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST "Priority: bad value for
//     restricted picklist field: Urgent").
//   - A lookup to a record in the recycle bin gets 400 ENTITY_IS_DELETED
//     (fields []); to an id that does not exist, or was purged, 400
//     INVALID_CROSS_REFERENCE_KEY. A taken unique value gets 400
//     DUPLICATE_VALUE "duplicate value found: F duplicates value on record
//     with id: ID"; records in the recycle bin hold no unique values. A
//     lookup to a record the user cannot see gets 400
//     INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY.
//   - Writes are checked in this order: the body (unknown, read-only and
//     mistyped fields, lengths, picklists, lookups), required fields,
//     validation rules, unique values. Validation rules run on API writes,
//     not on seeds, with the org locked: Fails must not call the Org.
//   - sObject Collections: failed records carry no id, and their errors
//     are {statusCode, message, fields}. A record without attributes.type
//     fails the whole request (400 JSON_PARSER_ERROR); an unknown type
//     fails that record (INVALID_TYPE); so do an update without Id and an
//     upsert record without its key (MISSING_ARGUMENT), and a key given
//     twice in one upsert (DUPLICATE_EXTERNAL_ID). The 10-chunk limit on
//     mixed types is not enforced.
//   - Inside a composite, a collections subrequest counts toward the five
//     query-like subrequests; the composite's allOrNone makes its
//     collections all or none, and a collection with a failed record fails
//     the composite.
//   - Versions 31.0 to 68.0 are served and listed. A retired version (7.0
//     to 30.0) answers 410 GONE, as the API End-of-Life Policy documents,
//     with [{"errorCode":"UNSUPPORTED_API_VERSION",...}] (the policy names
//     only the status; the code is SOAP's for the same refusal); any other
//     version is 404 NOT_FOUND. Neither is charged to the API limit.
//   - Long text areas (textarea fields longer than 255 characters, such as
//     Description) can be selected but not filtered or sorted: 400
//     INVALID_FIELD "field 'Description' can not be filtered in a query
//     call", and describe says filterable, sortable and groupable false.
//   - getUpdated and getDeleted cut the seconds from start and end, cover
//     [start, end) but never past the current minute (latestDateCovered
//     says how far), and refuse with 400 INVALID_REPLICATION_DATE a start
//     not before end, a getUpdated start over 30 days back, and a
//     getDeleted start before earliestDateAvailable (15 days back, or the
//     deletion time of the last record Purge removed); a missing date is
//     400 MISSING_ARGUMENT. getUpdated lists live records by SystemModstamp.
//   - Contacts to Multiple Accounts is off until
//     EnableContactsToMultipleAccounts: AccountContactRelation then exists,
//     a Contact's AccountId is its one direct relationship (acr.go), and
//     only users who see all data see the relationships.
//   - A request whose URI and headers pass 16,384 bytes is refused before
//     the API, uncharged, with an HTML page: 414 when the URI alone does,
//     431 otherwise.
//   - SOQL: no GROUP BY, aggregates other than COUNT(), TYPEOF, WITH, FOR,
//     INCLUDES/EXCLUDES or custom relationships (__r); the error names the
//     keyword. As the SOQL docs require, mixing AND, OR and NOT needs
//     parentheses. Dates and date literals use UTC as the org time zone;
//     weeks start on Sunday; nulls sort first unless NULLS LAST.
package salesforcetest
