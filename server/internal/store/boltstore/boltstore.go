// Package boltstore is the embedded store.Backend: one bbolt file with a
// bucket per partition holding a bucket per table, for a single process
// with no Redis.
package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/crossview/crossview/server/internal/crossview"
	"github.com/crossview/crossview/server/internal/store"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// LockTimeout is how long Open waits for another process to release the file.
const LockTimeout = time.Second

// Backend keeps records in one bbolt file.
type Backend struct {
	db   *bolt.DB
	path string
}

var _ store.Backend = (*Backend)(nil)

// Open opens or creates the file at path (mode 0600, its directory 0700).
// A file held by another process fails after LockTimeout with an error
// saying so, instead of hanging.
func Open(path string) (*Backend, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("boltstore: creating the data directory: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("boltstore: %s is locked by another process (is another crossview running with the same data directory?): %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: opening %s: %w", path, err)
	}
	return &Backend{db: db, path: path}, nil
}

// Path is the file the backend keeps its records in.
func (b *Backend) Path() string { return b.path }

// Get returns the value at key, or crossview.ErrNotFound.
func (b *Backend) Get(_ context.Context, partition, table, key string) ([]byte, error) {
	var out []byte
	err := b.db.View(func(tx *bolt.Tx) error {
		t := tableBucket(tx, partition, table)
		if t == nil {
			return crossview.ErrNotFound
		}
		v := t.Get([]byte(key))
		if v == nil {
			return crossview.ErrNotFound
		}
		// bbolt's slices are valid only inside the transaction.
		out = append([]byte(nil), v...)
		return nil
	})
	return out, err
}

// Put creates or replaces the value at key.
func (b *Backend) Put(_ context.Context, partition, table, key string, value []byte) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		p, err := tx.CreateBucketIfNotExists([]byte(partition))
		if err != nil {
			return err
		}
		t, err := p.CreateBucketIfNotExists([]byte(table))
		if err != nil {
			return err
		}
		return t.Put([]byte(key), value)
	})
	if err != nil {
		return fmt.Errorf("boltstore: put %s/%s: %w", partition, table, err)
	}
	return nil
}

// Delete removes key, and its table once empty, so per-org index tables
// do not pile up.
func (b *Backend) Delete(_ context.Context, partition, table, key string) error {
	err := b.db.Update(func(tx *bolt.Tx) error {
		p := tx.Bucket([]byte(partition))
		if p == nil {
			return nil
		}
		t := p.Bucket([]byte(table))
		if t == nil {
			return nil
		}
		if err := t.Delete([]byte(key)); err != nil {
			return err
		}
		if k, _ := t.Cursor().First(); k == nil {
			return p.DeleteBucket([]byte(table))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: delete %s/%s: %w", partition, table, err)
	}
	return nil
}

// List returns every value in a table.
func (b *Backend) List(_ context.Context, partition, table string) ([][]byte, error) {
	var out [][]byte
	err := b.db.View(func(tx *bolt.Tx) error {
		t := tableBucket(tx, partition, table)
		if t == nil {
			return nil
		}
		return t.ForEach(func(_, v []byte) error {
			if v != nil { // nil marks a nested bucket, which tables never hold
				out = append(out, append([]byte(nil), v...))
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: list %s/%s: %w", partition, table, err)
	}
	return out, nil
}

// Count says how many keys a table holds.
func (b *Backend) Count(_ context.Context, partition, table string) (int, error) {
	n := 0
	err := b.db.View(func(tx *bolt.Tx) error {
		if t := tableBucket(tx, partition, table); t != nil {
			n = t.Stats().KeyN
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: count %s/%s: %w", partition, table, err)
	}
	return n, nil
}

// Ping checks that the file is still open and readable.
func (b *Backend) Ping(context.Context) error {
	if err := b.db.View(func(*bolt.Tx) error { return nil }); err != nil {
		return fmt.Errorf("boltstore: ping: %w", err)
	}
	return nil
}

// Close closes the file and releases its lock.
func (b *Backend) Close() error {
	if err := b.db.Close(); err != nil {
		return fmt.Errorf("boltstore: closing %s: %w", b.path, err)
	}
	return nil
}

func tableBucket(tx *bolt.Tx, partition, table string) *bolt.Bucket {
	p := tx.Bucket([]byte(partition))
	if p == nil {
		return nil
	}
	return p.Bucket([]byte(table))
}
