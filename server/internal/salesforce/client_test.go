package salesforce_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
)

// memTokens is a TokenStore in memory that remembers every save.
type memTokens struct {
	mu    sync.Mutex
	toks  map[string]crossview.Token
	saves int
}

func (m *memTokens) Token(_ context.Context, id string) (crossview.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.toks[id]
	if !ok {
		return crossview.Token{}, crossview.ErrNotFound
	}
	return t, nil
}

func (m *memTokens) PutToken(_ context.Context, id string, t crossview.Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.toks[id] = t
	m.saves++
	return nil
}

type fixture struct {
	cloud  *salesforcetest.Cloud
	org    *salesforcetest.Org
	admin  salesforcetest.User
	tokens *memTokens
	client *salesforce.Client
	conn   crossview.Connection
	hosts  crossview.InstanceHosts
}

func newFixture(t *testing.T, opts salesforcetest.Options) *fixture {
	t.Helper()
	return newOrgFixture(t, opts, salesforcetest.OrgSpec{Name: "Acme"})
}

// newOrgFixture is newFixture with an org made to spec.
func newOrgFixture(tb testing.TB, opts salesforcetest.Options, spec salesforcetest.OrgSpec) *fixture {
	tb.Helper()
	opts.ClientID, opts.ClientSecret = "cid", "csecret"
	cloud, err := salesforcetest.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cloud.Close() })
	org, err := cloud.AddOrg(spec)
	if err != nil {
		tb.Fatal(err)
	}
	admin := org.AddUser(salesforcetest.User{Username: "admin@acme.example", SeeAllData: true,
		Perms: salesforcetest.Permissions{APIEnabled: true, ModifyAllData: true}})
	access, refresh := org.IssueTokens(admin.ID)
	f := &fixture{cloud: cloud, org: org, admin: admin, tokens: &memTokens{toks: map[string]crossview.Token{}}, hosts: emulatorHosts(tb)}
	f.conn = crossview.NewConnection("acme", crossview.Production, org.ID(), org.InstanceURL(), time.Now())
	f.tokens.toks[f.conn.ID] = crossview.Token{AccessToken: access, RefreshToken: refresh, InstanceURL: org.InstanceURL()}
	f.client = salesforce.NewClient(salesforce.Config{
		ClientID: "cid", ClientSecret: "csecret", LoginURL: cloud.LoginURL(), SandboxLoginURL: cloud.LoginURL(),
		APIVersion: "66.0", Timeout: 5 * time.Second, InstanceHosts: f.hosts,
	}, &http.Client{}, f.tokens, nil, time.Now)
	return f
}

// emulatorHosts allows Salesforce's hosts and the emulator's loopback
// listeners over http, as the sandbox does.
func emulatorHosts(tb testing.TB) crossview.InstanceHosts {
	tb.Helper()
	h, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts + ",http://127.0.0.1")
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

func (f *fixture) insert(tb testing.TB, object string, fields map[string]any) string {
	tb.Helper()
	id, err := f.org.Insert(object, fields)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func TestExpiredTokenRefreshedOnceForFiftyRequests(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{RotateRefreshTokens: true})
	f.insert(t, "Account", map[string]any{"Name": "Globex"})
	ctx := context.Background()
	if _, err := f.client.Query(ctx, f.conn, "SELECT Id FROM Account"); err != nil {
		t.Fatal(err)
	}
	oldRefresh := f.tokens.toks[f.conn.ID].RefreshToken
	f.org.ExpireAccessTokens()

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	start := make(chan struct{})
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := f.client.Query(ctx, f.conn, "SELECT Id, Name FROM Account"); err != nil {
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("query after expiry: %v", err)
	}
	if n := f.org.Stats().TokenRefreshes; n != 1 {
		t.Fatalf("%d token refreshes for 50 requests on one expired token, want 1", n)
	}
	saved := f.tokens.toks[f.conn.ID]
	if saved.RefreshToken == oldRefresh || saved.RefreshToken == "" {
		t.Fatalf("rotated refresh token not saved")
	}
	// The rotated token must be the one that works from now on.
	f.org.ExpireAccessTokens()
	if _, err := f.client.Query(ctx, f.conn, "SELECT Id FROM Account"); err != nil {
		t.Fatalf("query after a second expiry (needs the rotated refresh token): %v", err)
	}
}

