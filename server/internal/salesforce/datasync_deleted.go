package salesforce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
)

// ReplicationError is Salesforce refusing a getDeleted window with
// INVALID_REPLICATION_DATE: its start is before what the org still
// remembers (over 15 days back, or before the recycle bin was emptied), so
// the deletes in between are beyond reach and the object must be read in
// full again.
type ReplicationError struct {
	Object string
	Start  time.Time
	Err    *APIError
}

func (e *ReplicationError) Error() string {
	return fmt.Sprintf("salesforce: the %s deletes from %s are no longer available (%s): the object must be resynced",
		e.Object, e.Start.UTC().Format(time.RFC3339), e.Err.Message)
}

func (e *ReplicationError) Unwrap() error { return e.Err }

// ResyncNeeded says the object must be read in full again. The data sync
// core asks for it by behaviour (an interface{ ResyncNeeded() bool }), so
// it need not know this package.
func (e *ReplicationError) ResyncNeeded() bool { return true }

// IsResyncNeeded reports whether err means deletes were lost to polling
// and the object must be resynced.
func IsResyncNeeded(err error) bool {
	var e *ReplicationError
	return errors.As(err, &e)
}

// deletedAnswer is getDeleted's body.
type deletedAnswer struct {
	DeletedRecords []struct {
		ID          string `json:"id"`
		DeletedDate string `json:"deletedDate"`
	} `json:"deletedRecords"`
	EarliestDateAvailable string `json:"earliestDateAvailable"`
	LatestDateCovered     string `json:"latestDateCovered"`
}

// Deleted lists the records of object deleted in [start, end) with the
// getDeleted resource (/sobjects/{Object}/deleted/?start=&end=), in one
// call, and latestDateCovered: the next window starts there. Salesforce
// works in whole minutes (both ends are cut to the minute) and never past
// the current one; a window under a minute is nothing to ask, and costs no
// call. A start Salesforce no longer covers is a *ReplicationError.
func (s *DataSource) Deleted(ctx context.Context, conn crossview.Connection, object string, start, end time.Time) ([]crossview.SFDeleted, time.Time, error) {
	if err := syncObject(object); err != nil {
		return nil, time.Time{}, err
	}
	from, to := start.UTC().Truncate(time.Minute), end.UTC().Truncate(time.Minute)
	if !from.Before(to) {
		return nil, start, nil
	}
	q := url.Values{"start": {from.Format(time.RFC3339)}, "end": {to.Format(time.RFC3339)}}
	var a deletedAnswer
	err := s.c.Do(ctx, conn, http.MethodGet, s.c.DataPath("/sobjects/"+object+"/deleted/?"+q.Encode()), nil, &a)
	var e *APIError
	if errors.As(err, &e) && e.Code == "INVALID_REPLICATION_DATE" {
		return nil, time.Time{}, &ReplicationError{Object: object, Start: from, Err: e}
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	covered, err := parseDateTime(a.LatestDateCovered)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("salesforce: getDeleted's latestDateCovered: %w", err)
	}
	out := make([]crossview.SFDeleted, 0, len(a.DeletedRecords))
	for _, r := range a.DeletedRecords {
		at, err := parseDateTime(r.DeletedDate)
		if err != nil || r.ID == "" {
			return nil, time.Time{}, fmt.Errorf("salesforce: getDeleted listed %q deleted at %q", r.ID, r.DeletedDate)
		}
		out = append(out, crossview.SFDeleted{Object: object, ID: r.ID, Deleted: at})
	}
	return out, covered, nil
}
