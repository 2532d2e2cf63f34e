package crossview

import "context"

// Store keeps tenants, connections and their tokens. Implementations must
// seal secrets at rest and return ErrNotFound (matched with errors.Is) for
// missing records.
type Store interface {
	PutTenant(ctx context.Context, t Tenant) error
	Tenant(ctx context.Context, subdomain string) (Tenant, error)
	Tenants(ctx context.Context) ([]Tenant, error)

	// PutConnection creates or replaces a connection.
	PutConnection(ctx context.Context, c Connection) error
	Connection(ctx context.Context, id string) (Connection, error)
	// Connections lists a tenant's connections ordered by sidebar order,
	// then name, then id.
	Connections(ctx context.Context, tenant string) ([]Connection, error)
	// ConnectionByOrg finds a tenant's connection to an org, whatever its
	// status, so a reconnect can restore settings.
	ConnectionByOrg(ctx context.Context, tenant, orgID string) (Connection, error)
	// ConnectionsByOrg lists every tenant's connection to an org.
	ConnectionsByOrg(ctx context.Context, orgID string) ([]Connection, error)
	DeleteConnection(ctx context.Context, id string) error

	PutToken(ctx context.Context, connectionID string, t Token) error
	Token(ctx context.Context, connectionID string) (Token, error)
	DeleteToken(ctx context.Context, connectionID string) error

	// Preference and PutPreference keep small per-user choices (such as a
	// rep's ticket filters) under a scope (such as an org id).
	Preference(ctx context.Context, scope, user string) ([]byte, error)
	PutPreference(ctx context.Context, scope, user string, value []byte) error

	// AppendAudit records an admin action for a tenant; Audit lists the
	// tenant's entries newest first (at most limit). Entries older than
	// AuditRetention are dropped.
	AppendAudit(ctx context.Context, tenant string, e AuditEntry) error
	Audit(ctx context.Context, tenant string, limit int) ([]AuditEntry, error)

	// PutAdminSession keeps a signed-in admin's session until its
	// ExpiresAt. AdminSession returns it by id, or ErrNotFound once it has
	// expired or was deleted; DeleteAdminSession ends it (ending a missing
	// session is not an error). Sessions are durable: a restart or another
	// replica knows them.
	PutAdminSession(ctx context.Context, s AdminSession) error
	AdminSession(ctx context.Context, id string) (AdminSession, error)
	DeleteAdminSession(ctx context.Context, id string) error

	Ping(ctx context.Context) error
	Close() error
}
