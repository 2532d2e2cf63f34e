package queuetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/crossview/crossview/server/internal/queue"
)

// LogTarget is a Log implementation under test.
type LogTarget struct {
	// Open returns a fresh, empty log and a function that reopens it on
	// the same storage.
	Open func(t *testing.T) (l queue.Log, reopen func() queue.Log)
}

// RunLog runs the log suite.
func RunLog(t *testing.T, target LogTarget) {
	ctx := t.Context()
	l, reopen := target.Open(t)
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	// Two entries in the same millisecond must both be kept, in order.
	for i := range 10 {
		at := start.Add(time.Duration(i/2) * time.Second)
		if err := l.Append(ctx, "conn_a", at, fmt.Appendf(nil, `{"n":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Append(ctx, "conn_b", start, []byte(`{"other":true}`)); err != nil {
		t.Fatal(err)
	}
	got, err := l.Recent(ctx, "conn_a", time.Time{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || string(got[0].Entry) != `{"n":9}` || string(got[1].Entry) != `{"n":8}` || string(got[2].Entry) != `{"n":7}` {
		t.Fatalf("Recent(3) = %s, want n 9, 8, 7", dump(got))
	}
	if !got[0].At.Equal(start.Add(4 * time.Second)) {
		t.Errorf("At = %v, want %v", got[0].At, start.Add(4*time.Second))
	}
	// Paging: entries strictly older than the last one seen.
	older, err := l.Recent(ctx, "conn_a", got[2].At, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(older) != 6 || string(older[0].Entry) != `{"n":5}` || string(older[5].Entry) != `{"n":0}` {
		t.Fatalf("Recent(before %v) = %s, want n 5..0", got[2].At, dump(older))
	}
	l = reopen()
	n, err := l.Prune(ctx, "conn_a", start.Add(2*time.Second))
	if err != nil || n != 4 {
		t.Fatalf("Prune = %d, %v; want 4 (n 0..3)", n, err)
	}
	all, err := l.Recent(ctx, "conn_a", time.Time{}, 100)
	if err != nil || len(all) != 6 || string(all[5].Entry) != `{"n":4}` {
		t.Fatalf("after Prune = %s, %v; want n 9..4", dump(all), err)
	}
	if b, _ := l.Recent(ctx, "conn_b", time.Time{}, 100); len(b) != 1 {
		t.Errorf("conn_b = %s, want its one entry untouched", dump(b))
	}
	if none, err := l.Recent(ctx, "nobody", time.Time{}, 10); err != nil || len(none) != 0 {
		t.Errorf("an unknown stream = %v, %v", none, err)
	}
}

func dump(es []queue.LogEntry) string {
	s := "["
	for _, e := range es {
		s += string(e.Entry) + " "
	}
	return s + "]"
}