func TestRevokedGrantIsNamed(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	f.org.RevokeRefreshTokens()
	_, err := f.client.Query(context.Background(), f.conn, "SELECT Id FROM Account")
	if !salesforce.IsRevoked(err) {
		t.Fatalf("err = %v, want a revoked grant", err)
	}
	if ue := salesforce.UserError(err); crossview.ErrorCode(ue) != crossview.EUNAUTHORIZED || !strings.Contains(crossview.ErrorMessage(ue), "reconnect") {
		t.Fatalf("user error = %v", ue)
	}
}

func TestSOQLInjectionThroughEmailIsEscaped(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	acc := f.insert(t, "Account", map[string]any{"Name": "Globex"})
	f.insert(t, "Contact", map[string]any{"LastName": "O'Brien", "Email": "o'brien@x.example", "AccountId": acc})
	f.insert(t, "Contact", map[string]any{"LastName": "Slash", "Email": `back\slash@x.example`, "AccountId": acc})
	f.insert(t, "Contact", map[string]any{"LastName": "Other", "Email": "other@x.example", "AccountId": acc})
	ctx := context.Background()
	for email, want := range map[string]int{
		"o'brien@x.example":    1,
		`back\slash@x.example`: 1,
		"x' OR Email != 'y":    0, // would match everything if not escaped
		`\' OR Email != \'`:    0,
	} {
		r, err := f.client.Query(ctx, f.conn, "SELECT Id FROM Contact WHERE Email = "+salesforce.Quote(email))
		if err != nil {
			t.Fatalf("%q: %v", email, err)
		}
		if r.TotalSize != want {
			t.Errorf("%q matched %d contacts, want %d", email, r.TotalSize, want)
		}
	}
}

func TestQueryAllFollowsNextRecordsURL(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{QueryBatchSize: 2})
	for i := range 7 {
		f.insert(t, "Account", map[string]any{"Name": "Acc " + string(rune('A'+i))})
	}
	recs, err := f.client.QueryAll(context.Background(), f.conn, "SELECT Id, Name FROM Account ORDER BY Name", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 7 {
		t.Fatalf("QueryAll returned %d records, want 7", len(recs))
	}
	if n := f.org.Stats().APICalls; n != 4 {
		t.Fatalf("%d API calls for 7 records in pages of 2, want 4", n)
	}
}

func TestLookupCustomerIsOneCall(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	acc := f.insert(t, "Account", map[string]any{"Name": "Globex", "Industry": "Manufacturing"})
	f.insert(t, "Contact", map[string]any{"FirstName": "Pat", "LastName": "O'Brien", "Email": "pat.o'brien@globex.example", "AccountId": acc})
	f.insert(t, "Opportunity", map[string]any{"Name": "Expansion", "StageName": "Prospecting", "Amount": 48000, "CloseDate": "2027-01-15", "AccountId": acc})
	f.insert(t, "Opportunity", map[string]any{"Name": "Won deal", "StageName": "Closed Won", "CloseDate": "2026-01-15", "AccountId": acc})
	f.insert(t, "Case", map[string]any{"Subject": "Invoice wrong", "Status": "New", "AccountId": acc})
	f.insert(t, "Lead", map[string]any{"LastName": "Lead", "Company": "Globex", "Email": "pat.o'brien@globex.example"})

	before := f.org.Stats().APICalls
	d, err := f.client.LookupCustomer(context.Background(), f.conn, "PAT.O'BRIEN@globex.example")
	if err != nil {
		t.Fatal(err)
	}
	if n := f.org.Stats().APICalls - before; n != 1 {
		t.Fatalf("cold lookup cost %d API calls, want 1", n)
	}
	if len(d.Matches) != 1 {
		t.Fatalf("matches = %+v (a Lead is shown only when no Contact matches)", d.Matches)
	}
	m := d.Matches[0]
	if m.Person.Name != "Pat O'Brien" || m.Account == nil || m.Account.Name != "Globex" {
		t.Fatalf("match = %+v", m)
	}
	if len(m.Opportunities) != 1 || m.Opportunities[0].Name != "Expansion" {
		t.Errorf("open opportunities = %+v", m.Opportunities)
	}
	if len(m.Cases) != 1 || m.Cases[0].Name != "Invoice wrong" {
		t.Errorf("cases = %+v", m.Cases)
	}
	if want := f.org.InstanceURL() + "/lightning/r/Account/" + m.Account.ID + "/view"; m.Account.URL != want {
		t.Errorf("account link %q, want %q", m.Account.URL, want)
	}
}

