package queue_test

import (
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
	"github.com/crossview/crossview/server/internal/queue/queuetest"
)

func TestLocalLeases(t *testing.T) {
	queuetest.RunLeases(t, queuetest.LeaseTarget{
		Open: func(_ *testing.T, now func() time.Time) queue.Leases { return queue.NewLocalLeases(now) },
	})
}
