package zendesk

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// jobStatus is a bulk job as GET /api/v2/job_statuses shows it.
type jobStatus struct {
	ID      string      `json:"id"`
	Status  string      `json:"status"` // queued, working, failed, completed, killed
	Total   int         `json:"total"`
	Message flexText    `json:"message"`
	Results []jobResult `json:"results"`
}

// jobResult is one record's result: {"id","action","status","success"}
// when it was written, {"index","error","details"} when it was refused.
type jobResult struct {
	Index   *int     `json:"index"`
	ID      flexID   `json:"id"`
	Action  string   `json:"action"`
	Status  string   `json:"status"`
	Success bool     `json:"success"`
	Error   flexText `json:"error"`
	Details flexText `json:"details"`
}

// message is Zendesk's own words for a refused record.
func (r jobResult) message() string {
	if r.Details != "" {
		return string(r.Details)
	}
	if r.Error != "" {
		return string(r.Error)
	}
	return "Zendesk refused the record without saying why."
}

// flexText reads a JSON string, or any other value as its compact JSON:
// Zendesk's job results are not consistent in the types they use.
type flexText string

func (t *flexText) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*t = flexText(s)
		return nil
	}
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*t = ""
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	*t = flexText(buf.String())
	return nil
}

// submit starts a bulk write and returns its job's id.
func (d *Directory) submit(ctx context.Context, sub string, cred Credentials, method, path string, body any) (string, error) {
	var r struct {
		JobStatus jobStatus `json:"job_status"`
	}
	if err := d.callQueued(ctx, sub, cred, method, path, body, &r); err != nil {
		return "", err
	}
	if r.JobStatus.ID == "" {
		return "", &APIError{Status: http.StatusBadGateway, Description: "a bulk write answered without a job status"}
	}
	return r.JobStatus.ID, nil
}

const (
	// maxPollFailures is how many polls in a row may fail (timeouts, 5xx)
	// before the wait is given up; a 429 only waits.
	maxPollFailures = 5
	// maxMissing is how many answers in a row may leave a job out before
	// it counts as lost.
	maxMissing = 3
)

// await polls jobs until each has finished and returns them by id. It
// waits PollMin, then twice as long each round up to PollMax, asks for
// every pending job in one call, and waits out a 429 as long as Zendesk
// asks, so results are not lost to a busy minute.
func (d *Directory) await(ctx context.Context, sub string, cred Credentials, ids []string) (map[string]jobStatus, error) {
	done := make(map[string]jobStatus, len(ids))
	missing := map[string]int{}
	pending := append([]string(nil), ids...)
	wait, failures := d.o.PollMin, 0
	for len(pending) > 0 {
		if err := d.o.Sleep(ctx, wait); err != nil {
			return nil, err
		}
		var r struct {
			JobStatuses []jobStatus `json:"job_statuses"`
		}
		q := url.Values{"ids": {strings.Join(pending, ",")}}
		err := d.call(ctx, sub, cred, http.MethodGet, "/api/v2/job_statuses/show_many.json?"+q.Encode(), nil, &r)
		switch {
		case IsRateLimited(err):
			wait = max(RetryAfter(err), d.o.PollMin)
			continue
		case err != nil:
			if failures++; failures >= maxPollFailures || ctx.Err() != nil {
				return nil, err
			}
			wait = min(2*wait, d.o.PollMax)
			continue
		}
		failures = 0
		seen := map[string]bool{}
		for _, js := range r.JobStatuses {
			seen[js.ID] = true
			if finished(js.Status) {
				done[js.ID] = js
			}
		}
		var still []string
		for _, id := range pending {
			if _, ok := done[id]; ok {
				continue
			}
			if !seen[id] {
				if missing[id]++; missing[id] >= maxMissing {
					done[id] = jobStatus{ID: id, Status: "failed", Message: "Zendesk no longer knows the job that wrote this record."}
					continue
				}
			}
			still = append(still, id)
		}
		pending = still
		wait = min(2*wait, d.o.PollMax)
	}
	return done, nil
}

func finished(status string) bool {
	return status == "completed" || status == "failed" || status == "killed"
}

// outcomes spreads a finished job's results over its n records, in the
// order they were sent: a refused record's result names its index; a
// written one's stands at its place. A record without a result, or every
// record of a failed job, gets a refusal that says so.
func outcomes(js jobStatus, n int) []jobResult {
	out := make([]jobResult, n)
	have := make([]bool, n)
	if js.Status == "completed" {
		for i, r := range js.Results {
			at := i
			if r.Index != nil {
				at = *r.Index
			}
			if at >= 0 && at < n && !have[at] {
				out[at], have[at] = r, true
			}
		}
	}
	msg := flexText("Zendesk reported no result for this record.")
	if js.Status != "completed" {
		msg = "Zendesk's job " + flexText(js.Status) + ": " + js.Message
	}
	for i := range out {
		if !have[i] {
			out[i] = jobResult{Details: msg}
		}
	}
	return out
}

// write submits one bulk write of n records and waits for its results,
// in order.
func (d *Directory) write(ctx context.Context, sub string, cred Credentials, method, path string, body any, n int) ([]jobResult, error) {
	id, err := d.submit(ctx, sub, cred, method, path, body)
	if err != nil {
		return nil, err
	}
	jobs, err := d.await(ctx, sub, cred, []string{id})
	if err != nil {
		return nil, err
	}
	return outcomes(jobs[id], n), nil
}
