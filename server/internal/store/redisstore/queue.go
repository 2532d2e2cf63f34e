package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/crossview/crossview/server/internal/queue"
)

// queueGroup is the consumer group every replica reads a queue's intake
// stream with.
const queueGroup = "crossview"

// Queue is the Redis queue.Queue. Enqueue appends to the queue's intake
// stream (XADD: durable once Redis answers, as far as Redis's own
// persistence goes — run it with appendonly yes). Claim first moves new and
// stale intake entries into the keyed schedule, acknowledging each in the
// same script that schedules it, then leases due keys. Durable keys have no
// TTL.
type Queue struct {
	c      redis.UniversalClient
	prefix string
	now    func() time.Time

	// staleIntake is how long an intake entry may sit read but unscheduled
	// (its reader died in between) before another replica takes it.
	staleIntake time.Duration

	mu     sync.Mutex
	groups map[string]bool // queues whose consumer group this process made sure of
}

var _ queue.Queue = (*Queue)(nil)

// NewQueue returns the queue kept under prefix (e.g. "cv").
func NewQueue(c redis.UniversalClient, prefix string, now func() time.Time) *Queue {
	return &Queue{c: c, prefix: prefix, now: now, staleIntake: 5 * time.Second, groups: map[string]bool{}}
}

// keys returns the queue's Redis keys in script order. The hash tag keeps
// them on one Cluster slot.
func (q *Queue) keys(name string) []string {
	base := q.prefix + ":{q:" + name + "}:"
	return []string{base + "in", base + "due", base + "lease", base + "st", base + "dead", base + "token"}
}

func (q *Queue) ensureGroup(ctx context.Context, name string) error {
	q.mu.Lock()
	ok := q.groups[name]
	q.mu.Unlock()
	if ok {
		return nil
	}
	// From id 0, so entries added before the group existed are read too.
	err := q.c.XGroupCreateMkStream(ctx, q.keys(name)[0], queueGroup, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("redisstore: creating the consumer group of queue %s: %w", name, err)
	}
	q.mu.Lock()
	q.groups[name] = true
	q.mu.Unlock()
	return nil
}

func (q *Queue) forgetGroup(name string) {
	q.mu.Lock()
	delete(q.groups, name)
	q.mu.Unlock()
}

// Enqueue implements queue.Queue.
func (q *Queue) Enqueue(ctx context.Context, name, key string, at time.Time, stamp int64) error {
	if err := q.ensureGroup(ctx, name); err != nil {
		return err
	}
	err := q.c.XAdd(ctx, &redis.XAddArgs{
		Stream: q.keys(name)[0],
		Values: []string{"key", key, "at", strconv.FormatInt(at.UnixMilli(), 10), "q", strconv.FormatInt(q.now().UnixMilli(), 10),
			"s", strconv.FormatInt(stamp, 10)},
	}).Err()
	if err != nil {
		return fmt.Errorf("redisstore: enqueue %s/%s: %w", name, key, err)
	}
	return nil
}

// intake moves the queue's new and stale stream entries into the schedule.
func (q *Queue) intake(ctx context.Context, name, worker string) error {
	if err := q.ensureGroup(ctx, name); err != nil {
		return err
	}
	ks := q.keys(name)
	for {
		// Entries a dead reader left behind first, then new ones.
		stale, _, err := q.c.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: ks[0], Group: queueGroup, Consumer: worker, MinIdle: q.staleIntake, Start: "0", Count: 500,
		}).Result()
		if err != nil {
			return q.intakeErr(name, err)
		}
		fresh, err := q.c.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: queueGroup, Consumer: worker, Streams: []string{ks[0], ">"}, Count: 500, Block: -1,
		}).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return q.intakeErr(name, err)
		}
		msgs := stale
		for _, s := range fresh {
			msgs = append(msgs, s.Messages...)
		}
		if len(msgs) == 0 {
			return nil
		}
		args := []any{queueGroup}
		for _, m := range msgs {
			key, _ := m.Values["key"].(string)
			at, _ := m.Values["at"].(string)
			queued, _ := m.Values["q"].(string)
			stamp, _ := m.Values["s"].(string)
			_, err1 := strconv.ParseInt(at, 10, 64)
			_, err2 := strconv.ParseInt(queued, 10, 64)
			_, err3 := strconv.ParseInt(stamp, 10, 64)
			if key == "" || err1 != nil || err2 != nil || err3 != nil {
				// Not ours: acknowledge it away rather than block the queue.
				key, at, queued, stamp = "", "", "", ""
			}
			args = append(args, m.ID, key, at, queued, stamp)
		}
		if err := scheduleScript.Run(ctx, q.c, ks, args...).Err(); err != nil {
			return fmt.Errorf("redisstore: scheduling queue %s: %w", name, err)
		}
		if len(msgs) < 500 {
			return nil
		}
	}
}

