package store

import (
	"context"

	"github.com/crossview/crossview/server/internal/crossview"
)

// tablePrefs holds per-user choices within a scope's partition.
const tablePrefs = "prefs"

// maxPreference bounds one stored choice; preferences are small by nature.
const maxPreference = 4 << 10

// Preference returns what PutPreference stored for user in scope, or
// crossview.ErrNotFound.
func (s *Store) Preference(ctx context.Context, scope, user string) ([]byte, error) {
	if !validID(scope) || !validID(user) {
		return nil, crossview.Errorf(crossview.EINVALID, "preference scope and user must be ids")
	}
	b, err := s.b.Get(ctx, "pref:"+scope, tablePrefs, user)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// PutPreference stores a small value for user in scope (a rep's ticket
// filters in an org, say).
func (s *Store) PutPreference(ctx context.Context, scope, user string, value []byte) error {
	if !validID(scope) || !validID(user) {
		return crossview.Errorf(crossview.EINVALID, "preference scope and user must be ids")
	}
	if len(value) > maxPreference {
		return crossview.Errorf(crossview.ETOOLARGE, "a preference holds at most %d bytes", maxPreference)
	}
	return s.b.Put(ctx, "pref:"+scope, tablePrefs, user, value)
}
