package zendesktest

import (
	"crypto/rsa"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// Account is one emulated Zendesk account. Its methods are safe for
// concurrent use.
type Account struct {
	srv  *Server
	spec AccountSpec
	id   int64 // the account_id webhook events carry
	base string

	mu         sync.Mutex
	nextUser   int64
	nextOrg    int64
	nextTicket int64
	users      map[int64]*User
	orgs       map[int64]*Organization
	idx        lookupIndex // users and organizations by email, external id and name
	tickets    map[int64]*ticketRecord
	members    *memberships // groups and memberships, made on first use

	nextEvent int64 // audits, their events and comments share one sequence
	audits    []*audit
	// deletedTickets are soft-deleted: only the incremental export sees them.
	deletedTickets map[int64]*ticketRecord
	incWindow      rateWindow // the incremental exports' own limit
	nextCatalog    int64      // brands and ticket forms
	brands         map[int64]*Brand
	ticketForms    map[int64]*TicketForm
	userFields     []*ObjectField
	orgFields      []*ObjectField
	jobs           map[string]*job
	jobDelay       time.Duration

	apiTokens map[string]bool
	access    map[string]*accessToken
	refresh   map[string]*refreshToken
	codes     map[string]*authCode
	forms     map[string]time.Time // authenticity tokens of rendered consent pages

	latency      time.Duration
	failure      int
	limitedUntil time.Time
	lag          time.Duration
	window       rateWindow
	otherUsage   int // requests other API clients make each minute (SetOtherUsage)
	requests     int
	byEndpoint   map[string]int

	webhooks   []*webhook
	deliveries []Delivery
	faults     DeliveryFaults
	faultRand  *rand.Rand
	dropNext   int
	triggers   []*trigger
	nextTrig   int64

	keyMu sync.Mutex
	key   *rsa.PrivateKey // generated on first use: RSA keys are slow to make
}

// ticketRecord is a stored ticket plus what search and export need.
type ticketRecord struct {
	t Ticket
	// changed is the full-precision time of the last change; updated_at
	// shows it to the second.
	changed time.Time
	// history holds recent states, oldest first, so search can lag.
	history []ticketVersion
	// comments and audits are the ticket's conversation and change log,
	// oldest first.
	comments []Comment
	audits   []*audit
	metrics  ticketMetrics
}

type ticketVersion struct {
	at time.Time
	t  Ticket
}

// maxHistory bounds the versions kept per ticket for the search lag.
const maxHistory = 32

func (r *ticketRecord) remember() {
	r.history = append(r.history, ticketVersion{at: r.changed, t: r.t.clone()})
	if len(r.history) > maxHistory {
		r.history = append([]ticketVersion(nil), r.history[len(r.history)-maxHistory:]...)
	}
}

func newAccount(s *Server, spec AccountSpec, id int64) *Account {
	return &Account{
		srv: s, spec: spec, id: id, base: s.url + "/" + spec.Subdomain,
		nextUser: 10000000, nextOrg: 20000000, nextTicket: 0, nextEvent: 30000000000,
		nextCatalog: 360000000000, brands: map[int64]*Brand{}, ticketForms: map[int64]*TicketForm{},
		users: map[int64]*User{}, orgs: map[int64]*Organization{}, idx: newLookupIndex(), tickets: map[int64]*ticketRecord{}, deletedTickets: map[int64]*ticketRecord{}, jobs: map[string]*job{},
		apiTokens: map[string]bool{}, access: map[string]*accessToken{}, refresh: map[string]*refreshToken{},
		codes: map[string]*authCode{}, forms: map[string]time.Time{}, byEndpoint: map[string]int{},
	}
}

// BaseURL is the account's Zendesk base URL (what
// https://{subdomain}.zendesk.com is in production).
func (a *Account) BaseURL() string { return a.base }

// Subdomain is the account's subdomain.
func (a *Account) Subdomain() string { return a.spec.Subdomain }

// AppID is the id of the Crossview app installed in the account.
func (a *Account) AppID() int64 { return a.spec.AppID }

// InstallationID is the id of the app's installation in the account.
func (a *Account) InstallationID() int64 { return a.spec.InstallationID }

// ID is the numeric account id that webhook events carry.
func (a *Account) ID() int64 { return a.id }

// now is the server clock in UTC.
func (a *Account) now() time.Time { return a.srv.now().UTC() }

func (a *Account) userURL(id int64) string {
	return a.base + "/api/v2/users/" + strconv.FormatInt(id, 10) + ".json"
}

func (a *Account) orgURL(id int64) string {
	return a.base + "/api/v2/organizations/" + strconv.FormatInt(id, 10) + ".json"
}

func (a *Account) ticketURL(id int64) string {
	return a.base + "/api/v2/tickets/" + strconv.FormatInt(id, 10) + ".json"
}
