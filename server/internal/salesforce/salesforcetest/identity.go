package salesforcetest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// IssueTokens returns an access and a refresh token for a user as if they
// had completed the OAuth flow (scope "refresh_token api id"). It panics
// when the org has no such user, a mistake in the calling test.
func (o *Org) IssueTokens(userID string) (accessToken, refreshToken string) {
	u := o.user(userID)
	if u == nil {
		panic(fmt.Sprintf("salesforcetest: IssueTokens: org %s has no user %q", o.id, userID))
	}
	c := o.cloud
	g := c.tokens.newGrant(o.id, u.ID, c.opts.ClientID, defaultScope)
	ss := c.tokens.newSession(o.id, u.ID, defaultScope, g, c.now(), c.opts.SessionTimeout)
	return ss.token, g.refresh
}

// serveIdentity answers GET /id/{orgId}/{userId} with a Bearer token (or
// oauth_token parameter), on the login host (host nil) or an instance host.
// A bad token gets 403 with the plain-text body Bad_OAuth_Token, as the
// Salesforce identity service does.
func (c *Cloud) serveIdentity(w http.ResponseWriter, r *http.Request, host *Org) {
	plain := func(status int, text string) {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, text)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		plain(http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/id/"), "/")
	if len(parts) != 2 {
		plain(http.StatusNotFound, "Bad_Id")
		return
	}
	o := c.Org(parts[0])
	if o == nil || (host != nil && host != o) {
		plain(http.StatusNotFound, "Bad_Id")
		return
	}
	if host == nil && !o.wait(r.Context()) {
		return
	}
	token := bearerToken(r)
	if token == "" {
		token = r.URL.Query().Get("oauth_token")
	}
	k := o.knobs()
	ss, ok := c.tokens.use(token, o.id, c.now(), c.opts.SessionTimeout)
	if !ok || (k.lockedIP != "" && remoteIP(r) != k.lockedIP) {
		plain(http.StatusForbidden, "Bad_OAuth_Token")
		return
	}
	u := o.user(ss.userID)
	if u == nil || normalizeID(parts[1]) != u.ID {
		plain(http.StatusForbidden, "Bad_Id")
		return
	}
	version := "{version}"
	switch v := r.URL.Query().Get("version"); {
	case v == "latest":
		version = apiVersion(maxAPIVersion).String()
	case v != "":
		if av, state := parseAPIVersion("v" + v); state == versionServed {
			version = av.String()
		}
	}
	writeJSON(w, http.StatusOK, c.identityBody(o, u, version))
}

func (c *Cloud) identityBody(o *Org, u *User, version string) object {
	base, org15, data := o.url, o.id[:15], o.url+"/services/data/v"+version
	created := time.Time{}
	o.mu.Lock()
	if r := o.data.records[u.ID]; r != nil {
		created, _ = r.vals["LastModifiedDate"].(time.Time)
	}
	o.mu.Unlock()
	nick, _, _ := strings.Cut(u.Username, "@")
	return object{
		{"id", c.loginURL + "/id/" + o.id + "/" + u.ID},
		{"asserted_user", true},
		{"user_id", u.ID},
		{"organization_id", o.id},
		{"username", u.Username},
		{"nick_name", nick},
		{"display_name", u.fullName()},
		{"email", u.Email},
		{"email_verified", true},
		{"first_name", nilIfEmpty(u.FirstName)},
		{"last_name", u.LastName},
		{"timezone", "GMT"},
		{"photos", object{{"picture", base + "/profilephoto/005/F"}, {"thumbnail", base + "/profilephoto/005/T"}}},
		{"mobile_phone", nil},
		{"mobile_phone_verified", false},
		{"is_lightning_login_user", false},
		{"status", object{{"created_date", nil}, {"body", nil}}},
		{"urls", object{
			{"enterprise", base + "/services/Soap/c/" + version + "/" + org15},
			{"metadata", base + "/services/Soap/m/" + version + "/" + org15},
			{"partner", base + "/services/Soap/u/" + version + "/" + org15},
			{"rest", data + "/"},
			{"sobjects", data + "/sobjects/"},
			{"search", data + "/search/"},
			{"query", data + "/query/"},
			{"recent", data + "/recent/"},
			{"tooling_soap", base + "/services/Soap/T/" + version + "/" + org15},
			{"tooling_rest", data + "/tooling/"},
			{"profile", base + "/" + u.ID},
			{"feeds", data + "/chatter/feeds"},
			{"groups", data + "/chatter/groups"},
			{"users", data + "/chatter/users"},
			{"feed_items", data + "/chatter/feed-items"},
			{"feed_elements", data + "/chatter/feed-elements"},
			{"custom_domain", base},
		}},
		{"active", true},
		{"user_type", strings.ToUpper(u.UserType)},
		{"language", "en_US"},
		{"locale", "en_US"},
		{"utcOffset", 0},
		{"last_modified_date", created.UTC().Format(time.RFC3339)},
		{"is_app_installed", true},
	}
}
