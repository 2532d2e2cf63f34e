package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	bolt "go.etcd.io/bbolt"
)

// logsBucket holds one bucket per log stream; keys are the entry's time in
// Unix milliseconds and a sequence, both big endian, so a cursor walks
// them in time order.
const logsBucket = "!logs"

// Log is the embedded queue.Log.
type Log struct{ db *bolt.DB }

var _ queue.Log = (*Log)(nil)

// Log returns the logs kept in the backend's file.
func (b *Backend) Log() *Log { return &Log{db: b.db} }

// Append implements queue.Log.
func (l *Log) Append(_ context.Context, stream string, at time.Time, entry []byte) error {
	err := l.db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists([]byte(logsBucket))
		if err != nil {
			return err
		}
		b, err := root.CreateBucketIfNotExists([]byte(stream))
		if err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		k := make([]byte, 16)
		binary.BigEndian.PutUint64(k, uint64(at.UnixMilli()))
		binary.BigEndian.PutUint64(k[8:], seq)
		return b.Put(k, entry)
	})
	if err != nil {
		return fmt.Errorf("boltstore: appending to log %s: %w", stream, err)
	}
	return nil
}

func logBucket(tx *bolt.Tx, stream string) *bolt.Bucket {
	root := tx.Bucket([]byte(logsBucket))
	if root == nil {
		return nil
	}
	return root.Bucket([]byte(stream))
}

// Recent implements queue.Log.
func (l *Log) Recent(_ context.Context, stream string, before time.Time, limit int) ([]queue.LogEntry, error) {
	var out []queue.LogEntry
	err := l.db.View(func(tx *bolt.Tx) error {
		b := logBucket(tx, stream)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		var k, v []byte
		if before.IsZero() {
			k, v = c.Last()
		} else {
			seek := make([]byte, 8)
			binary.BigEndian.PutUint64(seek, uint64(before.UnixMilli()))
			// Seek finds the first key at or after before; step back from it.
			if k, _ = c.Seek(seek); k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil && len(out) < limit; k, v = c.Prev() {
			ms := int64(binary.BigEndian.Uint64(k[:8]))
			if !before.IsZero() && ms >= before.UnixMilli() {
				continue
			}
			out = append(out, queue.LogEntry{At: time.UnixMilli(ms), Entry: append([]byte(nil), v...)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: reading log %s: %w", stream, err)
	}
	return out, nil
}

// Prune implements queue.Log.
func (l *Log) Prune(_ context.Context, stream string, cutoff time.Time) (int, error) {
	n := 0
	err := l.db.Update(func(tx *bolt.Tx) error {
		b := logBucket(tx, stream)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil && int64(binary.BigEndian.Uint64(k[:8])) < cutoff.UnixMilli(); k, _ = c.Next() {
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: pruning log %s: %w", stream, err)
	}
	return n, nil
}
