package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/salesforce/salesforcetest"
	"github.com/crossview/crossview/server/internal/store/boltstore"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/crossview/crossview/server/internal/zendesk/zendesktest"
)

// The crash tests: about a thousand ticket-sync webhooks for 300 tickets
// (duplicated, stale and out of order) while the tickets keep changing and
// Crossview is killed with SIGKILL twice and restarted. Every delivery
// Crossview answered 200 must reach Salesforce: each ticket exactly one
// Case with its latest state, each public comment exactly one CaseComment,
// and the dead letters exactly the tickets a validation rule refuses.

func TestTicketSyncSurvivesKill9Embedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	runSyncCrash(t, nil, 1)
}

func TestTicketSyncSurvivesKill9Redis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	runSyncCrash(t, redistest.Start(t), 1)
}

// TestTicketSyncTwoReplicasOneRedis runs two replicas on one Redis, the
// deliveries spread over both and each killed once: the same result, and
// no ticket synced by both at the same time.
func TestTicketSyncTwoReplicasOneRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs processes")
	}
	runSyncCrash(t, redistest.Start(t), 2)
}

const (
	crashTickets = 300
	failMark     = "FAIL-ME"
)

// ticketPlan is what the test did to one ticket.
type ticketPlan struct {
	id    int64
	fails bool // its subject carries failMark at the end
}

