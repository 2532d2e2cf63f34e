package zendesk_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

type fixture struct {
	srv    *zendesktest.Server
	acct   *zendesktest.Account
	client *zendesk.Client
	tenant crossview.Tenant
	ticket zendesktest.Ticket
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv, err := zendesktest.New(zendesktest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	acct, err := srv.AddAccount(zendesktest.AccountSpec{Subdomain: "acme", AppID: 55})
	if err != nil {
		t.Fatal(err)
	}
	agent := acct.AddUser(zendesktest.User{Name: "Agent Smith", Email: "agent@acme.test", Role: zendesktest.RoleAgent})
	req := acct.AddUser(zendesktest.User{Name: "Siobhan O'Brien", Email: "o'brien@example.com", Role: zendesktest.RoleEndUser})
	tk := acct.AddTicket(zendesktest.Ticket{Subject: "Printer on fire", RequesterID: req.ID, SubmitterID: req.ID, AssigneeID: agent.ID})
	return &fixture{
		srv: srv, acct: acct, ticket: tk,
		client: zendesk.NewClient(srv.URLTemplate(), http.DefaultClient, 2*time.Second, nil, time.Now),
		tenant: crossview.Tenant{Subdomain: "acme", AppID: 55, APIEmail: "agent@acme.test", APIToken: acct.IssueAPIToken()},
	}
}

func TestRequesterComesFromZendesk(t *testing.T) {
	f := newFixture(t)
	r, err := f.client.Requester(context.Background(), f.tenant, f.ticket.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Email != "o'brien@example.com" || r.Name != "Siobhan O'Brien" {
		t.Fatalf("requester = %+v", r)
	}
	if n := f.acct.Stats().Requests; n != 1 {
		t.Fatalf("requester lookup took %d calls, want 1 (ticket with users sideloaded)", n)
	}
}

func TestOAuthBearer(t *testing.T) {
	f := newFixture(t)
	u := f.acct.AddUser(zendesktest.User{Name: "Ada Admin", Email: "ada@acme.test", Role: zendesktest.RoleAdmin})
	me, err := f.client.Me(context.Background(), "acme", zendesk.Credentials{OAuthToken: f.acct.IssueOAuthToken(u.ID, "read")})
	if err != nil || me.Role != "admin" || me.Email != "ada@acme.test" {
		t.Fatalf("Me = %+v, %v", me, err)
	}
}

func TestAppPublicKeyIsAnonymous(t *testing.T) {
	f := newFixture(t)
	pem, err := f.client.AppPublicKey(context.Background(), "acme", 55)
	if err != nil || !strings.Contains(string(pem), "BEGIN PUBLIC KEY") {
		t.Fatalf("AppPublicKey = %q, %v", pem, err)
	}
	if _, err := f.client.AppPublicKey(context.Background(), "acme", 56); !zendesk.IsNotFound(err) {
		t.Fatalf("unknown app: %v", err)
	}
}

func TestTypedErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("refused credential", func(t *testing.T) {
		f := newFixture(t)
		f.tenant.APIToken = "wrong"
		_, err := f.client.Requester(ctx, f.tenant, f.ticket.ID)
		if !zendesk.IsUnauthorized(err) || crossview.ErrorCode(err) != crossview.EUNAVAILABLE || strings.Contains(err.Error(), "wrong") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("missing ticket, JSON RecordNotFound", func(t *testing.T) {
		f := newFixture(t)
		_, _, err := f.client.TicketWithUsers(ctx, "acme", zendesk.CredentialsOf(f.tenant), 999999)
		var ae *zendesk.APIError
		if !errors.As(err, &ae) || ae.Status != 404 || ae.Code != "RecordNotFound" || ae.Description != "Not found" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("text/plain 503", func(t *testing.T) {
		f := newFixture(t)
		f.acct.SetFailure(http.StatusServiceUnavailable)
		_, _, err := f.client.TicketWithUsers(ctx, "acme", zendesk.CredentialsOf(f.tenant), f.ticket.ID)
		var ae *zendesk.APIError
		if !errors.As(err, &ae) || ae.Status != 503 || ae.Code != "" || ae.Description == "" {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("JSON 500", func(t *testing.T) {
		f := newFixture(t)
		f.acct.SetFailure(http.StatusInternalServerError)
		_, _, err := f.client.TicketWithUsers(ctx, "acme", zendesk.CredentialsOf(f.tenant), f.ticket.ID)
		var ae *zendesk.APIError
		if !errors.As(err, &ae) || ae.Status != 500 || ae.Code == "" {
			t.Fatalf("err = %#v", err)
		}
	})
}

func TestRetryAfterHoldsFurtherCalls(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.acct.RateLimitFor(30 * time.Second)
	_, _, err := f.client.TicketWithUsers(ctx, "acme", zendesk.CredentialsOf(f.tenant), f.ticket.ID)
	var ae *zendesk.APIError
	if !errors.As(err, &ae) || ae.Status != 429 || ae.RetryAfter < 29*time.Second {
		t.Fatalf("err = %#v", err)
	}
	before := f.acct.Stats().Requests
	for range 5 {
		if _, _, err := f.client.TicketWithUsers(ctx, "acme", zendesk.CredentialsOf(f.tenant), f.ticket.ID); !zendesk.IsRateLimited(err) {
			t.Fatalf("call during Retry-After: %v", err)
		}
	}
	if after := f.acct.Stats().Requests; after != before {
		t.Fatalf("%d calls reached Zendesk during Retry-After", after-before)
	}
}

func TestShortRetryAfterIsWaitedOnce(t *testing.T) {
	f := newFixture(t)
	f.acct.RateLimitFor(900 * time.Millisecond)
	start := time.Now()
	if _, err := f.client.Requester(context.Background(), f.tenant, f.ticket.ID); err != nil {
		t.Fatalf("Requester after a 1 s Retry-After: %v", err)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("answered after %s, before Retry-After passed", waited)
	}
}
