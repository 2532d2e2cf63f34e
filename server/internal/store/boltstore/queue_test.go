package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/queue/queuetest"
)

func TestQueueConformance(t *testing.T) {
	queuetest.Run(t, queuetest.Target{
		Open: func(t *testing.T, now func() time.Time) (queue.Queue, func() queue.Queue) {
			path := filepath.Join(t.TempDir(), "crossview.db")
			b := open(t, path)
			reopen := func() queue.Queue {
				if err := b.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				b = open(t, path)
				return b.Queue(now)
			}
			return b.Queue(now), reopen
		},
	})
}

func TestLogConformance(t *testing.T) {
	queuetest.RunLog(t, queuetest.LogTarget{
		Open: func(t *testing.T) (queue.Log, func() queue.Log) {
			path := filepath.Join(t.TempDir(), "crossview.db")
			b := open(t, path)
			return b.Log(), func() queue.Log {
				if err := b.Close(); err != nil {
					t.Fatal(err)
				}
				b = open(t, path)
				return b.Log()
			}
		},
	})
}
