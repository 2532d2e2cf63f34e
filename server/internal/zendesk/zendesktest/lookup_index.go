package zendesktest

import (
	"slices"
	"strings"
)

// lookupIndex finds users and organizations by email, external id and
// name without scanning them all: an emulator holding 60,000 records must
// answer as fast as it did holding 60. Every write of one of those fields
// goes through index, so a key missing from the index is truly absent; an
// entry whose record no longer carries the key is stale and ignored.
type lookupIndex struct {
	userEmail map[string]*User
	userExt   map[string]*User
	orgExt    map[string]*Organization
	orgName   map[string]*Organization
}

func newLookupIndex() lookupIndex {
	return lookupIndex{userEmail: map[string]*User{}, userExt: map[string]*User{},
		orgExt: map[string]*Organization{}, orgName: map[string]*Organization{}}
}

func indexKey(s string) string { return strings.ToLower(s) }

// indexUser records u's email identities and external id. Callers hold
// a.mu.
func (a *Account) indexUser(u *User) {
	for _, e := range u.emails() {
		a.idx.userEmail[indexKey(e)] = u
	}
	if u.ExternalID != "" {
		a.idx.userExt[indexKey(u.ExternalID)] = u
	}
}

// indexOrg records o's name and external id. Callers hold a.mu.
func (a *Account) indexOrg(o *Organization) {
	if o.Name != "" {
		a.idx.orgName[indexKey(o.Name)] = o
	}
	if o.ExternalID != "" {
		a.idx.orgExt[indexKey(o.ExternalID)] = o
	}
}

// userByEmail finds the user holding an email identity, primary or
// secondary, ignoring case: Zendesk keeps an email address unique across
// all users' identities. Callers hold a.mu.
func (a *Account) userByEmail(email string) *User {
	if u := a.idx.userEmail[indexKey(email)]; u != nil && email != "" && a.users[u.ID] == u && u.hasEmail(email) {
		return u
	}
	return nil
}

// emails lists the user's email identities, the primary first.
func (u *User) emails() []string {
	if u.Email == "" {
		return u.OtherEmails
	}
	return append([]string{u.Email}, u.OtherEmails...)
}

// hasEmail reports whether email is one of the user's email identities.
func (u *User) hasEmail(email string) bool {
	return slices.ContainsFunc(u.emails(), func(e string) bool { return strings.EqualFold(e, email) })
}

// userByExternalID finds a user by external id, ignoring case. Callers
// hold a.mu.
func (a *Account) userByExternalID(ext string) *User {
	if u := a.idx.userExt[indexKey(ext)]; u != nil && ext != "" && strings.EqualFold(u.ExternalID, ext) && a.users[u.ID] == u {
		return u
	}
	return nil
}

// orgByExternalID finds an organization by external id, ignoring case.
// Callers hold a.mu.
func (a *Account) orgByExternalID(ext string) *Organization {
	if o := a.idx.orgExt[indexKey(ext)]; o != nil && ext != "" && strings.EqualFold(o.ExternalID, ext) && a.orgs[o.ID] == o {
		return o
	}
	return nil
}

// orgByName finds an organization by name, ignoring case. Callers hold
// a.mu.
func (a *Account) orgByName(name string) *Organization {
	if o := a.idx.orgName[indexKey(name)]; o != nil && strings.EqualFold(o.Name, name) && a.orgs[o.ID] == o {
		return o
	}
	return nil
}