func (q *Queue) intakeErr(name string, err error) error {
	if strings.HasPrefix(err.Error(), "NOGROUP") {
		q.forgetGroup(name) // the queue was dropped; the next call recreates it
	}
	return fmt.Errorf("redisstore: reading the intake of queue %s: %w", name, err)
}

// Claim implements queue.Queue.
func (q *Queue) Claim(ctx context.Context, name, worker string, n int, lease time.Duration) ([]queue.Lease, error) {
	if err := q.intake(ctx, name, worker); err != nil {
		return nil, err
	}
	res, err := claimScript.Run(ctx, q.c, q.keys(name), q.now().UnixMilli(), n, lease.Milliseconds(), worker).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redisstore: claiming from queue %s: %w", name, err)
	}
	const per = 8 // values per lease, as claimScript lists them
	out := make([]queue.Lease, 0, len(res)/per)
	for i := 0; i+per <= len(res); i += per {
		r := res[i : i+per]
		l := queue.Lease{Queue: name, Key: r[0], Worker: worker, LastReason: r[5]}
		l.Token, _ = strconv.ParseInt(r[1], 10, 64)
		l.Attempt, _ = strconv.Atoi(r[2])
		l.Queued = time.UnixMilli(luaInt(r[3]))
		l.Until = time.UnixMilli(luaInt(r[4]))
		l.Version = luaInt(r[6])
		l.Stamp = luaInt(r[7])
		out = append(out, l)
	}
	return out, nil
}

// luaInt parses a number Lua formatted, which may carry a decimal part.
func luaInt(s string) int64 {
	f, _ := strconv.ParseFloat(s, 64)
	return int64(f)
}

// run runs a lease script and maps "not held" to ErrLeaseLost.
func (q *Queue) run(ctx context.Context, s *redis.Script, l queue.Lease, what string, args ...any) error {
	n, err := s.Run(ctx, q.c, q.keys(l.Queue), args...).Int()
	if err != nil {
		return fmt.Errorf("redisstore: %s %s/%s: %w", what, l.Queue, l.Key, err)
	}
	if n == 0 {
		return queue.ErrLeaseLost
	}
	return nil
}

// Complete implements queue.Queue.
func (q *Queue) Complete(ctx context.Context, l queue.Lease) error {
	return q.run(ctx, completeScript, l, "completing", l.Key, l.Token, l.Version)
}

// Retry implements queue.Queue.
func (q *Queue) Retry(ctx context.Context, l queue.Lease, at time.Time, reason string) error {
	return q.run(ctx, retryScript, l, "retrying", l.Key, l.Token, at.UnixMilli(), reason)
}

// Bury implements queue.Queue.
func (q *Queue) Bury(ctx context.Context, l queue.Lease, reason string) error {
	return q.run(ctx, buryScript, l, "burying", l.Key, l.Token, reason, q.now().UnixMilli())
}

// Extend implements queue.Queue.
func (q *Queue) Extend(ctx context.Context, l queue.Lease, d time.Duration) (queue.Lease, error) {
	until := q.now().Add(d)
	if err := q.run(ctx, extendScript, l, "extending", l.Key, l.Token, until.UnixMilli()); err != nil {
		return l, err
	}
	l.Until = time.UnixMilli(until.UnixMilli())
	return l, nil
}

