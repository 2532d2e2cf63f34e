package zendesktest

import "strings"

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

// indexUser records u's email and external id. Callers hold a.mu.
func (a *Account) indexUser(u *User) {
	if u.Email != "" {
		a.idx.userEmail[indexKey(u.Email)] = u
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

// userByEmail finds a user by email, ignoring case. Callers hold a.mu.
func (a *Account) userByEmail(email string) *User {
	if u := a.idx.userEmail[indexKey(email)]; u != nil && email != "" && strings.EqualFold(u.Email, email) && a.users[u.ID] == u {
		return u
	}
	return nil
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
