package zendesktest

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// job is a background job of a bulk endpoint, as job statuses show it:
// queued, then working, then completed, with a result per record.
type job struct {
	id, jobType string
	total       int
	status      string // queued, working, completed or failed
	message     string
	results     []map[string]any
}

// maxBulk is how many records one bulk request may carry.
const maxBulk = 100

// maxQueuedJobs is Zendesk's job limit: how many background jobs of an
// account may be queued or working at once.
const maxQueuedJobs = 30

// SetJobDelay makes bulk jobs wait d before they run, so clients see them
// queued and must poll; 0 (the default) runs them at once after the
// request is answered.
func (a *Account) SetJobDelay(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.jobDelay = d
}

// startJob queues a job of total records and answers 200 with its status.
// run applies the records under the account lock and returns a result
// for each.
func (c *call) startJob(jobType string, total int, run func(a *Account) []map[string]any) error {
	a := c.a
	a.mu.Lock()
	if a.runningJobs() >= maxQueuedJobs {
		// Refused like the per-minute limit, before anything is applied;
		// a job ends within the delay jobs wait before they run.
		retry := max(1, int(math.Ceil(a.jobDelay.Seconds())))
		a.mu.Unlock()
		c.w.Header().Set("Retry-After", strconv.Itoa(retry))
		writeJSON(c.w, http.StatusTooManyRequests, &apiError{Code: "TooManyJobs",
			Description: fmt.Sprintf("Number of allowed queued or running jobs (%d) exceeded", maxQueuedJobs)})
		return nil
	}
	j := &job{id: randomToken(16), jobType: jobType, total: total, status: "queued"}
	a.jobs[j.id] = j
	delay := a.jobDelay
	body := map[string]any{"job_status": a.jobJSON(j)}
	a.mu.Unlock()
	if a.srv.ctx.Err() == nil {
		a.srv.workers.Add(1)
		go func() {
			defer a.srv.workers.Done()
			if !a.sleep(delay) {
				return
			}
			a.mu.Lock()
			defer a.mu.Unlock()
			j.status = "working"
			j.results = run(a)
			j.status = "completed"
			j.message = "Completed at " + a.now().Format("2006-01-02 15:04:05 -0700")
		}()
	}
	writeJSON(c.w, http.StatusOK, body)
	return nil
}

// runningJobs counts the jobs queued or working. Callers hold a.mu.
func (a *Account) runningJobs() int {
	n := 0
	for _, j := range a.jobs {
		if j.status == "queued" || j.status == "working" {
			n++
		}
	}
	return n
}

// jobJSON renders a job status. Callers hold a.mu.
func (a *Account) jobJSON(j *job) map[string]any {
	m := map[string]any{"id": j.id, "url": a.base + "/api/v2/job_statuses/" + j.id + ".json", "job_type": j.jobType,
		"total": j.total, "status": j.status, "progress": nil, "message": nil, "results": nil}
	if j.status == "completed" {
		m["progress"], m["message"], m["results"] = len(j.results), j.message, j.results
	}
	return m
}

// handleShowJobStatus serves GET /api/v2/job_statuses/{job_id:token}.json.
func handleShowJobStatus(c *call) error {
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	j := a.jobs[c.params["job_id"]]
	if j == nil {
		return errNotFound()
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"job_status": a.jobJSON(j)})
	return nil
}

// handleShowManyJobStatuses serves GET /api/v2/job_statuses/show_many.json?ids=.
func handleShowManyJobStatuses(c *call) error {
	raw := c.r.URL.Query().Get("ids")
	if raw == "" {
		return errBadRequest("ParameterMissing", "param is missing or the value is empty: ids")
	}
	a := c.a
	a.mu.Lock()
	defer a.mu.Unlock()
	out := []map[string]any{}
	for _, id := range strings.Split(raw, ",") {
		if j := a.jobs[strings.TrimSpace(id)]; j != nil {
			out = append(out, a.jobJSON(j))
		}
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"job_statuses": out})
	return nil
}

// resultOK is the result of a record a job created or updated.
func resultOK(id int64, created bool) map[string]any {
	if created {
		return map[string]any{"id": id, "action": "create", "status": "Created", "success": true}
	}
	return map[string]any{"id": id, "action": "update", "status": "Updated", "success": true}
}

// resultErr is the result of a record a job refused: the error code and
// the messages of the refusal.
func resultErr(index int, err error) map[string]any {
	m := map[string]any{"index": index, "success": false, "error": "RecordInvalid", "details": err.Error()}
	var ae *apiError
	if errors.As(err, &ae) {
		m["error"] = ae.Code
		var msgs []string
		for _, list := range ae.Details {
			for _, d := range list {
				msgs = append(msgs, d.Description)
			}
		}
		if len(msgs) > 0 {
			slices.Sort(msgs)
			m["details"] = strings.Join(msgs, "; ")
		} else {
			m["details"] = ae.Description
		}
	}
	return m
}

// bulkJob is a job that applies each record with apply, which returns the
// record's id and whether it was created.
func bulkJob(items []*fields, apply func(*Account, *fields) (int64, bool, error)) func(*Account) []map[string]any {
	return func(a *Account) []map[string]any {
		results := make([]map[string]any, len(items))
		for i, f := range items {
			id, created, err := apply(a, f)
			if err != nil {
				results[i] = recordResult(resultErr(i, err), f)
				continue
			}
			results[i] = resultOK(id, created)
		}
		return results
	}
}
