package zendesk_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crossview/crossview/server/internal/zendesk"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

func TestUserByEmail(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	siobhan := e.acct.AddUser(zendesktest.User{Name: "Siobhan O'Brien", Email: "Siobhan.O'Brien+Support@Example.com"})
	ann := e.acct.AddUser(zendesktest.User{Name: "Ann Perkins", Email: "ann@example.com"})
	for _, tt := range []struct {
		email  string
		wantID int64 // 0: no match
	}{
		{"siobhan.o'brien+support@example.com", siobhan.ID},
		{"SIOBHAN.O'BRIEN+SUPPORT@EXAMPLE.COM", siobhan.ID},
		{"  ann@example.com ", ann.ID},
		{"ann@example.co", 0}, // a prefix of ann@example.com
		{"siobhan.o'brien@example.com", 0},
		{"nobody@example.com", 0},
		{"", 0},
	} {
		u, ok, err := e.client.UserByEmail(context.Background(), "acme", e.cred, tt.email)
		if err != nil {
			t.Fatalf("%q: %v", tt.email, err)
		}
		if ok != (tt.wantID != 0) || u.ID != tt.wantID {
			t.Errorf("UserByEmail(%q) = id %d, %v; want id %d", tt.email, u.ID, ok, tt.wantID)
		}
	}
}

// TestUserByEmailKeepsOnlyTheExactAddress answers every search with near
// matches, as Zendesk's full-text search may, and checks that the address
// reached Zendesk intact ('+' and '&' survive only when encoded).
func TestUserByEmailKeepsOnlyTheExactAddress(t *testing.T) {
	var mu sync.Mutex
	var received []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		received = append(received, r.URL.Query().Get("query"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"users": []map[string]any{
			{"id": 1, "email": "ann@example.com.au"},
			{"id": 2, "email": "Ann@Example.com"},
			{"id": 3, "email": "joann@example.com"},
			{"id": 4, "email": "o'brien+x&y@example.com"},
		}, "next_page": nil, "count": 4})
	}))
	defer srv.Close()
	c := zendesk.NewClient(srv.URL+"/{subdomain}", http.DefaultClient, 2*time.Second, nil, time.Now)
	tests := []struct {
		email  string
		wantID int64
	}{
		{"ann@example.com", 2},
		{"ann@example.co", 0},
		{"nn@example.com", 0},
		{"O'Brien+x&y@example.com", 4},
	}
	for _, tt := range tests {
		u, ok, err := c.UserByEmail(context.Background(), "acme", zendesk.Credentials{OAuthToken: "t"}, tt.email)
		if err != nil || ok != (tt.wantID != 0) || u.ID != tt.wantID {
			t.Errorf("UserByEmail(%q) = id %d, %v, %v; want id %d", tt.email, u.ID, ok, err, tt.wantID)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var want []string
	for _, tt := range tests {
		want = append(want, tt.email)
	}
	if diff := cmp.Diff(want, received); diff != "" {
		t.Errorf("query parameter Zendesk received (-want +got):\n%s", diff)
	}
}

func TestUsersByIDBatchesOfAHundred(t *testing.T) {
	e := newEmu(t, zendesktest.AccountSpec{})
	var ids []int64
	for i := range 150 {
		u := e.acct.AddUser(zendesktest.User{Name: "User " + strconv.Itoa(i), Email: "user" + strconv.Itoa(i) + "@example.com"})
		ids = append(ids, u.ID)
	}
	slices.Reverse(ids) // the answer must follow the caller's order, not Zendesk's
	asked := append(slices.Clone(ids), 987654321, ids[0])
	got, err := e.client.UsersByID(context.Background(), "acme", e.cred, asked)
	if err != nil {
		t.Fatal(err)
	}
	gotIDs := make([]int64, 0, len(got))
	for _, u := range got {
		gotIDs = append(gotIDs, u.ID)
		if u.Email == "" || u.Name == "" {
			t.Fatalf("user %d came back without its fields: %+v", u.ID, u)
		}
	}
	if diff := cmp.Diff(ids, gotIDs); diff != "" {
		t.Errorf("user ids (-want +got):\n%s", diff)
	}
	if n := e.calls("GET /api/v2/users/show_many.json"); n != 2 {
		t.Errorf("%d show_many calls for 150 ids, want 2", n)
	}

	none, err := e.client.UsersByID(context.Background(), "acme", e.cred, nil)
	if err != nil || len(none) != 0 {
		t.Errorf("UsersByID(nil) = %v, %v", none, err)
	}
	if n := e.calls("GET /api/v2/users/show_many.json"); n != 2 {
		t.Errorf("UsersByID(nil) called Zendesk")
	}
}
