package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/crossview/crossview/server/internal/crossview"
)

// permissionsSOQL reads the signed-in user's effective system permissions.
const permissionsSOQL = "SELECT PermissionsApiEnabled, PermissionsModifyAllData, PermissionsViewSetup, " +
	"PermissionsCustomizeApplication, PermissionsModifyMetadata FROM UserPermissionAccess"

// Permissions is what a Salesforce user may do, as far as connecting
// Crossview is concerned.
type Permissions struct {
	APIEnabled, ModifyAllData, ViewSetup, CustomizeApplication, ModifyMetadata bool
	UserType, ProfileName, Username, Name                                      string
	Active                                                                     bool
}

// Missing names what an admin connecting Crossview lacks, in words an
// admin understands; it is empty when nothing is. The System Administrator
// profile has both "API Enabled" and "Modify All Data". A user without API
// access cannot read anything else about themselves, so that is then all
// it names.
func (p Permissions) Missing() []string {
	if !p.APIEnabled {
		return []string{"API Enabled"}
	}
	var out []string
	if !p.ModifyAllData {
		out = append(out, "Modify All Data")
	}
	if !p.Active {
		out = append(out, "an active user (this user is deactivated)")
	}
	switch p.UserType {
	case "Standard":
	case "":
		out = append(out, "a Standard user licence")
	default:
		out = append(out, fmt.Sprintf("a Standard user licence (this user's type is %s)", p.UserType))
	}
	return out
}

// CheckPermissions reads what the user who just granted accessToken may do,
// in one composite call made with that token (it is not stored yet). A
// user whose profile lacks API Enabled cannot make the call at all;
// Salesforce answers 403 API_CURRENTLY_DISABLED, which comes back as
// Permissions whose Missing names exactly that, not as an error.
func (c *Client) CheckPermissions(ctx context.Context, orgID, instanceURL, accessToken, userID string) (Permissions, error) {
	if !crossview.ValidSalesforceID(userID) {
		return Permissions{}, fmt.Errorf("salesforce: checking permissions: %q is not a Salesforce user id", userID)
	}
	req := CompositeRequest{Subrequests: []Subrequest{
		{Method: http.MethodGet, URL: c.QueryPath(permissionsSOQL), ReferenceID: "perms"},
		{Method: http.MethodGet, ReferenceID: "user", URL: c.QueryPath(
			"SELECT Id, Username, Name, UserType, IsActive, Profile.Name FROM User WHERE Id = " + Quote(userID))},
	}}
	var resp CompositeResponse
	err := c.DoAs(ctx, orgID, instanceURL, accessToken, http.MethodPost, c.DataPath("/composite"), req, &resp)
	if isAPIDisabled(err) {
		return Permissions{}, nil
	}
	if err != nil {
		return Permissions{}, fmt.Errorf("salesforce: checking permissions: %w", err)
	}

	var perms struct {
		PermissionsApiEnabled           bool
		PermissionsModifyAllData        bool
		PermissionsViewSetup            bool
		PermissionsCustomizeApplication bool
		PermissionsModifyMetadata       bool
	}
	if err := firstRecord(&resp, "perms", &perms); err != nil {
		if isAPIDisabled(err) {
			return Permissions{}, nil
		}
		return Permissions{}, fmt.Errorf("salesforce: reading permissions: %w", err)
	}
	var user struct {
		Username, Name, UserType string
		IsActive                 bool
		Profile                  *struct{ Name string }
	}
	if err := firstRecord(&resp, "user", &user); err != nil {
		return Permissions{}, fmt.Errorf("salesforce: reading user %s: %w", userID, err)
	}
	p := Permissions{
		APIEnabled:           perms.PermissionsApiEnabled,
		ModifyAllData:        perms.PermissionsModifyAllData,
		ViewSetup:            perms.PermissionsViewSetup,
		CustomizeApplication: perms.PermissionsCustomizeApplication,
		ModifyMetadata:       perms.PermissionsModifyMetadata,
		UserType:             user.UserType,
		Username:             user.Username,
		Name:                 user.Name,
		Active:               user.IsActive,
	}
	if user.Profile != nil {
		p.ProfileName = user.Profile.Name
	}
	return p, nil
}

// errNoRecord means a query that must find one row found none.
var errNoRecord = errors.New("salesforce: the query found no record")

// firstRecord decodes the first row of the query answered under ref.
func firstRecord(resp *CompositeResponse, ref string, out any) error {
	sub, err := resp.Get(ref)
	if err != nil {
		return err
	}
	if err := sub.Err(); err != nil {
		return err
	}
	var page QueryResult
	if err := json.Unmarshal(sub.Body, &page); err != nil {
		return fmt.Errorf("salesforce: decoding %s: %w", ref, err)
	}
	if len(page.Records) == 0 {
		return errNoRecord
	}
	if err := json.Unmarshal(page.Records[0], out); err != nil {
		return fmt.Errorf("salesforce: decoding %s: %w", ref, err)
	}
	return nil
}

// isAPIDisabled reports whether Salesforce refused a call because the
// user's profile lacks API Enabled.
func isAPIDisabled(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Status == http.StatusForbidden && e.Code == "API_CURRENTLY_DISABLED"
}
