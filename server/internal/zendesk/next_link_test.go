package zendesk_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/zendesk"
)

// pager is a tiny Zendesk stand-in whose ticket list answers what page(n)
// says for its n-th request (from 1). It records what reached it.
type pager struct {
	srv  *httptest.Server
	page func(n int, self string) (ids []int64, hasMore bool, next string)

	mu      sync.Mutex
	queries []string // the page[after] of each request
	auth    []string
}

func newPager(t *testing.T, page func(n int, self string) ([]int64, bool, string)) *pager {
	t.Helper()
	p := &pager{page: page}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.queries = append(p.queries, r.URL.Query().Get("page[after]"))
		p.auth = append(p.auth, r.Header.Get("Authorization"))
		n := len(p.queries)
		p.mu.Unlock()
		ids, more, next := p.page(n, p.srv.URL)
		tickets := []map[string]any{}
		for _, id := range ids {
			tickets = append(tickets, map[string]any{"id": id, "status": "open"})
		}
		var nextLink any
		if next != "" {
			nextLink = next
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"tickets": tickets,
			"meta":    map[string]any{"has_more": more, "after_cursor": "c" + strings.Repeat("x", n)},
			"links":   map[string]any{"next": nextLink, "prev": nil},
		})
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *pager) requests() ([]string, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.queries...), append([]string(nil), p.auth...)
}

func (p *pager) client() *zendesk.Client {
	return zendesk.NewClient(p.srv.URL+"/{subdomain}", http.DefaultClient, 2*time.Second, nil, time.Now)
}

const listPath = "/acme/api/v2/users/7/tickets/requested.json"

func TestNextLinkOutsideTheAccountIsRefused(t *testing.T) {
	elsewhere := newPager(t, func(int, string) ([]int64, bool, string) { return []int64{666}, false, "" })
	otherHost := elsewhere.srv.URL + listPath + "?page%5Bsize%5D=100&page%5Bafter%5D=abc"
	for _, tt := range []struct {
		name string
		next func(self string) string
	}{
		{"another host", func(string) string { return otherHost }},
		{"another scheme", func(self string) string {
			return strings.Replace(self, "http://", "https://", 1) + listPath + "?page%5Bafter%5D=abc"
		}},
		{"another account on the same host", func(self string) string {
			return self + "/evil/api/v2/users/7/tickets/requested.json?page%5Bafter%5D=abc"
		}},
		{"dot segments climbing out", func(self string) string {
			return self + "/acme/api/v2/../../../evil/api/v2/users/7/tickets/requested.json"
		}},
		{"encoded dot segments", func(self string) string {
			return self + "/acme/api/v2/%2e%2e/%2e%2e/%2e%2e/evil/api/v2/tickets.json"
		}},
		{"user info", func(self string) string {
			return strings.Replace(self, "http://", "http://attacker@", 1) + listPath + "?page%5Bafter%5D=abc"
		}},
		{"not the API", func(self string) string { return self + "/acme/oauth/tokens" }},
		{"relative link", func(string) string { return listPath + "?page%5Bafter%5D=abc" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPager(t, func(n int, self string) ([]int64, bool, string) {
				return []int64{int64(n)}, true, tt.next(self)
			})
			got, err := p.client().RequestedTickets(context.Background(), "acme", zendesk.Credentials{OAuthToken: "s3cret"}, 7, 500)
			var pe *zendesk.PaginationError
			if !errors.As(err, &pe) || got != nil {
				t.Fatalf("RequestedTickets = %v, %v; want a PaginationError and no tickets", ticketIDs(got), err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q carries the token", err)
			}
			if q, _ := p.requests(); len(q) != 1 {
				t.Errorf("the account saw %d requests, want only the first page", len(q))
			}
			if q, _ := elsewhere.requests(); len(q) != 0 {
				t.Errorf("the other host received %d requests", len(q))
			}
		})
	}
}

func TestNextLinkInsideTheAccountIsFollowed(t *testing.T) {
	p := newPager(t, func(n int, self string) ([]int64, bool, string) {
		if n == 1 {
			// A cursor holding '+' and '/', encoded as Zendesk writes it.
			return []int64{1, 2}, true, self + listPath + "?page[size]=100&page[after]=ab%2Bc%2Fd%3D&sort=-updated_at"
		}
		return []int64{3}, false, ""
	})
	got, err := p.client().RequestedTickets(context.Background(), "acme", zendesk.Credentials{OAuthToken: "s3cret"}, 7, 500)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, ticketIDs(got)); diff != "" {
		t.Errorf("ticket ids (-want +got):\n%s", diff)
	}
	queries, auth := p.requests()
	if diff := cmp.Diff([]string{"", "ab+c/d="}, queries); diff != "" {
		t.Errorf("page[after] received (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Bearer s3cret", "Bearer s3cret"}, auth); diff != "" {
		t.Errorf("Authorization received (-want +got):\n%s", diff)
	}
}

func TestPaginationThatNeverEndsStops(t *testing.T) {
	for _, tt := range []struct {
		name      string
		page      func(n int, self string) ([]int64, bool, string)
		wantCalls int
	}{
		{"the same cursor again", func(n int, self string) ([]int64, bool, string) {
			return []int64{int64(n)}, true, self + listPath + "?page%5Bafter%5D=same"
		}, 2},
		{"has_more with no next link", func(n int, self string) ([]int64, bool, string) {
			return []int64{int64(n)}, true, ""
		}, 1},
		{"has_more on empty pages", func(n int, self string) ([]int64, bool, string) {
			return nil, true, self + listPath + "?page%5Bafter%5D=c" + strings.Repeat("x", n)
		}, 1},
		{"has_more on the same tickets", func(n int, self string) ([]int64, bool, string) {
			return []int64{1}, true, self + listPath + "?page%5Bafter%5D=c" + strings.Repeat("x", n)
		}, 2},
		// max 5 asks for pages of 5; one ticket a page, a fresh cursor each
		// time, would go on forever: the page budget (3) ends it.
		{"one new ticket a page forever", func(n int, self string) ([]int64, bool, string) {
			return []int64{int64(n)}, true, self + listPath + "?page%5Bafter%5D=c" + strings.Repeat("x", n)
		}, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newPager(t, tt.page)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			got, err := p.client().RequestedTickets(ctx, "acme", zendesk.Credentials{OAuthToken: "t"}, 7, 5)
			var pe *zendesk.PaginationError
			if !errors.As(err, &pe) || got != nil {
				t.Fatalf("RequestedTickets = %v, %v; want a PaginationError and no tickets", ticketIDs(got), err)
			}
			if q, _ := p.requests(); len(q) != tt.wantCalls {
				t.Errorf("%d calls, want %d", len(q), tt.wantCalls)
			}
		})
	}
}
