package main

import (
	"strings"
	"testing"
)

// crashCounts is what a backfill crash run synced, and how many times the
// process started (the first start and one a kill).
type crashCounts struct {
	accounts, contacts, leads, starts int
}

// What the code does, per unit of work (docs/performance.md, Data sync):
const (
	sfPage     = 2000 // records a backfill query reads
	zdBatch    = 100  // records a Zendesk bulk job writes
	jobsAtOnce = 4    // jobs a poller keeps going (CROSSVIEW_DATA_SYNC_JOBS): a kill may lose them
	// Per batch: users/create_or_update_many or organizations/create_many;
	// at most one job_statuses/show_many (a poll covers every job going,
	// and the emulator finishes a job before the first look a second
	// later), with a quarter more for a busy machine; show_many lookups by
	// external id: the records themselves and, for Contacts, their
	// Accounts' organizations.
	lookupsPerBatch = 2
	// Per process start: the Zendesk user and organization fields (read by
	// each job going at first, then cached for five minutes), the agents
	// and admins, the organization index.
	zdPerStart = 20
	// Per object and start: the describe, the count, getDeleted, the
	// change queries a poll every 2 s makes while other objects backfill.
	sfPerObjectStart = 4
)

func ceilDiv(n, d int) int { return (n + d - 1) / d }

// endpointDelta is the calls per endpoint made between two readings.
func endpointDelta(now, before map[string]int) map[string]int {
	out := map[string]int{}
	for k, n := range now {
		if d := n - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

// checkCrashCalls bounds the calls a backfill made on both sides by what
// the code does per page and per batch, with room for the batches each
// kill makes be written again, so that twice the calls per record fails:
// at 60,000 records 600 batches cost 600 jobs, 592 polls and 1,016
// lookups against bounds of 608, 758 and 1,216.
func checkCrashCalls(t *testing.T, c crashCounts, sfCalls, zdCalls int, zdBy map[string]int) {
	t.Helper()
	kills := c.starts - 1
	pages := ceilDiv(c.accounts, sfPage) + ceilDiv(c.contacts, sfPage) + ceilDiv(c.leads, sfPage)
	batches := ceilDiv(c.accounts, zdBatch) + ceilDiv(c.contacts, zdBatch) + ceilDiv(c.leads, zdBatch)
	redo := kills * jobsAtOnce // batches a kill can make be written again
	var jobs, polls, lookups, other int
	for ep, n := range zdBy {
		switch {
		case ep == "GET /api/v2/job_statuses/show_many.json":
			polls += n
		case strings.HasSuffix(ep, "/show_many.json"):
			lookups += n
		case strings.HasSuffix(ep, "_many.json"):
			jobs += n
		default:
			other += n
		}
	}
	bounds := []struct {
		what      string
		got, most int
	}{
		{"Zendesk bulk jobs", jobs, batches + redo},
		{"Zendesk job polls", polls, batches*5/4 + redo},
		{"Zendesk show_many lookups", lookups, lookupsPerBatch * (batches + redo)},
		{"other Zendesk calls", other, zdPerStart * c.starts},
		{"Zendesk calls", zdCalls, (1+lookupsPerBatch)*(batches+redo) + batches*5/4 + redo + zdPerStart*c.starts},
		{"Salesforce calls", sfCalls, 3*pages + sfPerObjectStart*3*c.starts},
	}
	for _, b := range bounds {
		if b.got > b.most {
			t.Errorf("%s: %d, more than the %d the code's work allows (%d pages, %d batches, %d kills)", b.what, b.got, b.most, pages, batches, kills)
		}
	}
	t.Logf("Zendesk: %d jobs, %d polls, %d lookups, %d other", jobs, polls, lookups, other)
}