func TestLookupFallsBackToLead(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	f.insert(t, "Lead", map[string]any{"FirstName": "Mia", "LastName": "Chen", "Company": "Umbrella", "Email": "mia@umbrella.example", "Status": "Working - Contacted"})
	d, err := f.client.LookupCustomer(context.Background(), f.conn, "mia@umbrella.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Matches) != 1 || d.Matches[0].Person.Object != "Lead" || d.Matches[0].Account != nil {
		t.Fatalf("matches = %+v", d.Matches)
	}
}

func TestTypedErrorsAndLimits(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	ctx := context.Background()
	_, err := f.client.Query(ctx, f.conn, "SELECT Nope FROM Account")
	var ae *salesforce.APIError
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "INVALID_FIELD" {
		t.Fatalf("bad field: %#v", err)
	}
	used, _, ok := f.client.Usage(f.org.ID())
	if !ok || used.Limit != 15000 {
		t.Fatalf("usage after a call = %+v, %v", used, ok)
	}

	f.org.SetAPIUsage(15000, 15000)
	_, err = f.client.Query(ctx, f.conn, "SELECT Id FROM Account")
	if !salesforce.IsRateLimited(err) {
		t.Fatalf("over the limit: %v", err)
	}
	before := f.org.Stats().Requests
	_, err = f.client.Query(ctx, f.conn, "SELECT Id FROM Account")
	if !errors.Is(err, salesforce.ErrLimitReserve) || f.org.Stats().Requests != before {
		t.Fatalf("a call after the org said its allowance is spent went out: %v", err)
	}

	f2 := newFixture(t, salesforcetest.Options{})
	f2.org.SetFailure(http.StatusServiceUnavailable)
	_, err = f2.client.Query(ctx, f2.conn, "SELECT Id FROM Account")
	if !errors.As(err, &ae) || ae.Status != 503 || crossview.ErrorCode(salesforce.UserError(err)) != crossview.EUNAVAILABLE {
		t.Fatalf("503: %#v", err)
	}
	if _, err := f2.client.LookupCustomer(ctx, f2.conn, "x@y.example"); crossview.ErrorCode(err) != crossview.EUNAVAILABLE {
		t.Fatalf("LookupCustomer on a 503 org must say Salesforce is unavailable, got %v", err)
	}
	f2.org.SetFailure(http.StatusBadGateway) // an HTML page, not JSON
	_, err = f2.client.Query(ctx, f2.conn, "SELECT Id FROM Account")
	if !errors.As(err, &ae) || ae.Status != 502 || len(ae.Message) > 210 {
		t.Fatalf("502: %#v", err)
	}
}

func TestTimeoutRespected(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	f.org.SetLatency(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.client.Query(ctx, f.conn, "SELECT Id FROM Account")
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("slow org: err=%v after %s", err, time.Since(start))
	}
}

func TestConnectAndRevoke(t *testing.T) {
	f := newFixture(t, salesforcetest.Options{})
	_, refresh := f.org.IssueTokens(f.admin.ID)
	tok, id, err := f.client.Connect(context.Background(), crossview.Production, refresh)
	if err != nil {
		t.Fatal(err)
	}
	if id.OrgID != f.org.ID() || id.UserID != f.admin.ID || tok.InstanceURL != f.org.InstanceURL() || tok.RefreshToken != refresh {
		t.Fatalf("identity %+v, token instance %q", id, tok.InstanceURL)
	}
	if err := f.client.Revoke(context.Background(), crossview.Production, refresh); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.client.Connect(context.Background(), crossview.Production, refresh); !salesforce.IsRevoked(err) {
		t.Fatalf("connect with a revoked token: %v", err)
	}
}
