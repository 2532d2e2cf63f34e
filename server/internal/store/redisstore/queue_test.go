package redisstore_test

import (
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/queue/queuetest"
	"github.com/crossview/crossview/server/internal/redistest"
	"github.com/crossview/crossview/server/internal/store/redisstore"
	"github.com/redis/go-redis/v9"
)

func TestQueueConformance(t *testing.T) {
	queuetest.Run(t, queuetest.Target{
		Open: func(t *testing.T, now func() time.Time) (queue.Queue, func() queue.Queue) {
			srv := redistest.Start(t)
			reopen := func() queue.Queue { return redisstore.NewQueue(srv.Client(t), "cv", now) }
			return redisstore.NewQueue(srv.Client(t), "cv", now), reopen
		},
	})
}

// A replica that read intake entries and died before scheduling them must
// not lose them: another replica takes them over once they are stale.
func TestQueueTakesOverAbandonedIntake(t *testing.T) {
	ctx := t.Context()
	srv := redistest.Start(t)
	c := srv.Client(t)
	now := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
	q := redisstore.NewQueue(c, "cv", now)
	q.SetStaleIntake(50 * time.Millisecond)
	for _, k := range []string{"1", "2"} {
		if err := q.Enqueue(ctx, "conn_a", k, now(), 0); err != nil {
			t.Fatal(err)
		}
	}
	// The dying replica reads both entries and never schedules them.
	read, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: "crossview", Consumer: "dead", Streams: []string{"cv:{q:conn_a}:in", ">"}, Count: 10, Block: -1,
	}).Result()
	if err != nil || len(read) != 1 || len(read[0].Messages) != 2 {
		t.Fatalf("XREADGROUP = %v, %v", read, err)
	}
	if ls, err := q.Claim(ctx, "conn_a", "w1", 10, time.Minute); err != nil || len(ls) != 0 {
		t.Fatalf("Claim while the entries are fresh = %v, %v; want nothing yet", ls, err)
	}
	time.Sleep(100 * time.Millisecond)
	ls, err := q.Claim(ctx, "conn_a", "w1", 10, time.Minute)
	if err != nil || len(ls) != 2 {
		t.Fatalf("Claim after they went stale = %v, %v; want both keys", ls, err)
	}
	pending, err := c.XPending(ctx, "cv:{q:conn_a}:in", "crossview").Result()
	if err != nil || pending.Count != 0 {
		t.Errorf("pending intake entries = %+v, %v; want none (acknowledged when scheduled)", pending, err)
	}
	if n, _ := c.XLen(ctx, "cv:{q:conn_a}:in").Result(); n != 0 {
		t.Errorf("intake stream holds %d entries, want 0 (deleted when scheduled)", n)
	}
}

// Every key of a queue shares one hash tag (one Cluster slot) and none has
// a TTL, so a volatile-* eviction policy can never drop queued work.
func TestQueueKeyLayout(t *testing.T) {
	ctx := t.Context()
	c := redistest.Start(t).Client(t)
	now := func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }
	q := redisstore.NewQueue(c, "cv", now)
	for _, k := range []string{"1", "2", "3"} {
		if err := q.Enqueue(ctx, "conn_a", k, now(), 0); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := q.Claim(ctx, "conn_a", "w1", 2, time.Minute)
	if err != nil || len(ls) != 2 {
		t.Fatal(ls, err)
	}
	if err := q.Bury(ctx, ls[0], "bad"); err != nil {
		t.Fatal(err)
	}
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, s := range []string{"in", "due", "lease", "st", "dead", "token"} {
		want["cv:{q:conn_a}:"+s] = true
	}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("unexpected key %s", k)
		}
		if ttl, _ := c.TTL(ctx, k).Result(); ttl != -1 {
			t.Errorf("key %s has TTL %v, want none", k, ttl)
		}
	}
	if len(keys) != len(want) {
		t.Errorf("keys = %v, want %d", keys, len(want))
	}
}

func TestLeasesConformance(t *testing.T) {
	queuetest.RunLeases(t, queuetest.LeaseTarget{
		Open: func(t *testing.T, now func() time.Time) queue.Leases {
			return redisstore.NewLeases(redistest.Start(t).Client(t), "cv", now)
		},
	})
}

func TestLogConformance(t *testing.T) {
	queuetest.RunLog(t, queuetest.LogTarget{
		Open: func(t *testing.T) (queue.Log, func() queue.Log) {
			srv := redistest.Start(t)
			return redisstore.NewLog(srv.Client(t), "cv"), func() queue.Log { return redisstore.NewLog(srv.Client(t), "cv") }
		},
	})
}
