package salesforcetest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"
)

type updatedBody struct {
	IDs               []string `json:"ids"`
	LatestDateCovered string   `json:"latestDateCovered"`
}

type deletedBody struct {
	DeletedRecords []struct {
		ID          string `json:"id"`
		DeletedDate string `json:"deletedDate"`
	} `json:"deletedRecords"`
	EarliestDateAvailable string `json:"earliestDateAvailable"`
	LatestDateCovered     string `json:"latestDateCovered"`
}

func (e *env) replication(t *testing.T, token, object, kind string, start, end time.Time, out any) response {
	t.Helper()
	q := url.Values{"start": {start.Format(time.RFC3339)}, "end": {end.Format(time.RFC3339)}}
	r := call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/"+object+"/"+kind+"/?"+q.Encode(), token, "")
	if r.status == http.StatusOK && out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("decoding %s: %v", r.body, err)
		}
	}
	return r
}

func TestGetUpdated(t *testing.T) {
	clock := newFakeClock() // 2026-11-25 10:00:00 UTC
	e := newEnv(t, Options{Now: clock.Now})
	t0 := clock.Now()
	a := e.mustInsert(t, "Contact", map[string]any{"LastName": "A"}) // 10:00:00
	clock.Advance(90 * time.Second)
	b := e.mustInsert(t, "Contact", map[string]any{"LastName": "B", "OwnerId": e.rep.ID}) // 10:01:30
	clock.Advance(2 * time.Minute)
	if err := e.org.Update("Contact", a, map[string]any{"Title": "CTO"}); err != nil { // 10:03:30
		t.Fatal(err)
	}
	gone := e.mustInsert(t, "Contact", map[string]any{"LastName": "Gone"})
	if err := e.org.Delete("Contact", gone); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute) // now 10:13:30

	var got updatedBody
	// Seconds are cut from start and end: 10:01:45 is 10:01:00.
	r := e.replication(t, e.adminToken, "Contact", "updated", t0.Add(105*time.Second), t0.Add(3*time.Minute), &got)
	if r.status != http.StatusOK || !slices.Equal(got.IDs, []string{b}) || got.LatestDateCovered != "2026-11-25T10:03:00.000+0000" {
		t.Errorf("10:01–10:03: %d %s", r.status, r.body)
	}
	r = e.replication(t, e.adminToken, "Contact", "updated", t0, t0.Add(10*time.Minute), &got)
	if !slices.Equal(got.IDs, []string{a, b}) {
		t.Errorf("10:00–10:10 = %v, want A (moved by its update) and B, not the deleted one: %s", got.IDs, r.body)
	}
	// The rep sees only the records shared with them.
	e.replication(t, e.repToken, "Contact", "updated", t0, t0.Add(10*time.Minute), &got)
	if !slices.Equal(got.IDs, []string{b}) {
		t.Errorf("rep sees %v, want only B", got.IDs)
	}
	// An end in the future covers up to the current minute only, so the
	// next poll starting there misses nothing.
	r = e.replication(t, e.adminToken, "Contact", "updated", t0, t0.Add(time.Hour), &got)
	if got.LatestDateCovered != "2026-11-25T10:13:00.000+0000" {
		t.Errorf("future end: %s", r.body)
	}
	for name, tc := range map[string][2]time.Time{
		"start after end":        {t0.Add(5 * time.Minute), t0},
		"within one minute":      {t0, t0.Add(59 * time.Second)},
		"more than 30 days back": {t0.Add(-31 * 24 * time.Hour), t0},
	} {
		r := e.replication(t, e.adminToken, "Contact", "updated", tc[0], tc[1], nil)
		if r.status != http.StatusBadRequest || r.errorCode(t) != "INVALID_REPLICATION_DATE" {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	r = call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/Contact/updated/?start=yesterday&end=today", e.adminToken, "")
	if r.status != http.StatusBadRequest {
		t.Errorf("unparseable dates: %d %s", r.status, r.body)
	}
	r = call(t, http.MethodGet, e.org.InstanceURL()+data+"/sobjects/Contact/updated/", e.adminToken, "")
	if r.status != http.StatusBadRequest {
		t.Errorf("no dates: %d %s", r.status, r.body)
	}
	if e.org.Stats().Calls["getUpdated"] != 9 {
		t.Errorf("calls = %v", e.org.Stats().Calls)
	}
}

func TestGetDeleted(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Options{Now: clock.Now})
	t0 := clock.Now()
	acc := e.mustInsert(t, "Account", map[string]any{"Name": "Acme"})
	con := e.mustInsert(t, "Contact", map[string]any{"LastName": "Doe", "AccountId": acc})
	lead := e.mustInsert(t, "Lead", map[string]any{"LastName": "L", "Company": "C"})
	clock.Advance(2 * time.Minute)
	if r := call(t, http.MethodDelete, e.org.InstanceURL()+data+"/sobjects/Account/"+acc, e.adminToken, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	clock.Advance(3 * time.Minute)
	if err := e.org.Delete("Lead", lead); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Minute)

	var got deletedBody
	r := e.replication(t, e.adminToken, "Contact", "deleted", t0, t0.Add(10*time.Minute), &got)
	// Deleting the Account took its Contact to the recycle bin too.
	if r.status != http.StatusOK || len(got.DeletedRecords) != 1 || got.DeletedRecords[0].ID != con ||
		got.DeletedRecords[0].DeletedDate != "2026-11-25T10:02:00.000+0000" || got.LatestDateCovered != "2026-11-25T10:10:00.000+0000" ||
		got.EarliestDateAvailable != "2026-11-10T10:10:00.000+0000" {
		t.Errorf("deleted contacts: %d %s", r.status, r.body)
	}
	e.replication(t, e.adminToken, "Lead", "deleted", t0.Add(4*time.Minute), t0.Add(10*time.Minute), &got)
	if len(got.DeletedRecords) != 1 || got.DeletedRecords[0].ID != lead {
		t.Errorf("deleted leads 10:04–10:10: %+v", got)
	}
	if r := e.replication(t, e.adminToken, "Lead", "deleted", t0.Add(-16*24*time.Hour), t0, nil); r.status != 400 || r.errorCode(t) != "INVALID_REPLICATION_DATE" {
		t.Errorf("more than 15 days back: %d %s", r.status, r.body)
	}
	// Purging the recycle bin moves earliestDateAvailable past the purged
	// deletion: a client starting before it must resync.
	if err := e.org.Purge(lead); err != nil {
		t.Fatal(err)
	}
	if r := e.replication(t, e.adminToken, "Lead", "deleted", t0, t0.Add(10*time.Minute), nil); r.status != 400 || r.errorCode(t) != "INVALID_REPLICATION_DATE" {
		t.Errorf("start before a purge: %d %s", r.status, r.body)
	}
	r = e.replication(t, e.adminToken, "Lead", "deleted", t0.Add(6*time.Minute), t0.Add(10*time.Minute), &got)
	if r.status != http.StatusOK || len(got.DeletedRecords) != 0 || got.EarliestDateAvailable != "2026-11-25T10:05:00.000+0000" {
		t.Errorf("after the purge: %d %s", r.status, r.body)
	}
	if r := e.replication(t, e.adminToken, "Contact", "deleted", t0, t0.Add(10*time.Minute), nil); r.status != http.StatusOK {
		t.Errorf("a purge of Leads does not touch Contacts: %d %s", r.status, r.body)
	}
}
