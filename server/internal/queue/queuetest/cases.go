package queuetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
)

func testEnqueueClaimComplete(t *testing.T, e *env) {
	queued := e.clock.Now()
	e.enqueue(t, "q", "101")
	e.clock.Advance(2 * time.Second)
	l := e.claimOne(t, "q")
	if l.Key != "101" || l.Queue != "q" || l.Worker != "w1" || l.Attempt != 1 {
		t.Fatalf("lease = %+v, want key 101 of q for w1, attempt 1", l)
	}
	if !l.Queued.Equal(queued) {
		t.Errorf("Queued = %v, want %v (when it was enqueued, for lag)", l.Queued, queued)
	}
	if want := e.clock.Now().Add(lease); !l.Until.Equal(want) {
		t.Errorf("Until = %v, want %v", l.Until, want)
	}
	e.claimNone(t)
	if err := e.q.Complete(e.ctx, l); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	e.claimNone(t)
	if s := e.stats(t); s != (queue.Stats{}) {
		t.Errorf("stats after completion = %+v, want all zero", s)
	}
}

func testBurstsCoalesce(t *testing.T, e *env) {
	for range 5 {
		e.enqueue(t, "q", "7")
		e.clock.Advance(time.Millisecond)
	}
	e.enqueue(t, "q", "8")
	ls := e.claim(t, "q", "w1", 10)
	if len(ls) != 2 {
		t.Fatalf("claimed %v, want 7 and 8 once each", keys(ls))
	}
}

func testNotDueUntilItsTime(t *testing.T, e *env) {
	if err := e.q.Enqueue(e.ctx, "q", "1", e.clock.Now().Add(time.Minute), 0); err != nil {
		t.Fatal(err)
	}
	e.claimNone(t)
	if s := e.stats(t); s.Waiting != 1 || s.Due != 0 {
		t.Errorf("stats = %+v, want 1 waiting, 0 due", s)
	}
	e.clock.Advance(time.Minute)
	e.claimOne(t, "q")
}

func testChangeWhileLeasedIsKept(t *testing.T, e *env) {
	e.enqueue(t, "q", "5")
	l := e.claimOne(t, "q")
	e.clock.Advance(time.Second)
	changed := e.clock.Now()
	e.enqueue(t, "q", "5") // the ticket changes while it syncs
	e.claimNone(t)         // never twice at once
	if err := e.q.Complete(e.ctx, l); err != nil {
		t.Fatal(err)
	}
	again := e.claimOne(t, "q")
	if again.Attempt != 1 {
		t.Errorf("attempt = %d, want 1: the first sync succeeded", again.Attempt)
	}
	if !again.Queued.Equal(changed) {
		t.Errorf("Queued = %v, want %v (the change made during the lease)", again.Queued, changed)
	}
}

func testExpiredLeaseIsClaimedAgain(t *testing.T, e *env) {
	e.enqueue(t, "q", "9")
	first := e.claimOne(t, "q")
	e.clock.Advance(lease - time.Second)
	e.claimNone(t)
	e.clock.Advance(2 * time.Second) // the worker died
	ls := e.claim(t, "q", "w2", 10)
	if len(ls) != 1 || ls[0].Worker != "w2" {
		t.Fatalf("claimed %+v, want key 9 for w2", ls)
	}
	second := ls[0]
	if second.Attempt != 2 {
		t.Errorf("attempt = %d, want 2 (the first try's outcome is unknown)", second.Attempt)
	}
	if !second.Queued.Equal(first.Queued) {
		t.Errorf("Queued = %v, want the original %v", second.Queued, first.Queued)
	}
	for name, err := range map[string]error{
		"Complete": e.q.Complete(e.ctx, first),
		"Retry":    e.q.Retry(e.ctx, first, e.clock.Now(), "late"),
		"Bury":     e.q.Bury(e.ctx, first, "late"),
	} {
		if !errors.Is(err, queue.ErrLeaseLost) {
			t.Errorf("%s by the old holder = %v, want ErrLeaseLost", name, err)
		}
	}
	if err := e.q.Complete(e.ctx, second); err != nil {
		t.Fatalf("Complete by the new holder: %v", err)
	}
	e.claimNone(t)
}