func runSyncCrash(t *testing.T, rds *redistest.Server, replicas int) {
	redisURL := ""
	if rds != nil {
		redisURL = rds.URL
	}
	w := newCrashWorld(t, redisURL)
	// Salesforce refuses any Case whose subject carries the mark.
	if err := w.org.AddValidationRule(salesforcetest.ValidationRule{
		Object: "Case", Name: "No_Fail_Me", Message: "Subject must not say " + failMark + ".", Field: "Subject",
		Fails: func(r map[string]any) bool { s, _ := r["Subject"].(string); return strings.Contains(s, failMark) },
	}); err != nil {
		t.Fatal(err)
	}
	// Only the test delivers webhooks, so it knows which were accepted.
	w.acct.SetDeliveryFaults(zendesktest.DeliveryFaults{Drop: 1})

	rng := rand.New(rand.NewPCG(42, uint64(replicas)))
	requesters := make([]zendesktest.User, 40)
	for i := range requesters {
		email := fmt.Sprintf("customer%02d@example.com", i)
		if i == 7 {
			email = "o'brien@example.com"
		}
		requesters[i] = w.acct.AddUser(zendesktest.User{Name: fmt.Sprintf("Customer %02d", i), Email: email, Role: "end-user"})
	}
	plans := make([]*ticketPlan, crashTickets)
	for i := range plans {
		subject := fmt.Sprintf("Ticket %d about the order", i)
		fails := i < 15 // 10 stay failing, 5 recover
		if fails {
			subject = failMark + " " + subject
		}
		tk := w.acct.AddTicket(zendesktest.Ticket{Subject: subject, Description: fmt.Sprintf("first words of ticket %d", i),
			RequesterID: requesters[rng.IntN(len(requesters))].ID, Priority: "normal"})
		plans[i] = &ticketPlan{id: tk.ID, fails: fails}
	}

	addrs := []string{freeAddr(t)}
	if replicas == 2 {
		addrs = append(addrs, freeAddr(t))
	}
	pub := "http://" + addrs[0]
	w.cli(pub, "admin", "account", "add", "--subdomain", crashSubdomain, "--app-id", "1", "--api-email", w.admin.Email, "--api-token", w.apiToken)
	connID := strings.TrimSpace(w.cli(pub, "admin", "connection", "add", "--subdomain", crashSubdomain, "--environment", "production",
		"--refresh-token", w.refreshToken, "--name", "Acme Corp"))
	w.cli(pub, "admin", "connection", "ticketsync", "--id", connID, "--backfill-days", "0", "--comments", "public")
	w.cli(pub, "admin", "connection", "enable", "--id", connID, "--feature", "ticket_sync")
	var secret string
	for _, h := range w.acct.Webhooks() {
		if strings.Contains(h.Endpoint, connID) {
			secret = h.Secret
		}
	}
	if secret == "" {
		t.Fatalf("enabling ticket sync made no webhook for %s: %+v", connID, w.acct.Webhooks())
	}

	reps := make([]*replica, len(addrs))
	for i, a := range addrs {
		reps[i] = w.replica(fmt.Sprintf("r%d", i), a)
		reps[i].start()
	}

	// The rounds: every ticket delivered, then three rounds changing 100
	// tickets each, then every ticket once more after its last change.
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	var accepted atomic.Int64
	kills := []int64{300, 700}
	var killMu sync.Mutex
	deliver := func(p *ticketPlan, updated time.Time) {
		n := accepted.Load()
		base := reps[int(n)%len(reps)].url()
		if _, err := w.deliver(ctx, base, connID, secret, p.id, updated); err != nil {
			t.Error(err)
			return
		}
		got := accepted.Add(1)
		killMu.Lock()
		if len(kills) > 0 && got >= kills[0] {
			victim := reps[len(kills)%len(reps)]
			kills = kills[1:]
			killMu.Unlock()
			victim.kill()
			time.Sleep(200 * time.Millisecond)
			victim.start()
			return
		}
		killMu.Unlock()
	}
	round := func(subset []*ticketPlan, mutate bool, extra float64) {
		type job struct {
			p  *ticketPlan
			at time.Time
		}
		var jobs []job
		for _, p := range subset {
			tk, _ := w.acct.Ticket(p.id)
			if mutate {
				var err error
				tk, err = w.acct.UpdateTicket(p.id, func(tk *zendesktest.Ticket) {
					tk.Status = []string{"open", "pending", "solved", "open"}[rng.IntN(4)]
					if strings.HasPrefix(tk.Subject, failMark) && p.id >= plans[10].id && p.id < plans[15].id {
						tk.Subject = strings.TrimPrefix(tk.Subject, failMark+" ") // recovers
					}
				})
				if err != nil {
					t.Fatal(err)
				}
				for c := range 1 + rng.IntN(3) {
					if _, err := w.acct.AddComment(p.id, zendesktest.Comment{AuthorID: w.admin.ID,
						Body: fmt.Sprintf("comment %d.%d.%d", p.id, c, rng.Int()), Public: rng.IntN(4) != 0}); err != nil {
						t.Fatal(err)
					}
				}
				tk, _ = w.acct.Ticket(p.id)
			}
			jobs = append(jobs, job{p, tk.UpdatedAt})
			if rng.Float64() < extra { // a duplicate
				jobs = append(jobs, job{p, tk.UpdatedAt})
			}
			if rng.Float64() < extra/2 { // a stale delivery of an older version
				jobs = append(jobs, job{p, tk.UpdatedAt.Add(-time.Hour)})
			}
		}
		rng.Shuffle(len(jobs), func(i, j int) { jobs[i], jobs[j] = jobs[j], jobs[i] })
		var wg sync.WaitGroup
		ch := make(chan job)
		for range 8 {
			wg.Go(func() {
				for j := range ch {
					deliver(j.p, j.at)
				}
			})
		}
		for _, j := range jobs {
			ch <- j
		}
		close(ch)
		wg.Wait()
	}
	round(plans, false, 0.2)
	for r := range 3 {
		perm := rng.Perm(len(plans))[:100]
		subset := make([]*ticketPlan, 0, len(perm)+5)
		if r == 0 {
			subset = append(subset, plans[10:15]...) // the five that recover
		}
		for _, k := range perm {
			if r != 0 || k < 10 || k >= 15 {
				subset = append(subset, plans[k])
			}
		}
		round(subset, true, 0.3)
	}
	round(plans, false, 0)
	t.Logf("%d deliveries accepted, %d replica kills", accepted.Load(), 2)
	if accepted.Load() < 900 {
		t.Errorf("only %d deliveries; the test means to send about a thousand", accepted.Load())
	}
	for i := 10; i < 15; i++ {
		plans[i].fails = false
	}

	// Wait for Salesforce to show every ticket as it is now.
	var last string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		last = w.compareCases(plans)
		if last == "" || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if last != "" {
		for _, r := range reps {
			t.Logf("replica %s log tail:\n%s", r.name, tail(r.logs.String(), 40))
		}
		t.Fatalf("Salesforce never matched Zendesk: %s", last)
	}
	// Nothing else waits: duplicates still queued when Salesforce matched
	// are let through (a stop lets syncs under way finish).
	var q queue.Queue
	for try := 0; ; try++ {
		for _, r := range reps {
			r.stop()
		}
		var closeQ func()
		q, closeQ = w.openQueue(rds)
		st, err := q.Stats(t.Context(), connID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Waiting == 0 && st.Leased == 0 {
			break
		}
		if try == 3 {
			t.Fatalf("queue after the run: %+v, want nothing waiting or leased", st)
		}
		closeQ()
		for _, r := range reps {
			r.start()
		}
		time.Sleep(3 * time.Second)
	}
	// The dead letters hold exactly the tickets the rule refuses.
	dls, err := q.DeadLetters(t.Context(), connID, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var dead, wantDead []string
	for _, d := range dls {
		dead = append(dead, d.Key)
		if !strings.Contains(d.Reason, "Subject must not say "+failMark) {
			t.Errorf("dead letter %s: %q does not carry Salesforce's message", d.Key, d.Reason)
		}
	}
	for _, p := range plans {
		if p.fails {
			wantDead = append(wantDead, fmt.Sprint(p.id))
		}
	}
	sort.Strings(dead)
	sort.Strings(wantDead)
	if !slices.Equal(dead, wantDead) {
		t.Errorf("dead letters = %v, want exactly the refused tickets %v", dead, wantDead)
	}
	if replicas > 1 {
		checkNoOverlap(t, reps)
	}
}

// compareCases returns "" when every ticket's Case matches Zendesk, or the
// first difference.
func (w *crashWorld) compareCases(plans []*ticketPlan) string {
	cases := w.soql("SELECT Id, Subject, Zendesk_Ticket_Key__c FROM Case")
	byKey := map[string][]map[string]any{}
	for _, c := range cases {
		k, _ := c["Zendesk_Ticket_Key__c"].(string)
		byKey[k] = append(byKey[k], c)
	}
	comments := w.soql("SELECT ParentId, CommentBody FROM CaseComment")
	bodies := map[string][]string{}
	for _, c := range comments {
		p, _ := c["ParentId"].(string)
		b, _ := c["CommentBody"].(string)
		// The first line names the author, time and comment id.
		if _, rest, ok := strings.Cut(b, "\n"); ok {
			b = rest
		}
		bodies[p] = append(bodies[p], b)
	}
	for _, p := range plans {
		key := fmt.Sprintf("%s:%d", crashSubdomain, p.id)
		got := byKey[key]
		if p.fails {
			if len(got) != 0 {
				return fmt.Sprintf("ticket %d should have been refused but has %d Cases", p.id, len(got))
			}
			continue
		}
		if len(got) != 1 {
			return fmt.Sprintf("ticket %d has %d Cases, want exactly 1", p.id, len(got))
		}
		tk, _ := w.acct.Ticket(p.id)
		if s, _ := got[0]["Subject"].(string); s != tk.Subject {
			return fmt.Sprintf("ticket %d: Case subject %q, want %q", p.id, s, tk.Subject)
		}
		var want []string
		for _, c := range w.acct.Comments(p.id) {
			if c.Public {
				want = append(want, c.Body)
			}
		}
		have := append([]string(nil), bodies[got[0]["Id"].(string)]...)
		sort.Strings(want)
		sort.Strings(have)
		if !slices.Equal(want, have) {
			return fmt.Sprintf("ticket %d: CaseComments %q, want each public comment once: %q", p.id, have, want)
		}
	}
	return ""
}

// openQueue opens the queue the replicas used, now that they stopped.
func (w *crashWorld) openQueue(rds *redistest.Server) (queue.Queue, func()) {
	w.t.Helper()
	if rds != nil {
		return redisstore.NewQueue(rds.Client(w.t), "cv", time.Now), func() {}
	}
	b, err := boltstore.Open(filepath.Join(w.dataDir, "crossview.db"))
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { _ = b.Close() })
	return b.Queue(time.Now), func() { _ = b.Close() }
}

// syncSpan matches the worker's debug lines around one ticket's sync.
var syncSpan = regexp.MustCompile(`msg="ticket sync: (started|finished)".*ticket=(\d+).*at_ns=(\d+)`)

// checkNoOverlap reads both replicas' debug logs and fails if one ticket
// was being synced by both at the same moment.
func checkNoOverlap(t *testing.T, reps []*replica) {
	t.Helper()
	type span struct {
		rep        string
		start, end int64
	}
	spans := map[string][]span{}
	for _, r := range reps {
		for run, logs := range r.all {
			open := map[string]int64{}
			sc := bufio.NewScanner(strings.NewReader(logs.String()))
			sc.Buffer(make([]byte, 1<<20), 1<<20)
			for sc.Scan() {
				m := syncSpan.FindStringSubmatch(sc.Text())
				if m == nil {
					continue
				}
				var ns int64
				_, _ = fmt.Sscan(m[3], &ns)
				if m[1] == "started" {
					open[m[2]] = ns
				} else if s, ok := open[m[2]]; ok {
					spans[m[2]] = append(spans[m[2]], span{fmt.Sprintf("%s/%d", r.name, run), s, ns})
					delete(open, m[2])
				}
			}
		}
	}
	if len(spans) == 0 {
		t.Fatal("no sync spans in the replicas' debug logs")
	}
	for ticket, ss := range spans {
		sort.Slice(ss, func(i, j int) bool { return ss[i].start < ss[j].start })
		for i := 1; i < len(ss); i++ {
			if ss[i].start < ss[i-1].end && ss[i].rep != ss[i-1].rep {
				t.Errorf("ticket %s synced by %s and %s at once", ticket, ss[i-1].rep, ss[i].rep)
			}
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
