package zendesktest

import (
	"net/http"
	"testing"
)

func TestAuthentication(t *testing.T) {
	f := newFixture(t)
	inactive := f.acct.AddUser(User{Name: "Old Agent", Email: "old@acme.example", Role: RoleAgent})
	if err := f.acct.SetUserActive(inactive.ID, false); err != nil {
		t.Fatal(err)
	}
	endUserOAuth := f.acct.IssueOAuthToken(f.endUser.ID)
	readOnly := f.acct.IssueOAuthToken(f.agent.ID, "read")
	ticketsRead := f.acct.IssueOAuthToken(f.agent.ID, "tickets:read")
	tk := f.acct.AddTicket(Ticket{Subject: "Printer", RequesterID: f.endUser.ID})
	ticketPath := "/api/v2/tickets/1.json"
	const unauth = `{"error":"Couldn't authenticate you"}`
	const forbidden = `{"error":"Forbidden","description":"You do not have access to this page. Please contact the account owner of this help desk for further help."}`

	tests := []struct {
		name, method, path, auth string
		want                     int
		wantBody                 string
	}{
		{"no credentials", "GET", ticketPath, "", 401, unauth},
		{"garbage scheme", "GET", ticketPath, "Token abc", 401, unauth},
		{"wrong api token", "GET", ticketPath, basicAuth(f.admin.Email, "nope"), 401, unauth},
		{"password instead of token", "GET", ticketPath, "Basic YWRhQGFjbWUuZXhhbXBsZTpwYXNzd29yZA==", 401, unauth},
		{"unknown email", "GET", ticketPath, basicAuth("who@acme.example", f.token), 401, unauth},
		{"end-user email with api token", "GET", ticketPath, basicAuth(f.endUser.Email, f.token), 401, unauth},
		{"inactive agent", "GET", ticketPath, basicAuth(inactive.Email, f.token), 401, unauth},
		{"unknown bearer", "GET", ticketPath, "Bearer deadbeef", 401, unauth},
		{"api token, email case differs", "GET", ticketPath, basicAuth("ADA@acme.example", f.token), 200, ""},
		{"agent api token", "GET", ticketPath, basicAuth(f.agent.Email, f.token), 200, ""},
		{"end-user oauth on agent endpoint", "GET", ticketPath, "Bearer " + endUserOAuth, 403, forbidden},
		{"end-user oauth on me", "GET", "/api/v2/users/me.json", "Bearer " + endUserOAuth, 200, ""},
		{"read scope cannot write", "PUT", ticketPath, "Bearer " + readOnly, 403,
			`{"error":"Forbidden","description":"You are missing the following required scopes: write"}`},
		{"resource scope reads its resource", "GET", ticketPath, "Bearer " + ticketsRead, 200, ""},
		{"resource scope does not read users", "GET", "/api/v2/users/me.json", "Bearer " + ticketsRead, 403, ""},
		{"agent cannot export", "GET", "/api/v2/incremental/tickets/cursor.json?start_time=0", basicAuth(f.agent.Email, f.token), 403, forbidden},
		{"admin can export", "GET", "/api/v2/incremental/tickets/cursor.json?start_time=0", basicAuth(f.admin.Email, f.token), 200, ""},
		{"public key is anonymous", "GET", "/api/v2/apps/4242/public_key.pem", "Bearer garbage", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"Content-Type: application/json"}
			if tt.auth != "" {
				headers = append(headers, "Authorization: "+tt.auth)
			}
			body := ""
			if tt.method == "PUT" {
				body = `{"ticket":{"status":"open"}}`
			}
			resp, b := request(t, tt.method, f.acct.BaseURL()+tt.path, body, headers...)
			wantStatus(t, resp, b, tt.want)
			if tt.wantBody != "" && string(b) != tt.wantBody {
				t.Errorf("body = %s, want %s", b, tt.wantBody)
			}
		})
	}
	if got, _ := f.acct.Ticket(tk.ID); got.Status != "new" {
		t.Errorf("a refused PUT changed the ticket: status %q", got.Status)
	}
}

func TestRevokeAndExpireTokens(t *testing.T) {
	f := newFixture(t)
	oauth := f.acct.IssueOAuthToken(f.admin.ID)
	me := f.acct.BaseURL() + "/api/v2/users/me.json"
	for _, auth := range []string{basicAuth(f.admin.Email, f.token), "Bearer " + oauth} {
		resp, b := request(t, "GET", me, "", "Authorization: "+auth)
		wantStatus(t, resp, b, http.StatusOK)
	}
	f.acct.ExpireOAuthTokens()
	resp, b := request(t, "GET", me, "", "Authorization: Bearer "+oauth)
	wantStatus(t, resp, b, http.StatusUnauthorized)

	fresh := f.acct.IssueOAuthToken(f.admin.ID)
	f.acct.RevokeTokens()
	for _, auth := range []string{basicAuth(f.admin.Email, f.token), "Bearer " + fresh} {
		resp, b := request(t, "GET", me, "", "Authorization: "+auth)
		wantStatus(t, resp, b, http.StatusUnauthorized)
	}
}

func TestRoleChangesTakeEffect(t *testing.T) {
	f := newFixture(t)
	oauth := f.acct.IssueOAuthToken(f.admin.ID)
	if err := f.acct.SetUserRole(f.admin.ID, RoleAgent); err != nil {
		t.Fatal(err)
	}
	resp, b := request(t, "GET", f.acct.BaseURL()+"/api/v2/users/me.json", "", "Authorization: Bearer "+oauth)
	wantStatus(t, resp, b, http.StatusOK)
	if role := decode(t, b)["user"].(map[string]any)["role"]; role != RoleAgent {
		t.Errorf("me.role = %v after demotion, want agent", role)
	}
	if err := f.acct.SetUserRole(f.admin.ID, RoleEndUser); err != nil {
		t.Fatal(err)
	}
	resp, b = f.get(t, "/api/v2/users/me.json")
	wantStatus(t, resp, b, http.StatusUnauthorized)
	if err := f.acct.SetUserRole(f.admin.ID, "owner"); err == nil {
		t.Error("SetUserRole accepted an unknown role")
	}
}