func testRetryBacksOff(t *testing.T, e *env) {
	e.enqueue(t, "q", "3")
	l := e.claimOne(t, "q")
	if err := e.q.Retry(e.ctx, l, e.clock.Now().Add(10*time.Second), "Salesforce answered 503"); err != nil {
		t.Fatal(err)
	}
	e.claimNone(t)
	e.clock.Advance(10 * time.Second)
	again := e.claimOne(t, "q")
	if again.Attempt != 2 || again.LastReason != "Salesforce answered 503" {
		t.Errorf("lease = %+v, want attempt 2 with the reason kept", again)
	}
	if !again.Queued.Equal(l.Queued) {
		t.Errorf("Queued = %v, want %v kept across retries", again.Queued, l.Queued)
	}
}

func testEnqueueKeepsBackoff(t *testing.T, e *env) {
	e.enqueue(t, "q", "3")
	l := e.claimOne(t, "q")
	if err := e.q.Retry(e.ctx, l, e.clock.Now().Add(time.Minute), "busy"); err != nil {
		t.Fatal(err)
	}
	e.enqueue(t, "q", "3") // a new change during the backoff
	e.claimNone(t)
	e.clock.Advance(time.Minute)
	e.claimOne(t, "q")
}

func testBuryAndReplay(t *testing.T, e *env) {
	e.enqueue(t, "q", "42")
	l := e.claimOne(t, "q")
	e.clock.Advance(time.Second)
	if err := e.q.Bury(e.ctx, l, "FIELD_CUSTOM_VALIDATION_EXCEPTION: Subject is required"); err != nil {
		t.Fatal(err)
	}
	e.claimNone(t)
	dls, err := e.q.DeadLetters(e.ctx, "q", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 || dls[0].Key != "42" || dls[0].Queue != "q" || dls[0].Attempts != 1 ||
		dls[0].Reason != "FIELD_CUSTOM_VALIDATION_EXCEPTION: Subject is required" || !dls[0].At.Equal(e.clock.Now()) {
		t.Fatalf("dead letters = %+v", dls)
	}
	if s := e.stats(t); s.Dead != 1 || s.Waiting != 0 || s.Leased != 0 {
		t.Errorf("stats = %+v, want 1 dead only", s)
	}
	if err := e.q.Replay(e.ctx, "q", "nope"); !errors.Is(err, queue.ErrNotBuried) {
		t.Errorf("Replay(nope) = %v, want ErrNotBuried", err)
	}
	if err := e.q.Replay(e.ctx, "q", "42"); err != nil {
		t.Fatal(err)
	}
	again := e.claimOne(t, "q")
	if again.Attempt != 1 {
		t.Errorf("attempt after replay = %d, want 1", again.Attempt)
	}
	if dls, _ := e.q.DeadLetters(e.ctx, "q", 10); len(dls) != 0 {
		t.Errorf("dead letters after replay = %+v, want none", dls)
	}
}

func testEnqueueRevivesBuried(t *testing.T, e *env) {
	e.enqueue(t, "q", "42")
	if err := e.q.Bury(e.ctx, e.claimOne(t, "q"), "bad"); err != nil {
		t.Fatal(err)
	}
	e.enqueue(t, "q", "42")
	e.claimOne(t, "q")
	if s := e.stats(t); s.Dead != 0 {
		t.Errorf("stats = %+v, want no dead letter once the key changed again", s)
	}
}

func testReplayAll(t *testing.T, e *env) {
	for i := range 5 {
		e.enqueue(t, "q", fmt.Sprint(i))
	}
	for _, l := range e.claim(t, "q", "w1", 10) {
		e.clock.Advance(time.Second)
		if err := e.q.Bury(e.ctx, l, "bad "+l.Key); err != nil {
			t.Fatal(err)
		}
	}
	dls, err := e.q.DeadLetters(e.ctx, "q", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 3 || !dls[0].At.After(dls[1].At) || !dls[1].At.After(dls[2].At) {
		t.Fatalf("DeadLetters(limit 3) = %+v, want the 3 newest, newest first", dls)
	}
	n, err := e.q.ReplayAll(e.ctx, "q")
	if err != nil || n != 5 {
		t.Fatalf("ReplayAll = %d, %v; want 5", n, err)
	}
	if ls := e.claim(t, "q", "w1", 10); len(ls) != 5 {
		t.Fatalf("claimed %v after ReplayAll, want all 5", keys(ls))
	}
}

func testExtend(t *testing.T, e *env) {
	e.enqueue(t, "q", "1")
	l := e.claimOne(t, "q")
	e.clock.Advance(20 * time.Second)
	l2, err := e.q.Extend(e.ctx, l, lease)
	if err != nil {
		t.Fatal(err)
	}
	if want := e.clock.Now().Add(lease); !l2.Until.Equal(want) {
		t.Errorf("Until = %v, want %v", l2.Until, want)
	}
	e.clock.Advance(20 * time.Second) // past the first end, inside the extension
	e.claimNone(t)
	e.clock.Advance(20 * time.Second)
	if ls := e.claim(t, "q", "w2", 1); len(ls) != 1 {
		t.Fatalf("claimed %v, want the expired key", keys(ls))
	}
	if _, err := e.q.Extend(e.ctx, l2, lease); !errors.Is(err, queue.ErrLeaseLost) {
		t.Errorf("Extend after losing the lease = %v, want ErrLeaseLost", err)
	}
}

func testFencingTokensIncrease(t *testing.T, e *env) {
	var last int64
	for i := range 4 {
		e.enqueue(t, "q", "k")
		l := e.claimOne(t, "q")
		if l.Token <= last {
			t.Fatalf("claim %d token %d, not above %d", i, l.Token, last)
		}
		last = l.Token
		if i%2 == 0 {
			if err := e.q.Complete(e.ctx, l); err != nil {
				t.Fatal(err)
			}
		} else {
			e.clock.Advance(lease + time.Second) // let it expire instead
		}
	}
}

func testLongestDueFirst(t *testing.T, e *env) {
	for _, k := range []string{"c", "a", "b"} {
		e.enqueue(t, "q", k)
		e.clock.Advance(time.Second)
	}
	ls := e.claim(t, "q", "w1", 2)
	if got := keys(ls); len(got) != 2 || got[0] != "c" || got[1] != "a" {
		t.Fatalf("claimed %v, want [c a] (longest due first)", got)
	}
}

func testQueuesAreSeparate(t *testing.T, e *env) {
	e.enqueue(t, "conn_a", "1")
	e.enqueue(t, "conn_b", "1")
	e.claimOne(t, "conn_a")
	l := e.claimOne(t, "conn_b")
	if l.Queue != "conn_b" {
		t.Errorf("lease queue = %q", l.Queue)
	}
}

func testStats(t *testing.T, e *env) {
	start := e.clock.Now()
	e.enqueue(t, "q", "1")
	e.clock.Advance(time.Second)
	e.enqueue(t, "q", "2")
	if err := e.q.Enqueue(e.ctx, "q", "3", e.clock.Now().Add(time.Hour), 0); err != nil {
		t.Fatal(err)
	}
	s := e.stats(t)
	if s.Waiting != 3 || s.Due != 2 || s.Leased != 0 || s.Dead != 0 || !s.OldestQueued.Equal(start) {
		t.Fatalf("stats = %+v, want 3 waiting, 2 due, oldest %v", s, start)
	}
	e.claim(t, "q", "w1", 1)
	if s := e.stats(t); s.Waiting != 2 || s.Leased != 1 {
		t.Fatalf("stats = %+v, want 2 waiting, 1 leased", s)
	}
}

func testDrop(t *testing.T, e *env) {
	e.enqueue(t, "q", "1")
	e.enqueue(t, "q", "2")
	ls := e.claim(t, "q", "w1", 1)
	if len(ls) != 1 {
		t.Fatalf("claimed %v", keys(ls))
	}
	if err := e.q.Bury(e.ctx, ls[0], "x"); err != nil {
		t.Fatal(err)
	}
	e.enqueue(t, "other", "1")
	if err := e.q.Drop(e.ctx, "q"); err != nil {
		t.Fatal(err)
	}
	if s := e.stats(t); s != (queue.Stats{}) {
		t.Errorf("stats after Drop = %+v, want zero", s)
	}
	e.claimNone(t)
	e.claimOne(t, "other")
}

func testSurvivesReopen(t *testing.T, e *env) {
	e.enqueue(t, "q", "1")
	e.enqueue(t, "q", "2")
	e.enqueue(t, "q", "3")
	held := e.claim(t, "q", "w1", 1) // held by a process that dies
	if len(held) != 1 {
		t.Fatalf("claimed %v", keys(held))
	}
	q2 := e.reopen()
	e.q = q2
	ls := e.claim(t, "q", "w2", 10)
	if len(ls) != 2 {
		t.Fatalf("after reopen claimed %v, want the 2 unleased keys", keys(ls))
	}
	for _, l := range ls {
		if err := e.q.Complete(e.ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Advance(lease + time.Second)
	ls = e.claim(t, "q", "w2", 10)
	if len(ls) != 1 || ls[0].Key != held[0].Key || ls[0].Attempt != 2 {
		t.Fatalf("after the lease ran out claimed %+v, want %s at attempt 2", ls, held[0].Key)
	}
}

// testConcurrentWorkers runs several workers claiming the same queue at
// once, as replicas do, and checks no key is ever held by two of them.
func testConcurrentWorkers(t *testing.T, e *env) {
	const n = 200
	for i := range n {
		e.enqueue(t, "q", fmt.Sprint(i))
	}
	var (
		mu      sync.Mutex
		holding = map[string]string{}
		done    = map[string]int{}
		total   int
	)
	var wg sync.WaitGroup
	for w := range 8 {
		worker := fmt.Sprintf("w%d", w)
		wg.Go(func() {
			for {
				ls, err := e.q.Claim(e.ctx, "q", worker, 7, lease)
				if err != nil {
					t.Errorf("Claim: %v", err)
					return
				}
				if len(ls) == 0 {
					mu.Lock()
					finished := total == n+1 // key 17 twice
					mu.Unlock()
					if finished {
						return
					}
					time.Sleep(time.Millisecond)
					continue
				}
				for _, l := range ls {
					mu.Lock()
					if other, ok := holding[l.Key]; ok {
						t.Errorf("key %s claimed by %s while %s holds it", l.Key, worker, other)
					}
					holding[l.Key] = worker
					first := done[l.Key] == 0
					mu.Unlock()
					if l.Key == "17" && first {
						// A change arrives mid-sync: the key must come back once.
						if err := e.q.Enqueue(e.ctx, "q", l.Key, e.clock.Now(), 0); err != nil {
							t.Error(err)
						}
					}
					mu.Lock()
					delete(holding, l.Key)
					mu.Unlock()
					if err := e.q.Complete(e.ctx, l); err != nil {
						t.Errorf("Complete(%s): %v", l.Key, err)
					}
					mu.Lock()
					done[l.Key]++
					total++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for i := range n {
		k := fmt.Sprint(i)
		want := 1
		if k == "17" {
			want = 2
		}
		if done[k] != want {
			t.Errorf("key %s worked %d times, want %d", k, done[k], want)
		}
	}
	if s := e.stats(t); s != (queue.Stats{}) {
		t.Errorf("stats at the end = %+v, want zero", s)
	}
}

// testStamp: deliveries arrive out of order; the lease knows the newest
// version anyone reported, and a change during a lease is kept for the
// next one.
func testStamp(t *testing.T, e *env) {
	for _, stamp := range []int64{300, 100, 200} {
		if err := e.q.Enqueue(e.ctx, "q", "7", e.clock.Now(), stamp); err != nil {
			t.Fatal(err)
		}
	}
	l := e.claimOne(t, "q")
	if l.Stamp != 300 {
		t.Fatalf("Stamp = %d, want 300 (the largest)", l.Stamp)
	}
	if err := e.q.Enqueue(e.ctx, "q", "7", e.clock.Now(), 400); err != nil {
		t.Fatal(err)
	}
	if err := e.q.Retry(e.ctx, l, e.clock.Now(), "busy"); err != nil {
		t.Fatal(err)
	}
	l = e.claimOne(t, "q")
	if l.Stamp != 400 {
		t.Fatalf("Stamp after a change during the lease = %d, want 400", l.Stamp)
	}
	if err := e.q.Complete(e.ctx, l); err != nil {
		t.Fatal(err)
	}
	if err := e.q.Enqueue(e.ctx, "q", "7", e.clock.Now(), 0); err != nil {
		t.Fatal(err)
	}
	if l := e.claimOne(t, "q"); l.Stamp != 0 {
		t.Errorf("Stamp after completion = %d, want 0 (nothing newer heard since)", l.Stamp)
	}
}
