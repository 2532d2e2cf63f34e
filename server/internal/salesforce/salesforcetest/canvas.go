package salesforcetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// SignCanvasRequest returns a Canvas signed_request exactly as Salesforce
// POSTs it to a canvas app on a record page:
// base64(HMAC-SHA256(consumerSecret, envelope)) + "." + envelope, where the
// envelope is standard base64 (with padding) of the CanvasRequest JSON. The
// envelope carries a fresh access token for the user that this org's REST
// API accepts, a 15-character top-level userId like real requests, and,
// when recordID is set, the record and parameters.recordId. sobject may be
// "" to infer the type from the id.
func (c *Cloud) SignCanvasRequest(orgID, userID, recordID, sobject, consumerSecret string, params map[string]any) (string, error) {
	if consumerSecret == "" {
		return "", errors.New("salesforcetest: SignCanvasRequest: the consumer secret is empty")
	}
	o := c.Org(orgID)
	if o == nil {
		return "", fmt.Errorf("salesforcetest: SignCanvasRequest: no org %q", orgID)
	}
	u := o.user(userID)
	if u == nil {
		return "", fmt.Errorf("salesforcetest: SignCanvasRequest: org %s has no user %q", o.id, userID)
	}
	v := apiVersion(maxAPIVersion)
	env, err := o.canvasEnvironment(u, recordID, sobject, params, v)
	if err != nil {
		return "", err
	}
	ss := c.tokens.newSession(o.id, u.ID, defaultScope, nil, c.now(), c.opts.SessionTimeout)
	profileID := ""
	o.mu.Lock()
	if r := o.data.records[u.ID]; r != nil {
		profileID = r.str("ProfileId")
	}
	o.mu.Unlock()
	data := v.dataPath()
	org15 := o.id[:15]
	req := object{
		{"algorithm", "HMACSHA256"},
		{"issuedAt", c.now().Unix()},
		{"userId", u.ID[:15]},
		{"client", object{
			{"instanceId", prefixCanvasApp + "Dx0000000001:"},
			{"instanceUrl", o.url},
			{"oauthToken", ss.token},
			{"refreshToken", nil},
			{"targetOrigin", o.url},
		}},
		{"context", object{
			{"application", object{
				{"applicationId", prefixCanvasApp + "Dx000000000A"}, {"authType", "SIGNED_REQUEST"},
				{"canvasUrl", ""}, {"developerName", "Crossview"}, {"isInstalledPersonalApp", false},
				{"name", "Crossview"}, {"namespace", nil}, {"options", []string{}},
				{"referenceId", "09HDx000000001A"}, {"samlInitiationMethod", "None"}, {"version", "1.0"},
			}},
			{"user", object{
				{"accessibilityModeEnabled", false}, {"currencyISOCode", o.currency}, {"email", u.Email},
				{"firstName", u.FirstName}, {"fullName", u.fullName()}, {"isDefaultNetwork", true},
				{"language", "en_US"}, {"lastName", u.LastName}, {"locale", "en_US"}, {"networkId", nil},
				{"profileId", shortID(profileID)}, {"profilePhotoUrl", o.url + "/profilephoto/005/F"},
				{"profileThumbnailUrl", o.url + "/profilephoto/005/T"}, {"roleId", nil}, {"siteUrl", nil},
				{"siteUrlPrefix", nil}, {"timeZone", "GMT"}, {"userId", u.ID}, {"userName", u.Username},
				{"userType", strings.ToUpper(u.UserType)},
			}},
			{"environment", env},
			{"organization", object{
				{"currencyIsoCode", o.currency}, {"multicurrencyEnabled", o.multiCurrency}, {"name", o.name},
				{"namespacePrefix", nil}, {"organizationId", o.id},
			}},
			{"links", object{
				{"chatterFeedItemsUrl", data + "/chatter/feed-items"}, {"chatterFeedsUrl", data + "/chatter/feeds"},
				{"chatterGroupsUrl", data + "/chatter/groups"}, {"chatterUsersUrl", data + "/chatter/users"},
				{"enterpriseUrl", "/services/Soap/c/" + v.String() + "/" + org15}, {"loginUrl", o.url + "/"},
				{"metadataUrl", "/services/Soap/m/" + v.String() + "/" + org15},
				{"partnerUrl", "/services/Soap/u/" + v.String() + "/" + org15},
				{"queryUrl", data + "/query/"}, {"recentItemsUrl", data + "/recent/"}, {"restUrl", data + "/"},
				{"searchUrl", data + "/search/"}, {"sobjectUrl", data + "/sobjects/"}, {"userUrl", "/" + u.ID},
			}},
		}},
	}
	js, err := marshal(req)
	if err != nil {
		return "", fmt.Errorf("salesforcetest: SignCanvasRequest: encoding: %w", err)
	}
	envelope := base64.StdEncoding.EncodeToString(js)
	mac := hmac.New(sha256.New, []byte(consumerSecret))
	mac.Write([]byte(envelope))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)) + "." + envelope, nil
}

// canvasEnvironment is the Environment object of a record-page canvas app.
func (o *Org) canvasEnvironment(u *User, recordID, sobject string, params map[string]any, v apiVersion) (object, error) {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys) // map order is random; envelopes should be stable
	parameters := object{}
	for _, k := range keys {
		parameters = append(parameters, member{k, params[k]})
	}
	season, _ := v.season()
	env := object{
		{"parameters", parameters},
		{"dimensions", object{
			{"clientHeight", "50px"}, {"clientWidth", "70px"}, {"height", "900px"}, {"width", "800px"},
			{"maxHeight", "2000px"}, {"maxWidth", "1000px"},
		}},
		{"displayLocation", "PageLayout"},
		{"locationUrl", o.url + "/lightning/page/home"},
		{"sublocation", nil},
		{"uiTheme", "Theme4d"},
		{"version", object{{"api", v.String()}, {"season", strings.ToUpper(season)}}},
	}
	if recordID == "" {
		return env, nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	r := o.data.lookup(recordID)
	if r == nil || !o.data.canSee(u, r) || (sobject != "" && !strings.EqualFold(sobject, r.obj.name)) {
		return nil, fmt.Errorf("salesforcetest: SignCanvasRequest: user %s sees no %s record %q", u.ID, sobject, recordID)
	}
	if _, ok := params["recordId"]; !ok {
		parameters = append(parameters, member{"recordId", r.id})
		env[0].val = parameters
	}
	env.set("locationUrl", o.url+"/lightning/r/"+r.obj.name+"/"+r.id+"/view")
	env = append(env, member{"record", object{{"attributes", attributes(r.obj, r.id, v)}, {"Id", r.id}}})
	return env, nil
}

func shortID(id string) string {
	if len(id) == 18 {
		return id[:15]
	}
	return id
}