type deadLetter struct {
	Reason   string  `json:"reason"`
	Attempts int     `json:"attempts"`
	Queued   float64 `json:"queued"`
	At       float64 `json:"at"`
}

// DeadLetters implements queue.Queue.
func (q *Queue) DeadLetters(ctx context.Context, name string, limit int) ([]queue.DeadLetter, error) {
	all, err := q.c.HGetAll(ctx, q.keys(name)[4]).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: dead letters of %s: %w", name, err)
	}
	out := make([]queue.DeadLetter, 0, len(all))
	for key, v := range all {
		var d deadLetter
		if err := json.Unmarshal([]byte(v), &d); err != nil {
			return nil, fmt.Errorf("redisstore: dead letter %s/%s: %w", name, key, err)
		}
		out = append(out, queue.DeadLetter{Queue: name, Key: key, Reason: d.Reason, Attempts: d.Attempts,
			Queued: time.UnixMilli(int64(d.Queued)), At: time.UnixMilli(int64(d.At))})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.After(out[j].At)
		}
		return out[i].Key < out[j].Key
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Replay implements queue.Queue.
func (q *Queue) Replay(ctx context.Context, name, key string) error {
	n, err := replayScript.Run(ctx, q.c, q.keys(name), q.now().UnixMilli(), key).Int()
	if err != nil {
		return fmt.Errorf("redisstore: replaying %s/%s: %w", name, key, err)
	}
	if n == 0 {
		return queue.ErrNotBuried
	}
	return nil
}

// ReplayAll implements queue.Queue.
func (q *Queue) ReplayAll(ctx context.Context, name string) (int, error) {
	keys, err := q.c.HKeys(ctx, q.keys(name)[4]).Result()
	if err != nil || len(keys) == 0 {
		return 0, err
	}
	args := []any{q.now().UnixMilli()}
	for _, k := range keys {
		args = append(args, k)
	}
	n, err := replayScript.Run(ctx, q.c, q.keys(name), args...).Int()
	if err != nil {
		return 0, fmt.Errorf("redisstore: replaying %s: %w", name, err)
	}
	return n, nil
}

// Stats implements queue.Queue. It reads the key states to find the
// oldest waiting key, so it is for pages and metrics, not hot paths.
func (q *Queue) Stats(ctx context.Context, name string) (queue.Stats, error) {
	// Count what reached the intake stream too.
	if err := q.intake(ctx, name, "stats"); err != nil {
		return queue.Stats{}, err
	}
	ks := q.keys(name)
	now := strconv.FormatInt(q.now().UnixMilli(), 10)
	pipe := q.c.Pipeline()
	waiting := pipe.ZCard(ctx, ks[1])
	due := pipe.ZCount(ctx, ks[1], "-inf", now)
	leased := pipe.ZCard(ctx, ks[2])
	dead := pipe.HLen(ctx, ks[4])
	states := pipe.HVals(ctx, ks[3])
	if _, err := pipe.Exec(ctx); err != nil {
		return queue.Stats{}, fmt.Errorf("redisstore: stats of %s: %w", name, err)
	}
	st := queue.Stats{Waiting: int(waiting.Val()), Due: int(due.Val()), Leased: int(leased.Val()), Dead: int(dead.Val())}
	var oldest float64
	for _, v := range states.Val() {
		var s struct {
			W bool    `json:"w"`
			Q float64 `json:"q"`
		}
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return st, fmt.Errorf("redisstore: key state in %s: %w", name, err)
		}
		if s.W && (oldest == 0 || s.Q < oldest) {
			oldest = s.Q
		}
	}
	if oldest > 0 {
		st.OldestQueued = time.UnixMilli(int64(oldest))
	}
	return st, nil
}

// Drop implements queue.Queue.
func (q *Queue) Drop(ctx context.Context, name string) error {
	ks := q.keys(name)
	if err := q.c.Del(ctx, ks...).Err(); err != nil {
		return fmt.Errorf("redisstore: dropping queue %s: %w", name, err)
	}
	q.forgetGroup(name)
	return nil
}
