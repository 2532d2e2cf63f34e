package salesforcetest

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// OrgSpec describes an org to add to a Cloud.
type OrgSpec struct {
	// OrgID is the org's 15- or 18-character id (00D...); "" picks one.
	OrgID string
	// Name is the organization name; "" makes one up.
	Name string
	// Addr is the instance listener's address; "" is 127.0.0.1:0.
	Addr string
	// DailyAPILimit is the 24-hour API allowance; default 15000, the
	// Developer Edition figure.
	DailyAPILimit int
	// Sandbox marks a sandbox org (Organization.IsSandbox).
	Sandbox bool
	// WithoutTicketSyncFields makes an org where the ticket-sync metadata
	// was never deployed: Case lacks TicketKeyField, TicketURLField and
	// LastCommentField.
	WithoutTicketSyncFields bool
}

// Stats counts what an org has served.
type Stats struct {
	// APICalls counts REST calls charged against the daily limit.
	APICalls int
	// TokenRefreshes counts refresh_token grants for the org's users.
	TokenRefreshes int
	// Requests counts every request to the instance host.
	Requests int
	// Revocations counts tokens revoked through the revoke endpoint.
	Revocations int
	// Calls counts the charged REST calls by kind: query, queryMore,
	// describe, read, create, update, upsert, delete, composite (one per
	// composite request, whatever it holds), collections, getUpdated,
	// getDeleted, limits, resources.
	Calls map[string]int
}

// Org is one Salesforce org with its own instance host. It is safe for
// concurrent use; every knob takes effect on the next request.
type Org struct {
	cloud   *Cloud
	id      string
	name    string
	sandbox bool
	url     string
	srv     *http.Server

	mu      sync.Mutex // guards data and cursors
	data    *orgData
	cursors map[string]*cursor

	ctl      sync.Mutex // guards the knobs and counters below
	latency  time.Duration
	failure  int
	used     int
	limit    int
	lockedIP string
	stats    Stats
}

// AddOrg creates an org and starts its instance listener.
func (c *Cloud) AddOrg(spec OrgSpec) (*Org, error) {
	id := c.nextID(prefixOrg)
	if spec.OrgID != "" {
		full, err := ID18(spec.OrgID)
		if err != nil || full[:3] != prefixOrg {
			return nil, fmt.Errorf("salesforcetest: AddOrg: %q is not an org id (00D...)", spec.OrgID)
		}
		id = full
	}
	if spec.Name == "" {
		spec.Name = "Org " + id[:15]
	}
	if spec.DailyAPILimit <= 0 {
		spec.DailyAPILimit = 15000
	}
	o := &Org{cloud: c, id: id, name: spec.Name, sandbox: spec.Sandbox, limit: spec.DailyAPILimit,
		data:    newOrgData(newStandardSchema(!spec.WithoutTicketSyncFields), c.nextID, c.now),
		cursors: map[string]*cursor{}}
	o.seedOrganization()

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, fmt.Errorf("salesforcetest: AddOrg: the cloud is closed")
	}
	if c.orgs[id] != nil {
		return nil, fmt.Errorf("salesforcetest: AddOrg: org %s already exists", id)
	}
	srv, url, err := c.serve(spec.Addr, o.handler())
	if err != nil {
		return nil, fmt.Errorf("salesforcetest: AddOrg: starting the instance host: %w", err)
	}
	o.srv, o.url = srv, url
	c.orgs[id] = o
	return o, nil
}

// seedOrganization stores the Organization row queries read.
func (o *Org) seedOrganization() {
	obj := o.data.schema.object("Organization")
	r := &record{obj: obj, id: o.id, shared: map[string]bool{}, vals: map[string]any{
		"Id": o.id, "Name": o.name, "IsSandbox": o.sandbox, "OrganizationType": "Developer Edition",
		"InstanceName": "EMU1", "LanguageLocaleKey": "en_US", "DefaultLocaleSidKey": "en_US",
		"TimeZoneSidKey": "GMT",
	}}
	o.data.records[r.id] = r
	o.data.byObject[obj.name] = append(o.data.byObject[obj.name], r)
}

// InstanceURL is the org's instance host, e.g. http://127.0.0.1:41235.
func (o *Org) InstanceURL() string { return o.url }

// ID is the org's 18-character id.
func (o *Org) ID() string { return o.id }

// SetLatency makes every instance request (REST and identity) wait d
// first; a request whose context ends meanwhile is dropped.
func (o *Org) SetLatency(d time.Duration) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	o.latency = d
}

// SetFailure makes every REST call answer status (500, 502 or 503) with a
// Salesforce-shaped body; 0 clears it.
func (o *Org) SetFailure(status int) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	o.failure = status
}

// SetAPIUsage sets the 24-hour usage and limit that Sforce-Limit-Info
// reports; once used reaches limit every REST call gets 403
// REQUEST_LIMIT_EXCEEDED.
func (o *Org) SetAPIUsage(used, limit int) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	o.used, o.limit = used, limit
}

// ExpireAccessTokens ends every access token issued so far: they get 401
// INVALID_SESSION_ID. Refresh tokens keep working.
func (o *Org) ExpireAccessTokens() { o.cloud.tokens.expireOrg(o.id) }

// RevokeRefreshTokens revokes every refresh token of the org, and with
// them every access token: refreshes get 400 invalid_grant.
func (o *Org) RevokeRefreshTokens() { o.cloud.tokens.revokeOrg(o.id) }

// LockSessionsToIP models "Lock sessions to the IP address from which they
// originated": sessions then work only from ip and get 401
// INVALID_SESSION_ID from anywhere else. "" lifts the lock.
func (o *Org) LockSessionsToIP(ip string) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	o.lockedIP = ip
}

// Stats returns the org's counters.
func (o *Org) Stats() Stats {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	s := o.stats
	s.Calls = make(map[string]int, len(o.stats.Calls))
	for k, v := range o.stats.Calls {
		s.Calls[k] = v
	}
	return s
}

func (o *Org) bump(f func(*Stats)) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	f(&o.stats)
}

// knobs is a consistent copy of the knobs for one request.
type knobs struct {
	latency  time.Duration
	failure  int
	lockedIP string
}

func (o *Org) knobs() knobs {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	return knobs{latency: o.latency, failure: o.failure, lockedIP: o.lockedIP}
}

// wait sleeps for the configured latency; false means the caller gave up.
func (o *Org) wait(ctx context.Context) bool {
	d := o.knobs().latency
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// charge counts one API call of a kind unless the limit is reached; it
// returns the usage header value either way.
func (o *Org) charge(kind string) (ok bool, usage string) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	if o.used >= o.limit {
		return false, o.usageLocked()
	}
	o.used++
	o.stats.APICalls++
	if o.stats.Calls == nil {
		o.stats.Calls = map[string]int{}
	}
	o.stats.Calls[kind]++
	return true, o.usageLocked()
}

// usage is the current Sforce-Limit-Info value.
func (o *Org) usage() string {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	return o.usageLocked()
}

func (o *Org) usageLocked() string { return fmt.Sprintf("api-usage=%d/%d", o.used, o.limit) }

func (o *Org) apiUsage() (used, limit int) {
	o.ctl.Lock()
	defer o.ctl.Unlock()
	return o.used, o.limit
}
