package salesforce_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/salesforce"
)

// spoofingLogin is a token endpoint that answers every grant with an
// access token and the instance_url it is told to, and an API host that
// notes every bearer token it is sent.
type spoofingLogin struct {
	srv         *httptest.Server
	instanceURL string
	mu          sync.Mutex
	bearers     map[string][]string // host → bearer tokens received
}

func newSpoofingLogin(t *testing.T) *spoofingLogin {
	t.Helper()
	s := &spoofingLogin{bearers: map[string][]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/services/oauth2/token" {
			s.mu.Lock()
			inst := s.instanceURL
			s.mu.Unlock()
			_ = json.NewEncoder(w).Encode(map[string]string{
				"access_token": "00D!fresh-token", "refresh_token": "refresh-2", "instance_url": inst,
				"id": "https://login.salesforce.com/id/00Dxx0000000001EAA/005xx0000012345AAA", "token_type": "Bearer",
				"issued_at": "1676372418560", "scope": "api refresh_token",
			})
			return
		}
		s.mu.Lock()
		s.bearers[r.Host] = append(s.bearers[r.Host], strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		s.mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer stale" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`))
			return
		}
		_, _ = w.Write([]byte(`{"totalSize":0,"done":true,"records":[]}`))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *spoofingLogin) spoof(instanceURL string) {
	s.mu.Lock()
	s.instanceURL = instanceURL
	s.mu.Unlock()
}

func (s *spoofingLogin) received(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, toks := range s.bearers {
		for _, tok := range toks {
			if tok == token {
				return true
			}
		}
	}
	return false
}

// The emulator's loopback host over http is allowed, as the sandbox does;
// "localhost" names the same listener but is not on the list.
func spoofClient(t *testing.T, s *spoofingLogin, tokens salesforce.TokenStore) *salesforce.Client {
	t.Helper()
	hosts, err := crossview.ParseInstanceHosts(crossview.DefaultInstanceHosts + ",http://127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return salesforce.NewClient(salesforce.Config{
		ClientID: "cid", ClientSecret: "csecret", LoginURL: s.srv.URL, SandboxLoginURL: s.srv.URL,
		APIVersion: "66.0", Timeout: 5 * time.Second, InstanceHosts: hosts,
	}, &http.Client{}, tokens, nil, time.Now)
}

func hostileInstanceURLs(s *spoofingLogin) map[string]string {
	return map[string]string{
		"another host":                              "https://evil.example",
		"a Salesforce-looking host":                 "https://acme.my.salesforce.com.evil.example",
		"plain http to Salesforce":                  "http://acme.my.salesforce.com",
		"the same listener, by name":                strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1),
		"credentials in the URL":                    "https://user:pw@acme.my.salesforce.com",
		"a path after the host":                     "https://acme.my.salesforce.com/services/data/v66.0/query?q=",
		"not a URL":                                 "acme.my.salesforce.com",
		"javascript":                                "javascript:alert(1)",
		"an http URL on an allowed IP, with a path": s.srv.URL + "/x",
	}
}

func TestTokenAnswersNamingAHostileInstanceAreRefused(t *testing.T) {
	s := newSpoofingLogin(t)
	c := spoofClient(t, s, &memTokens{toks: map[string]crossview.Token{}})
	ctx := context.Background()
	for name, inst := range hostileInstanceURLs(s) {
		t.Run(name, func(t *testing.T) {
			s.spoof(inst)
			if tok, _, err := c.Exchange(ctx, crossview.Production, "code", "verifier", "https://crossview.example/cb"); err == nil {
				t.Errorf("Exchange accepted instance %q (token for %s)", inst, tok.InstanceURL)
			} else if strings.Contains(err.Error(), "fresh-token") {
				t.Errorf("error quotes the token: %v", err)
			}
			if _, err := c.Refresh(ctx, crossview.Production, "00Dxx0000000001EAA", "refresh-1"); err == nil {
				t.Errorf("Refresh accepted instance %q", inst)
			}
		})
	}
	s.spoof(s.srv.URL)
	if tok, _, err := c.Exchange(ctx, crossview.Production, "code", "verifier", "https://crossview.example/cb"); err != nil || tok.InstanceURL != s.srv.URL {
		t.Fatalf("Exchange with the allowed emulator host = %+v, %v", tok, err)
	}
}

// A refresh after an expired session that names a hostile instance is
// not used: the fresh token goes nowhere and is not saved.
func TestRefreshNamingAHostileInstanceSendsTheTokenNowhere(t *testing.T) {
	s := newSpoofingLogin(t)
	conn := crossview.NewConnection("acme", crossview.Production, "00Dxx0000000001EAA", s.srv.URL, time.Now())
	tokens := &memTokens{toks: map[string]crossview.Token{conn.ID: {AccessToken: "stale", RefreshToken: "refresh-1", InstanceURL: s.srv.URL}}}
	c := spoofClient(t, s, tokens)
	s.spoof(strings.Replace(s.srv.URL, "127.0.0.1", "localhost", 1))
	if _, err := c.Query(context.Background(), conn, "SELECT Id FROM Account"); err == nil {
		t.Fatal("query succeeded with a token whose refresh named a hostile instance")
	}
	if s.received("00D!fresh-token") {
		t.Fatal("the refreshed token was sent to the instance the token answer named")
	}
	if got := tokens.toks[conn.ID]; got.AccessToken != "stale" || got.InstanceURL != s.srv.URL {
		t.Fatalf("stored grant changed to %+v", got)
	}
}
