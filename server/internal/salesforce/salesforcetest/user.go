package salesforcetest

import (
	"fmt"
	"strings"
	"time"
)

// User is a Salesforce user of one org.
type User struct {
	// ID is the 18-character user id (005...); AddUser assigns one when empty.
	ID        string
	Username  string
	Email     string // default: Username
	FirstName string
	LastName  string // default: the part of Username before @
	// ProfileName names the user's profile; default "Standard User".
	ProfileName string
	// UserType is "Standard" by default.
	UserType string
	// APIOnly users cannot sign in interactively, so they cannot complete
	// the OAuth web-server flow.
	APIOnly bool
	Perms   Permissions
	// SeeAllData stands for "View All Data": the user sees every record.
	SeeAllData bool
}

// Permissions are a user's effective system permissions, as
// UserPermissionAccess reports them (PermissionsApiEnabled, ...).
type Permissions struct {
	APIEnabled           bool
	ModifyAllData        bool
	ViewSetup            bool
	CustomizeApplication bool
	ModifyMetadata       bool
}

// AddUser adds u to the org and returns it with defaults filled in. It
// panics on a malformed id or a username already taken in the Cloud,
// which are mistakes in the calling test.
func (o *Org) AddUser(u User) User {
	if u.Username == "" {
		panic("salesforcetest: AddUser: Username is required")
	}
	if u.ID == "" {
		u.ID = o.cloud.nextID(prefixUser)
	} else {
		id, err := ID18(u.ID)
		if err != nil || id[:3] != prefixUser {
			panic(fmt.Sprintf("salesforcetest: AddUser: %q is not a user id (005...)", u.ID))
		}
		u.ID = id
	}
	if u.Email == "" {
		u.Email = u.Username
	}
	if u.LastName == "" {
		u.LastName, _, _ = strings.Cut(u.Username, "@")
	}
	if u.ProfileName == "" {
		u.ProfileName = "Standard User"
	}
	if u.UserType == "" {
		u.UserType = "Standard"
	}

	c := o.cloud
	c.mu.Lock()
	if _, taken := c.usernames[strings.ToLower(u.Username)]; taken {
		c.mu.Unlock()
		panic(fmt.Sprintf("salesforcetest: AddUser: username %q is already taken", u.Username))
	}
	c.usernames[strings.ToLower(u.Username)] = userSlot{orgID: o.id, userID: u.ID}
	c.mu.Unlock()

	o.mu.Lock()
	defer o.mu.Unlock()
	d := o.data
	stored := u
	d.users[u.ID] = &stored
	if d.firstUser == "" {
		d.firstUser = u.ID
	}
	obj := d.schema.object("User")
	r := &record{obj: obj, id: u.ID, shared: map[string]bool{}, vals: map[string]any{}}
	now := d.now().UTC().Truncate(time.Second)
	for k, v := range map[string]any{
		"Id": u.ID, "Username": u.Username, "Email": u.Email, "FirstName": nilIfEmpty(u.FirstName),
		"LastName": u.LastName, "Alias": alias(u), "IsActive": true, "UserType": u.UserType,
		"ProfileId": d.profileID(u.ProfileName), "TimeZoneSidKey": "GMT", "LocaleSidKey": "en_US",
		"LanguageLocaleKey": "en_US", "CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now,
	} {
		setVal(r, k, v)
	}
	derive(r, now)
	d.records[r.id] = r
	d.byObject[obj.name] = append(d.byObject[obj.name], r)
	return u
}

// user returns a copy of the user with id, or nil.
func (o *Org) user(id string) *User {
	o.mu.Lock()
	defer o.mu.Unlock()
	u := o.data.users[normalizeID(id)]
	if u == nil {
		return nil
	}
	cp := *u
	return &cp
}

// users lists the org's users in the order they were added.
func (o *Org) users() []User {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []User
	for _, r := range o.data.byObject["User"] {
		if u := o.data.users[r.id]; u != nil {
			out = append(out, *u)
		}
	}
	return out
}

// profileID returns the id of the named profile, creating it on first use.
func (d *orgData) profileID(name string) string {
	if id, ok := d.profiles[strings.ToLower(name)]; ok {
		return id
	}
	obj := d.schema.object("Profile")
	r := &record{obj: obj, id: d.newID(prefixProfile), shared: map[string]bool{},
		vals: map[string]any{"Name": name, "UserType": "Standard"}}
	r.vals["Id"] = r.id
	d.records[r.id] = r
	d.byObject[obj.name] = append(d.byObject[obj.name], r)
	d.profiles[strings.ToLower(name)] = r.id
	return r.id
}

func alias(u User) string {
	a := strings.ToLower(u.LastName)
	if u.FirstName != "" {
		a = strings.ToLower(u.FirstName[:1]) + a
	}
	if len(a) > 8 {
		a = a[:8]
	}
	return a
}

func (u *User) fullName() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }
