package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	bolt "go.etcd.io/bbolt"
)

// queuesBucket holds one bucket per queue. "!" never appears in a
// subdomain, so it cannot clash with a tenant's partition.
const queuesBucket = "!queues"

// Buckets inside a queue's bucket.
var (
	bState = []byte("state") // key → keyState (JSON)
	bDue   = []byte("due")   // due ms (big endian) + key → nothing: waiting keys by due time
	bLease = []byte("lease") // until ms + key → nothing: leased keys by lease end
	bDead  = []byte("dead")  // key → deadLetter (JSON)
	bMeta  = []byte("meta")  // "token" → last fencing token
)

// Queue is the embedded queue.Queue: every change is one bbolt transaction,
// committed (and fsynced) before the call returns.
type Queue struct {
	db  *bolt.DB
	now func() time.Time
}

var _ queue.Queue = (*Queue)(nil)

// Queue returns the queue kept in the backend's file.
func (b *Backend) Queue(now func() time.Time) *Queue { return &Queue{db: b.db, now: now} }

// keyState is everything known about one key. Times are Unix milliseconds.
type keyState struct {
	Version int64  `json:"v"`
	Stamp   int64  `json:"s,omitempty"`
	Attempt int    `json:"a"`
	Reason  string `json:"r,omitempty"`
	// Waiting: Due and Queued apply.
	Waiting bool  `json:"w,omitempty"`
	Due     int64 `json:"d,omitempty"`
	Queued  int64 `json:"q,omitempty"`
	// Leased: the holder's token, name, lease end and its Queued.
	Leased      bool   `json:"l,omitempty"`
	Token       int64  `json:"t,omitempty"`
	Worker      string `json:"k,omitempty"`
	Until       int64  `json:"u,omitempty"`
	LeaseQueued int64  `json:"lq,omitempty"`
}

type deadLetter struct {
	Reason   string `json:"reason"`
	Attempts int    `json:"attempts"`
	Queued   int64  `json:"queued"`
	At       int64  `json:"at"`
}

// qtx is one transaction's view of one queue.
type qtx struct {
	state, due, lease, dead, meta *bolt.Bucket
}

func (q *Queue) update(name string, fn func(t qtx) error) error {
	err := q.db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists([]byte(queuesBucket))
		if err != nil {
			return err
		}
		qb, err := root.CreateBucketIfNotExists([]byte(name))
		if err != nil {
			return err
		}
		var t qtx
		for _, b := range []struct {
			dst  **bolt.Bucket
			name []byte
		}{{&t.state, bState}, {&t.due, bDue}, {&t.lease, bLease}, {&t.dead, bDead}, {&t.meta, bMeta}} {
			if *b.dst, err = qb.CreateBucketIfNotExists(b.name); err != nil {
				return err
			}
		}
		return fn(t)
	})
	if err != nil {
		return fmt.Errorf("boltstore: queue %s: %w", name, err)
	}
	return nil
}

// view runs fn on a queue that exists; fn is not called for one that
// does not.
func (q *Queue) view(name string, fn func(t qtx) error) error {
	err := q.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket([]byte(queuesBucket))
		if root == nil {
			return nil
		}
		qb := root.Bucket([]byte(name))
		if qb == nil {
			return nil
		}
		return fn(qtx{state: qb.Bucket(bState), due: qb.Bucket(bDue), lease: qb.Bucket(bLease), dead: qb.Bucket(bDead), meta: qb.Bucket(bMeta)})
	})
	if err != nil {
		return fmt.Errorf("boltstore: queue %s: %w", name, err)
	}
	return nil
}

func indexKey(ms int64, key string) []byte {
	b := make([]byte, 8+len(key))
	binary.BigEndian.PutUint64(b, uint64(ms))
	copy(b[8:], key)
	return b
}

func (t qtx) get(key string) (keyState, bool, error) {
	var s keyState
	v := t.state.Get([]byte(key))
	if v == nil {
		return s, false, nil
	}
	return s, true, json.Unmarshal(v, &s)
}

func (t qtx) put(key string, s keyState) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return t.state.Put([]byte(key), v)
}

func (t qtx) setDue(key string, s *keyState, due int64) error {
	if s.Waiting {
		if err := t.due.Delete(indexKey(s.Due, key)); err != nil {
			return err
		}
	}
	s.Waiting, s.Due = true, due
	return t.due.Put(indexKey(due, key), nil)
}

func (t qtx) unwait(key string, s *keyState) error {
	if !s.Waiting {
		return nil
	}
	s.Waiting = false
	return t.due.Delete(indexKey(s.Due, key))
}

func (t qtx) unlease(key string, s *keyState) error {
	if !s.Leased {
		return nil
	}
	s.Leased = false
	return t.lease.Delete(indexKey(s.Until, key))
}

// Enqueue implements queue.Queue.
func (q *Queue) Enqueue(_ context.Context, name, key string, at time.Time, stamp int64) error {
	now, due := q.now().UnixMilli(), at.UnixMilli()
	return q.update(name, func(t qtx) error {
		s, _, err := t.get(key)
		if err != nil {
			return err
		}
		s.Version++
		s.Stamp = max(s.Stamp, stamp)
		if t.dead.Get([]byte(key)) != nil {
			if err := t.dead.Delete([]byte(key)); err != nil {
				return err
			}
			s.Attempt, s.Reason = 0, ""
		}
		switch {
		case !s.Waiting:
			s.Queued = now
			err = t.setDue(key, &s, due)
		case s.Attempt == 0 && due < s.Due: // a key backing off keeps its retry time
			err = t.setDue(key, &s, due)
		}
		if err != nil {
			return err
		}
		return t.put(key, s)
	})
}

// Claim implements queue.Queue.
func (q *Queue) Claim(_ context.Context, name, worker string, n int, lease time.Duration) ([]queue.Lease, error) {
	now := q.now().UnixMilli()
	var out []queue.Lease
	err := q.update(name, func(t qtx) error {
		if err := t.reap(now); err != nil {
			return err
		}
		c := t.due.Cursor()
		var take []string
		for k, _ := c.First(); k != nil && len(take) < n; k, _ = c.Next() {
			if int64(binary.BigEndian.Uint64(k[:8])) > now {
				break
			}
			take = append(take, string(k[8:]))
		}
		for _, key := range take {
			s, _, err := t.get(key)
			if err != nil {
				return err
			}
			if s.Leased { // changed while held: it waits for the holder to finish
				continue
			}
			if err := t.unwait(key, &s); err != nil {
				return err
			}
			tok, err := t.nextToken()
			if err != nil {
				return err
			}
			s.Leased, s.Token, s.Worker, s.Until, s.LeaseQueued = true, tok, worker, now+lease.Milliseconds(), s.Queued
			s.Attempt++
			if err := t.lease.Put(indexKey(s.Until, key), nil); err != nil {
				return err
			}
			if err := t.put(key, s); err != nil {
				return err
			}
			out = append(out, queue.Lease{
				Queue: name, Key: key, Worker: worker, Token: tok, Attempt: s.Attempt,
				Queued: time.UnixMilli(s.Queued), Until: time.UnixMilli(s.Until), LastReason: s.Reason, Version: s.Version, Stamp: s.Stamp,
			})
		}
		return nil
	})
	return out, err
}

// reap turns leases that ended into waiting keys, due now.
func (t qtx) reap(now int64) error {
	var ended []string
	c := t.lease.Cursor()
	for k, _ := c.First(); k != nil && int64(binary.BigEndian.Uint64(k[:8])) <= now; k, _ = c.Next() {
		ended = append(ended, string(k[8:]))
	}
	for _, key := range ended {
		s, _, err := t.get(key)
		if err != nil {
			return err
		}
		if err := t.unlease(key, &s); err != nil {
			return err
		}
		if s.Waiting {
			s.Queued = min(s.Queued, s.LeaseQueued)
		} else {
			s.Queued = s.LeaseQueued
			if err := t.setDue(key, &s, now); err != nil {
				return err
			}
		}
		if err := t.put(key, s); err != nil {
			return err
		}
	}
	return nil
}

func (t qtx) nextToken() (int64, error) {
	var last int64
	if v := t.meta.Get([]byte("token")); v != nil {
		last = int64(binary.BigEndian.Uint64(v))
	}
	last++
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, uint64(last))
	return last, t.meta.Put([]byte("token"), b)
}

// held returns the state of a key if l still holds it.
func (t qtx) held(l queue.Lease) (keyState, error) {
	s, ok, err := t.get(l.Key)
	if err != nil {
		return s, err
	}
	if !ok || !s.Leased || s.Token != l.Token {
		return s, queue.ErrLeaseLost
	}
	return s, nil
}

// Complete implements queue.Queue.
func (q *Queue) Complete(_ context.Context, l queue.Lease) error {
	return q.update(l.Queue, func(t qtx) error {
		s, err := t.held(l)
		if err != nil {
			return err
		}
		if err := t.unlease(l.Key, &s); err != nil {
			return err
		}
		if s.Version == l.Version && !s.Waiting {
			return t.state.Delete([]byte(l.Key))
		}
		s.Attempt, s.Reason = 0, ""
		return t.put(l.Key, s)
	})
}

// Retry implements queue.Queue.
func (q *Queue) Retry(_ context.Context, l queue.Lease, at time.Time, reason string) error {
	return q.update(l.Queue, func(t qtx) error {
		s, err := t.held(l)
		if err != nil {
			return err
		}
		if err := t.unlease(l.Key, &s); err != nil {
			return err
		}
		if s.Waiting {
			s.Queued = min(s.Queued, s.LeaseQueued)
		} else {
			s.Queued = s.LeaseQueued
		}
		s.Reason = reason
		if err := t.setDue(l.Key, &s, at.UnixMilli()); err != nil {
			return err
		}
		return t.put(l.Key, s)
	})
}

// Bury implements queue.Queue.
func (q *Queue) Bury(_ context.Context, l queue.Lease, reason string) error {
	now := q.now().UnixMilli()
	return q.update(l.Queue, func(t qtx) error {
		s, err := t.held(l)
		if err != nil {
			return err
		}
		if err := t.unlease(l.Key, &s); err != nil {
			return err
		}
		if err := t.unwait(l.Key, &s); err != nil {
			return err
		}
		if err := t.state.Delete([]byte(l.Key)); err != nil {
			return err
		}
		v, err := json.Marshal(deadLetter{Reason: reason, Attempts: s.Attempt, Queued: s.LeaseQueued, At: now})
		if err != nil {
			return err
		}
		return t.dead.Put([]byte(l.Key), v)
	})
}

// Extend implements queue.Queue.
func (q *Queue) Extend(_ context.Context, l queue.Lease, d time.Duration) (queue.Lease, error) {
	until := q.now().Add(d).UnixMilli()
	err := q.update(l.Queue, func(t qtx) error {
		s, err := t.held(l)
		if err != nil {
			return err
		}
		if err := t.lease.Delete(indexKey(s.Until, l.Key)); err != nil {
			return err
		}
		s.Until = until
		if err := t.lease.Put(indexKey(until, l.Key), nil); err != nil {
			return err
		}
		return t.put(l.Key, s)
	})
	if err != nil {
		return l, err
	}
	l.Until = time.UnixMilli(until)
	return l, nil
}

// DeadLetters implements queue.Queue.
func (q *Queue) DeadLetters(_ context.Context, name string, limit int) ([]queue.DeadLetter, error) {
	var out []queue.DeadLetter
	err := q.view(name, func(t qtx) error {
		return t.dead.ForEach(func(k, v []byte) error {
			var d deadLetter
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, queue.DeadLetter{Queue: name, Key: string(k), Reason: d.Reason, Attempts: d.Attempts,
				Queued: time.UnixMilli(d.Queued), At: time.UnixMilli(d.At)})
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}

// Replay implements queue.Queue.
func (q *Queue) Replay(_ context.Context, name, key string) error {
	now := q.now().UnixMilli()
	return q.update(name, func(t qtx) error { return t.replay(key, now) })
}

func (t qtx) replay(key string, now int64) error {
	if t.dead.Get([]byte(key)) == nil {
		return queue.ErrNotBuried
	}
	if err := t.dead.Delete([]byte(key)); err != nil {
		return err
	}
	s := keyState{Version: 1, Queued: now}
	if err := t.setDue(key, &s, now); err != nil {
		return err
	}
	return t.put(key, s)
}

// ReplayAll implements queue.Queue.
func (q *Queue) ReplayAll(_ context.Context, name string) (int, error) {
	now := q.now().UnixMilli()
	n := 0
	err := q.update(name, func(t qtx) error {
		var keys []string
		if err := t.dead.ForEach(func(k, _ []byte) error { keys = append(keys, string(k)); return nil }); err != nil {
			return err
		}
		for _, k := range keys {
			if err := t.replay(k, now); err != nil {
				return err
			}
		}
		n = len(keys)
		return nil
	})
	return n, err
}

// Stats implements queue.Queue.
func (q *Queue) Stats(_ context.Context, name string) (queue.Stats, error) {
	now := q.now().UnixMilli()
	var st queue.Stats
	err := q.view(name, func(t qtx) error {
		st.Dead = t.dead.Stats().KeyN
		var oldest int64
		return t.state.ForEach(func(_, v []byte) error {
			var s keyState
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			if s.Leased {
				st.Leased++
			}
			if s.Waiting {
				st.Waiting++
				if s.Due <= now {
					st.Due++
				}
				if oldest == 0 || s.Queued < oldest {
					oldest = s.Queued
				}
				st.OldestQueued = time.UnixMilli(oldest)
			}
			return nil
		})
	})
	return st, err
}

// Drop implements queue.Queue.
func (q *Queue) Drop(_ context.Context, name string) error {
	err := q.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket([]byte(queuesBucket))
		if root == nil || root.Bucket([]byte(name)) == nil {
			return nil
		}
		return root.DeleteBucket([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("boltstore: dropping queue %s: %w", name, err)
	}
	return nil
}
